import type { TaskRetryPolicy } from '../../shared/contract';

/** Matches every error name but `States.Runtime` and `States.DataLimitExceeded`, neither of which the runner reports. */
const ALL = 'States.ALL';
/** Matches every error name but `States.Timeout`. */
const TASK_FAILED = 'States.TaskFailed';

/**
 * Whether Step Functions will try a state again after it failed with `error` on the try after
 * `retryCount` retries (`$$.State.RetryCount`), by its Retry list: the first retrier whose
 * ErrorEquals matches the error decides, and it retries while it has made fewer than its
 * MaxAttempts retries. Pure. Undefined when the task input does not say (an older state
 * machine).
 *
 * `$$.State.RetryCount` counts the state's retries by every retrier, and a retrier's MaxAttempts
 * counts its own: the two differ only after a retry by another retrier of the state, which here
 * is a lost task token's (`States.HeartbeatTimeout`, never an error the runner reports). After
 * such a retry, a step the user's retrier would still retry reads as not retried.
 */
export function willRetry(error: string, retryCount: number | undefined, retriers: readonly TaskRetryPolicy[] | undefined): boolean | undefined {
  if (retriers === undefined || retryCount === undefined) {
    return undefined;
  }
  const retrier = retriers.find((r) => r.errors.some((name) => matches(name, error)));
  return retrier !== undefined && retryCount < retrier.maxAttempts;
}

function matches(errorEquals: string, error: string): boolean {
  switch (errorEquals) {
    case ALL: return error !== 'States.Runtime' && error !== 'States.DataLimitExceeded';
    case TASK_FAILED: return error !== 'States.Timeout';
    default: return errorEquals === error;
  }
}
