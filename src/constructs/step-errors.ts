import { StepErrorNames } from '../shared/contract';

/**
 * Error names a failed step ends with. Use them in `Retry`/`Catch` `errors` of states that wrap
 * the pipeline, or to tell failures apart in an execution's history.
 */
export class StepErrors {
  /** The Glue job run ended FAILED. */
  public static readonly JOB_FAILED: string = StepErrorNames.JOB_FAILED;
  /** The Glue job run ended TIMEOUT (its run timeout elapsed). */
  public static readonly JOB_TIMEOUT: string = StepErrorNames.JOB_TIMEOUT;
  /** The Glue job run ended STOPPED (stopped by someone else). */
  public static readonly JOB_STOPPED: string = StepErrorNames.JOB_STOPPED;
  /** The Glue job run ended ERROR. */
  public static readonly JOB_ERROR: string = StepErrorNames.JOB_ERROR;
  /** The Glue job run ended EXPIRED. */
  public static readonly JOB_EXPIRED: string = StepErrorNames.JOB_EXPIRED;
  /** The crawler's crawl ended FAILED. */
  public static readonly CRAWLER_FAILED: string = StepErrorNames.CRAWLER_FAILED;
  /** The crawler's crawl ended CANCELLED (stopped by someone else). */
  public static readonly CRAWLER_CANCELLED: string = StepErrorNames.CRAWLER_CANCELLED;
  /** The workflow run completed, but some of its actions (jobs, crawlers) failed, stopped, timed out or errored. */
  public static readonly WORKFLOW_ACTIONS_FAILED: string = StepErrorNames.WORKFLOW_ACTIONS_FAILED;
  /** The workflow run ended STOPPED (stopped by someone else). */
  public static readonly WORKFLOW_STOPPED: string = StepErrorNames.WORKFLOW_STOPPED;
  /** The workflow run ended ERROR. */
  public static readonly WORKFLOW_ERROR: string = StepErrorNames.WORKFLOW_ERROR;
  /**
   * Glue refused to start the step's run, crawl or trigger (unknown resource, bad argument,
   * concurrency limit, throttling...).
   */
  public static readonly START_FAILED: string = StepErrorNames.START_FAILED;
  /** Glue no longer knows the run the step was waiting for. */
  public static readonly RUN_NOT_FOUND: string = StepErrorNames.RUN_NOT_FOUND;
  /** The task input was not a valid step input (not JSON, missing resource name, bad argument...). */
  public static readonly INVALID_INPUT: string = StepErrorNames.INVALID_INPUT;
  /** The runner could not record the task in its tracking table. */
  public static readonly TRACKING_FAILED: string = StepErrorNames.TRACKING_FAILED;

  private constructor() {}
}
