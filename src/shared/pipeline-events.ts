/**
 * The events the runner puts on the default event bus (source `PIPELINE_EVENT_SOURCE`,
 * detail-types `PipelineEventTypes`, both in operations.ts): the shape of each detail. The
 * runner writes them, the construct's rules match on them and the README documents them.
 */
import type { StepKind } from './step-kinds';

/** Console and log pages of a step attempt (failed or late), in the region of its execution. */
export interface StepFailureLinks {
  /** The Glue console page of the run (a job run), or of the resource (crawler, trigger, workflow). */
  readonly glue?: string;
  /** The Step Functions console page of the execution. */
  readonly execution?: string;
  /** CloudWatch Logs: a job run's output stream (`/aws-glue/jobs/output`), a crawler's stream (`/aws-glue/crawlers`). */
  readonly logs?: string;
  /** CloudWatch Logs: a job run's error stream (`/aws-glue/jobs/error`). */
  readonly errorLogs?: string;
}

/**
 * The detail of a `Glue Pipeline Step Failed` event: one per failed step attempt, retried or
 * not. A field whose value is not known (a task whose input could not be read, a state machine
 * deployed before these fields existed) is left out.
 */
export interface StepFailedDetail {
  /** The pipeline as the user named it: its state machine's name. */
  readonly pipeline: string;
  /** The pipeline's id (`GOP_PIPELINE_ID`, `pipelineId` on the construct): what rules match on. */
  readonly pipelineId: string;
  /** The execution's ARN. */
  readonly execution?: string;
  /** The step's name. */
  readonly step: string;
  /** The step's kind, e.g. `glue-job`. */
  readonly kind?: StepKind;
  /** The name of the Glue job, crawler, trigger or workflow. */
  readonly resourceName?: string;
  /** The job run id, crawl id or workflow run id; absent when no run was started. */
  readonly runId?: string;
  /** Glue's final state of the run, or the runner's reason when no run ended (e.g. START_FAILED). */
  readonly state: string;
  /** The error name the task failed with, which Retry and Catch match, e.g. `Glue.JobFailed`. */
  readonly error: string;
  /** Glue's error message, or the runner's explanation. */
  readonly message: string;
  /** `$$.State.RetryCount` of the failed attempt: 0 on the step's first try. */
  readonly attempt?: number;
  /**
   * How many times the execution had been redriven when the attempt failed: 0 in its first run.
   * A redrive tries a failed step again from `attempt` 0, so the two together name the attempt.
   */
  readonly redriveCount?: number;
  /** Whether Step Functions will try the step again, by the state's Retry. */
  readonly willRetry?: boolean;
  readonly links: StepFailureLinks;
}

/**
 * The detail of a `Glue Pipeline Step Late` event: one per step attempt that runs longer than
 * its step's `expectedDuration`, sent while the attempt's work still runs. A field whose value is
 * not known is left out.
 */
export interface StepLateDetail {
  /** The pipeline as the user named it: its state machine's name. */
  readonly pipeline: string;
  /** The pipeline's id (`GOP_PIPELINE_ID`, `pipelineId` on the construct): what rules match on. */
  readonly pipelineId: string;
  /** The execution's ARN. */
  readonly execution: string;
  /** The step's name. */
  readonly step: string;
  /** The step's kind, e.g. `glue-job`. */
  readonly kind: StepKind;
  /** The name of the Glue job, crawler or workflow. */
  readonly resourceName: string;
  /** The job run id (of the attempt Glue runs now, after its own retries), crawl id or workflow run id. */
  readonly runId: string;
  /** Glue's state of the run as the runner last read it, e.g. `RUNNING` or `WAITING`; absent when Glue did not say. */
  readonly state?: string;
  /** `$$.State.RetryCount` of the attempt: 0 on the step's first try. */
  readonly attempt?: number;
  /** How many times the execution had been redriven when the attempt ran late: 0 in its first run (see the failed event's `redriveCount`). */
  readonly redriveCount?: number;
  /** The step's `expectedDuration`, in seconds. */
  readonly expectedSeconds: number;
  /** Seconds the attempt's work has run, when the runner saw it late: more than `expectedSeconds`. */
  readonly runningSeconds: number;
  /** When the runner started the attempt's Glue work (ISO 8601): what `runningSeconds` counts from. */
  readonly runningSince: string;
  readonly links: StepFailureLinks;
}
