/**
 * What the runner learned about the work a step started: still going, or how it ended. Every
 * step kind maps what Glue reports into this, through a pure table of its own.
 */
export type Observation =
  /** Not finished: keep the task alive. */
  | { readonly kind: 'in-flight' }
  /** Finished well: SendTaskSuccess with `output` (the step's result). */
  | { readonly kind: 'succeed'; readonly output: Record<string, unknown> }
  /** Finished badly: SendTaskFailure with `error`, mail the team. */
  | { readonly kind: 'fail'; readonly error: string; readonly finalState: string; readonly message: string };

export type Ending = Exclude<Observation, { kind: 'in-flight' }>;

export const IN_FLIGHT: Observation = { kind: 'in-flight' };
