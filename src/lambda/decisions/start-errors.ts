/**
 * Pure decisions about a refused start (StartJobRun, StartCrawler, StartWorkflowRun, StartTrigger): retry later, or fail the step.
 */

/** Errors after which the same StartJobRun can succeed later. */
export const TRANSIENT_START_ERRORS: readonly string[] = [
  'ConcurrentRunsExceededException', // the job's (or workflow's) MaxConcurrentRuns is reached
  'CrawlerRunningException', // a crawl started by someone else: wait for it to end, then crawl
  'ThrottlingException',
  'OperationTimeoutException',
  'InternalServiceException',
  'ResourceNumberLimitExceededException', // an account quota, freed as other runs end
  'TimeoutError', // no answer in time: the run may have started; the correlation lookup finds it
  'MissingJobRunIdError', // an answer without a run id: the correlation lookup finds the run, if any
];

/** Network failures with no HTTP answer: the call's outcome is unknown. */
const NETWORK_ERROR_CODES: readonly string[] = ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED'];

export type StartErrorKind = 'transient' | 'permanent';

/**
 * Transient: a listed error, a 5xx, or a network failure with no HTTP answer (the outcome is
 * unknown, and the run is looked up by its correlation argument before any new start).
 * Anything else is permanent: an unknown job, a bad argument, access denied, or a fault in the
 * runner itself (a TypeError), which no retry can mend.
 */
export function classifyStartError(err: unknown): StartErrorKind {
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  if (e?.name && TRANSIENT_START_ERRORS.includes(e.name)) {
    return 'transient';
  }
  const status = e?.$metadata?.httpStatusCode;
  if (status !== undefined) {
    return status >= 500 ? 'transient' : 'permanent';
  }
  return e?.code && NETWORK_ERROR_CODES.includes(e.code) ? 'transient' : 'permanent';
}

/**
 * Refusals: Glue answered that it did not act on the call (4xx). Whatever else a transient
 * failure is (a 5xx, a timeout, a dropped connection, an answer without an id) may have
 * started the work: its outcome is unknown.
 */
const REFUSALS: readonly string[] = [
  'ConcurrentRunsExceededException',
  'CrawlerRunningException',
  'ThrottlingException',
  'ResourceNumberLimitExceededException',
];

/**
 * Whether a failed start may have taken effect. The next attempt then looks for what it
 * started from the time it was sent, not only from the time the retry was due. Pure.
 */
export function startOutcomeUnknown(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  if (e?.name && REFUSALS.includes(e.name)) {
    return false;
  }
  const status = e?.$metadata?.httpStatusCode;
  return status === undefined || status >= 500 || e?.name === 'OperationTimeoutException';
}

/** Wait before start attempt `attempts + 1`: 30 s doubling, at most 10 minutes. */
export function startBackoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 600_000);
}
