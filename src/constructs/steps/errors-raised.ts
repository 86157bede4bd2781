import { StepErrorName, StepErrorNames, StepKind } from '../../shared/contract';

/** What may end a step's task besides its Glue work: bad input, tracking, a start Glue refused. */
const ANY_STEP: readonly StepErrorName[] = [StepErrorNames.START_FAILED, StepErrorNames.INVALID_INPUT, StepErrorNames.TRACKING_FAILED];

/** The error names the runner fails a step of each kind with (a `retry` may name only these). */
export const ERRORS_RAISED_BY: Readonly<Record<StepKind, readonly StepErrorName[]>> = {
  'glue-job': [
    StepErrorNames.JOB_FAILED, StepErrorNames.JOB_TIMEOUT, StepErrorNames.JOB_STOPPED, StepErrorNames.JOB_ERROR, StepErrorNames.JOB_EXPIRED,
    StepErrorNames.RUN_NOT_FOUND, ...ANY_STEP,
  ],
  'glue-crawler': [StepErrorNames.CRAWLER_FAILED, StepErrorNames.CRAWLER_CANCELLED, StepErrorNames.RUN_NOT_FOUND, ...ANY_STEP],
  'glue-trigger': [...ANY_STEP],
  'glue-workflow': [
    StepErrorNames.WORKFLOW_ACTIONS_FAILED, StepErrorNames.WORKFLOW_STOPPED, StepErrorNames.WORKFLOW_ERROR, StepErrorNames.RUN_NOT_FOUND, ...ANY_STEP,
  ],
};

/**
 * Step Functions' own error names a Task state's Retry can match ("Error names" in "Handling
 * errors in Step Functions workflows"); `States.DataLimitExceeded` and `States.Runtime` are
 * terminal and never retried.
 */
export const STATES_ERRORS: readonly string[] = [
  'States.ALL', 'States.HeartbeatTimeout', 'States.Timeout', 'States.TaskFailed', 'States.Permissions',
  'States.ResultPathMatchFailure', 'States.ParameterPathFailure',
];
