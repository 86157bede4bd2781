/**
 * How the SDK retries Glue's start calls (StartJobRun, StartCrawler, StartTrigger,
 * StartWorkflowRun). None of them takes an idempotency token, so a call re-sent after a 5xx, a
 * timeout or a dropped connection may start a second run, crawl or firing. The only error
 * re-sent here is throttling: Glue refused the call for its rate, so it took no effect. Every
 * other failure goes back to the runner, whose next attempt first looks for what the call may
 * have started (see start-attempt.ts).
 */

/** Calls of one start at most: the first and two re-sends after throttling. */
export const START_CALL_MAX_ATTEMPTS = 3;

/** The SDK's classes of a failed call (`RetryErrorInfo.errorType` in @smithy/types). */
export type SdkErrorType = 'THROTTLING' | 'TRANSIENT' | 'SERVER_ERROR' | 'CLIENT_ERROR';

/** Whether the SDK sends a failed start call again, after `callsSoFar` calls of it. Pure. */
export function resendStart(errorType: string, callsSoFar: number): boolean {
  return errorType === 'THROTTLING' && callsSoFar < START_CALL_MAX_ATTEMPTS;
}

/** Wait before call `callsSoFar + 1`: full jitter over 100 ms doubling, at most 5 s. */
export function resendDelayMs(callsSoFar: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(5_000, 100 * 2 ** callsSoFar));
}

/** One start's retry state, in the shape of the SDK's `RetryToken`. */
class StartCallToken {
  constructor(private readonly retries: number, private readonly delayMs: number) {}
  public getRetryCount(): number {
    return this.retries;
  }
  public getRetryDelay(): number {
    return this.delayMs;
  }
}

/**
 * The SDK retry strategy (the shape of @smithy/types `RetryStrategyV2`) of the client that
 * makes start calls. Refusing a retry rejects, and the SDK then throws the call's own error.
 */
export const startCallRetryStrategy = {
  acquireInitialRetryToken: async (_scope: string) => new StartCallToken(0, 0),
  refreshRetryTokenForRetry: async (token: StartCallToken, info: { readonly errorType: string }) => {
    const calls = token.getRetryCount() + 1;
    if (!resendStart(info.errorType, calls)) {
      throw new Error(`start call not re-sent (${info.errorType})`);
    }
    return new StartCallToken(calls, resendDelayMs(calls));
  },
  recordSuccess: (_token: StartCallToken) => undefined,
};
