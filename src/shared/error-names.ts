/** Error names sent with SendTaskFailure: what Retry/Catch `ErrorEquals` match. */
export const StepErrorNames = {
  JOB_FAILED: 'Glue.JobFailed',
  JOB_TIMEOUT: 'Glue.JobTimeout',
  JOB_STOPPED: 'Glue.JobStopped',
  JOB_ERROR: 'Glue.JobError',
  JOB_EXPIRED: 'Glue.JobExpired',
  CRAWLER_FAILED: 'Glue.CrawlerFailed',
  CRAWLER_CANCELLED: 'Glue.CrawlerCancelled',
  WORKFLOW_ACTIONS_FAILED: 'Glue.WorkflowActionsFailed',
  WORKFLOW_STOPPED: 'Glue.WorkflowStopped',
  WORKFLOW_ERROR: 'Glue.WorkflowError',
  START_FAILED: 'Glue.StartFailed',
  RUN_NOT_FOUND: 'Glue.RunNotFound',
  INVALID_INPUT: 'Pipeline.InvalidInput',
  TRACKING_FAILED: 'Pipeline.TrackingFailed',
} as const;

export type StepErrorName = typeof StepErrorNames[keyof typeof StepErrorNames];

/** What may end a task of any kind besides its Glue work: bad input, tracking, a start Glue refused. */
export const ANY_STEP_ERRORS: readonly StepErrorName[] = [StepErrorNames.START_FAILED, StepErrorNames.INVALID_INPUT, StepErrorNames.TRACKING_FAILED];
