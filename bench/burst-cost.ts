/** What a burst cost in Lambda time, and how much of it went to long polls that found nothing. Pure. */

/** A span of simulated time; one still open counts up to the moment of the reckoning. */
export interface Span {
  readonly startedAt: number;
  readonly endedAt?: number;
}

export interface BurstCost {
  /** Seconds of every invocation that ran (throttled attempts never ran and are not billed). */
  readonly billedSeconds: number;
  /** Seconds of every GetActivityTask call that handed out no task. */
  readonly emptyPollSeconds: number;
  /** emptyPollSeconds / billedSeconds; 0 when nothing was billed. */
  readonly emptyPollShare: number;
}

/**
 * Reckons a burst's cost at simulated time `now`. Lambda bills an invocation's duration, so
 * billed seconds are the sum of the invocations' spans; the runner makes one poll at a time, so
 * an empty poll's span is billed time of the invocation that made it.
 */
export function burstCost(
  invocations: readonly (Span & { readonly throttled?: boolean })[],
  polls: readonly (Span & { readonly handedOut?: boolean })[],
  now: number,
): BurstCost {
  const seconds = (span: Span) => (span.endedAt ?? now) - span.startedAt;
  const billedSeconds = invocations.filter((i) => !i.throttled).reduce((sum, i) => sum + seconds(i), 0);
  // A poll still open has handed out nothing yet.
  const emptyPollSeconds = polls.filter((p) => !p.handedOut).reduce((sum, p) => sum + seconds(p), 0);
  return { billedSeconds, emptyPollSeconds, emptyPollShare: billedSeconds > 0 ? emptyPollSeconds / billedSeconds : 0 };
}
