import { STEP_KIND_SPECS, STEP_KINDS, StepErrorName, StepKind } from '../../shared/contract';

/** The error names the runner fails a step of each kind with (a `retry` may name only these). */
export const ERRORS_RAISED_BY: Readonly<Record<StepKind, readonly StepErrorName[]>> = Object.fromEntries(
  STEP_KINDS.map((kind) => [kind, STEP_KIND_SPECS[kind].errors]),
) as unknown as Record<StepKind, readonly StepErrorName[]>;

/**
 * Step Functions' own error names a Task state's Retry can match ("Error names" in "Handling
 * errors in Step Functions workflows"); `States.DataLimitExceeded` and `States.Runtime` are
 * terminal and never retried.
 */
export const STATES_ERRORS: readonly string[] = [
  'States.ALL', 'States.HeartbeatTimeout', 'States.Timeout', 'States.TaskFailed', 'States.Permissions',
  'States.ResultPathMatchFailure', 'States.ParameterPathFailure',
];
