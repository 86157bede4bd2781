import { StepErrorNames } from '../shared/contract';

/**
 * Error names a failed step ends with. Use them in `Retry`/`Catch` `errors` of states that wrap
 * the pipeline, or to tell failures apart in an execution's history.
 */
export class StepErrors {
  /** The Glue run ended FAILED. */
  public static readonly JOB_FAILED: string = StepErrorNames.JOB_FAILED;
  /** The Glue run ended TIMEOUT (its run timeout elapsed). */
  public static readonly JOB_TIMEOUT: string = StepErrorNames.JOB_TIMEOUT;
  /** The Glue run ended STOPPED (stopped by someone else). */
  public static readonly JOB_STOPPED: string = StepErrorNames.JOB_STOPPED;
  /** The Glue run ended ERROR. */
  public static readonly JOB_ERROR: string = StepErrorNames.JOB_ERROR;
  /** The Glue run ended EXPIRED. */
  public static readonly JOB_EXPIRED: string = StepErrorNames.JOB_EXPIRED;
  /** StartJobRun was refused (unknown job, bad argument, concurrency limit, throttling...). */
  public static readonly START_FAILED: string = StepErrorNames.START_FAILED;
  /** Glue no longer knows the run the step was waiting for. */
  public static readonly RUN_NOT_FOUND: string = StepErrorNames.RUN_NOT_FOUND;
  /** The task input was not a valid step input (not JSON, missing job name, bad argument...). */
  public static readonly INVALID_INPUT: string = StepErrorNames.INVALID_INPUT;
  /** The runner could not record the task in its tracking table. */
  public static readonly TRACKING_FAILED: string = StepErrorNames.TRACKING_FAILED;

  private constructor() {}
}
