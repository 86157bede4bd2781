/** A retrier of a state's `Retry` field, as Amazon States Language defines it. */
export interface Retrier {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
}

/** Which retrier takes an error, and how long Step Functions waits before the next attempt. */
export interface RetryDecision {
  readonly retrier: number;
  readonly seconds: number;
}

/**
 * Step Functions' retry rule: the first retrier whose `ErrorEquals` names the error (or
 * `States.ALL`, or `States.TaskFailed` for any error but `States.Timeout`) takes it; if that
 * retrier has attempts left (`MaxAttempts`, default 3), the wait is `IntervalSeconds` (default 1)
 * times `BackoffRate` (default 2.0) to the power of the attempts it already made, at most
 * `MaxDelaySeconds`. `attempts[i]` counts the retries retrier i made so far. Undefined: no retry.
 */
export function retryWait(retriers: readonly Retrier[], attempts: readonly number[], error: string): RetryDecision | undefined {
  const i = retriers.findIndex((r) => r.ErrorEquals.some((e) => e === error || e === 'States.ALL' || (e === 'States.TaskFailed' && error !== 'States.Timeout')));
  if (i < 0) {
    return undefined;
  }
  const r = retriers[i];
  const made = attempts[i] ?? 0;
  if (made >= (r.MaxAttempts ?? 3)) {
    return undefined;
  }
  const seconds = (r.IntervalSeconds ?? 1) * Math.pow(r.BackoffRate ?? 2, made);
  return { retrier: i, seconds: r.MaxDelaySeconds === undefined ? seconds : Math.min(seconds, r.MaxDelaySeconds) };
}
