/**
 * What the runner learned about the work a step started: still going, or how it ended. Every
 * step kind maps what Glue reports into this, through a pure table of its own.
 */
export type Observation = (
  /**
   * Not finished: keep the task alive. `between`: nothing runs right now, Glue is about to
   * start the next attempt of a failed run (there is nothing to stop yet). `state`: Glue's state
   * of the work as read (e.g. RUNNING, WAITING), when Glue gave one, for a late step's event.
   */
  | { readonly kind: 'in-flight'; readonly between?: boolean; readonly state?: string }
  /** Finished well: SendTaskSuccess with `output` (the step's result). */
  | { readonly kind: 'succeed'; readonly output: Record<string, unknown>; readonly measures?: WorkMeasures }
  /** Finished badly: SendTaskFailure with `error`, mail the team. */
  | { readonly kind: 'fail'; readonly error: string; readonly finalState: string; readonly message: string; readonly measures?: WorkMeasures }
) & {
  /** Set when Glue retried the tracked run: the step's work is now another attempt, tracked from here on. */
  readonly retried?: Retried;
};

/**
 * What Glue told of the work that ended, for the step's metrics; each only where the kind's
 * driver can tell it (a job run's, today).
 */
export interface WorkMeasures {
  /** Attempts the work took: 1, or more when Glue ran it again (a job's MaxRetries). */
  readonly attempts?: number;
  /** Seconds the work waited in Glue before it ran (for capacity, start-up included). */
  readonly capacityWaitSeconds?: number;
  /** DPU-seconds Glue reports for the work. */
  readonly dpuSeconds?: number;
  /** DPU-seconds estimated from the work's capacity and execution time, where Glue reports none. */
  readonly dpuSecondsEstimated?: number;
}

/** Glue ran the step's run again (the job's MaxRetries): the attempt the step is at now. */
export interface Retried {
  /** The run id of the newest attempt. */
  readonly runId: string;
  /** The run ids of the attempts before it: a record still tracking one of them moves on. */
  readonly earlier: readonly string[];
}

export type Ending = Exclude<Observation, { kind: 'in-flight' }>;

export const IN_FLIGHT: Observation = { kind: 'in-flight' };
