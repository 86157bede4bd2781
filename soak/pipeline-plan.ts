import { Prng } from './prng';

/** The four step kinds of the library, by their factory. */
export type SoakStepKind = 'job' | 'crawler' | 'trigger' | 'workflow';
export const STEP_KINDS: readonly SoakStepKind[] = ['job', 'crawler', 'trigger', 'workflow'];

/** How the step's Glue work ends, the same every time it runs (so the same on replay). */
export type StepOutcome =
  | {
    readonly kind: 'job';
    readonly seconds: number;
    readonly finalState: 'SUCCEEDED' | 'FAILED' | 'TIMEOUT' | 'STOPPED' | 'ERROR' | 'EXPIRED';
    /**
     * The job's MaxRetries, when it has some: Glue runs a FAILED run again. Its first
     * `failedAttempts` attempts fail (all of them when `finalState` is FAILED), the next ends in
     * `finalState`.
     */
    readonly maxRetries?: number;
    readonly failedAttempts?: number;
  }
  | { readonly kind: 'crawler'; readonly seconds: number; readonly status: 'SUCCEEDED' | 'FAILED' }
  | { readonly kind: 'trigger' }
  | { readonly kind: 'workflow'; readonly seconds: number; readonly failedActions: number; readonly finalStatus: 'COMPLETED' | 'ERROR' };

export interface StepRetryPlan {
  readonly errors: string[];
  readonly maxAttempts: number;
  readonly intervalSeconds: number;
}

export interface StepPlan {
  /** State name, e.g. `s3_crawler`. */
  readonly name: string;
  readonly kind: SoakStepKind;
  /** The Glue job, crawler, trigger or workflow it drives (one per step). */
  readonly resource: string;
  /** Only in a graph: the steps it waits for. */
  readonly dependsOn?: string[];
  /** A job step's argument that refers to this dependency's result. */
  readonly refersTo?: string;
  readonly retry?: StepRetryPlan;
  readonly outcome: StepOutcome;
}

export interface PipelinePlan {
  /** Position in the soak: pipeline 0, 1, 2... */
  readonly index: number;
  readonly shape: 'sequence' | 'graph';
  readonly steps: StepPlan[];
}

export const MAX_STEPS = 12;

/** The error a failing outcome makes the step fail with (what a retry would name). */
export function failureOf(outcome: StepOutcome): string | undefined {
  switch (outcome.kind) {
    case 'job': {
      const errors = { SUCCEEDED: undefined, FAILED: 'Glue.JobFailed', TIMEOUT: 'Glue.JobTimeout', STOPPED: 'Glue.JobStopped', ERROR: 'Glue.JobError', EXPIRED: 'Glue.JobExpired' } as const;
      return errors[outcome.finalState];
    }
    case 'crawler': return outcome.status === 'FAILED' ? 'Glue.CrawlerFailed' : undefined;
    case 'trigger': return undefined;
    case 'workflow':
      if (outcome.finalStatus === 'ERROR') {
        return 'Glue.WorkflowError';
      }
      return outcome.failedActions > 0 ? 'Glue.WorkflowActionsFailed' : undefined;
  }
}

/**
 * Pipeline `index` of the soak with `seed`: 1 to 12 steps of every kind, a sequence or a
 * dependsOn graph, some steps retried, some failing. Pure: the same seed and index give the
 * same pipeline, whatever else the soak drew.
 */
export function drawPipeline(seed: number, index: number): PipelinePlan {
  const rng = Prng.of(seed, 'pipeline', index);
  const count = rng.weighted<number>([[1, 2], [2, 3], [3, 4], [4, 3], [5, 3], [6, 2], [8, 2], [10, 1], [MAX_STEPS, 1]]);
  const shape = count > 1 && rng.chance(0.5) ? 'graph' : 'sequence';
  const steps: StepPlan[] = [];
  for (let i = 0; i < count; i++) {
    const kind = rng.weighted<SoakStepKind>([['job', 5], ['crawler', 2], ['trigger', 1], ['workflow', 2]]);
    const name = `s${i + 1}_${kind}`;
    const earlier = steps.map((s) => s.name);
    const dependsOn = shape === 'graph' ? (i === 0 || rng.chance(0.2) ? [] : rng.subset(earlier, rng.int(1, 3))) : undefined;
    // A reference needs an upstream step: in a sequence any earlier one, in a graph a dependency.
    const upstream = shape === 'graph' ? dependsOn ?? [] : earlier;
    const refersTo = kind === 'job' && upstream.length > 0 && rng.chance(0.25) ? rng.pick(upstream) : undefined;
    const outcome = drawOutcome(rng, kind);
    const failure = failureOf(outcome);
    const retry = rng.chance(0.25)
      ? { errors: [failure && rng.chance(0.7) ? failure : 'States.ALL'], maxAttempts: rng.int(1, 2), intervalSeconds: rng.pick([30, 60, 120]) }
      : undefined;
    steps.push({ name, kind, resource: `${kind}-${i + 1}`, dependsOn, refersTo, retry, outcome });
  }
  return { index, shape, steps };
}

function drawOutcome(rng: Prng, kind: SoakStepKind): StepOutcome {
  const fails = rng.chance(0.08);
  switch (kind) {
    case 'job': {
      const job: StepOutcome & { kind: 'job' } = {
        kind,
        seconds: rng.int(10, 180),
        finalState: fails ? rng.weighted([['FAILED', 4], ['TIMEOUT', 1], ['STOPPED', 1], ['ERROR', 1], ['EXPIRED', 1]] as const) : 'SUCCEEDED',
      };
      if (!rng.chance(0.2)) {
        return job;
      }
      // A job with Glue's own retries: some attempts fail before the one that ends the step.
      const maxRetries = rng.int(1, 2);
      return { ...job, maxRetries, failedAttempts: job.finalState === 'FAILED' ? maxRetries : rng.int(0, maxRetries) };
    }
    case 'crawler':
      return { kind, seconds: rng.int(10, 120), status: fails ? 'FAILED' : 'SUCCEEDED' };
    case 'trigger':
      return { kind };
    case 'workflow':
      return fails && rng.chance(0.3)
        ? { kind, seconds: rng.int(10, 120), failedActions: 0, finalStatus: 'ERROR' }
        : { kind, seconds: rng.int(10, 120), failedActions: fails ? rng.int(1, 2) : 0, finalStatus: 'COMPLETED' };
  }
}
