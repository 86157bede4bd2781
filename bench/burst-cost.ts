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

/** Empty polls of the invocations of one trigger kind. */
export interface EmptyPollsOfTrigger {
  readonly trigger: string;
  readonly invocations: number;
  readonly polls: number;
  readonly emptyPolls: number;
  readonly emptyPollSeconds: number;
}

/**
 * Which trigger kind ran each empty poll: polls are matched to the invocation that made them by
 * the worker name (the runner passes its request id), invocations read their trigger off their
 * result (`unknown` when they ended without one). Pure.
 */
export function emptyPollsByTrigger(
  invocations: readonly (Span & { readonly requestId: string; readonly throttled?: boolean; readonly result?: unknown })[],
  polls: readonly (Span & { readonly workerName?: string; readonly handedOut?: boolean })[],
  now: number,
): EmptyPollsOfTrigger[] {
  const triggerOf = new Map<string, string>();
  for (const i of invocations.filter((inv) => !inv.throttled)) {
    const trigger = (i.result as { trigger?: unknown } | undefined)?.trigger;
    triggerOf.set(i.requestId, typeof trigger === 'string' ? trigger : 'unknown');
  }
  const rows = new Map<string, { trigger: string; invocations: number; polls: number; emptyPolls: number; emptyPollSeconds: number }>();
  const row = (trigger: string) => {
    const existing = rows.get(trigger) ?? { trigger, invocations: 0, polls: 0, emptyPolls: 0, emptyPollSeconds: 0 };
    rows.set(trigger, existing);
    return existing;
  };
  triggerOf.forEach((trigger) => row(trigger).invocations++);
  for (const p of polls) {
    const r = row(triggerOf.get(p.workerName ?? '') ?? 'unknown');
    r.polls++;
    if (!p.handedOut) {
      r.emptyPolls++;
      r.emptyPollSeconds += (p.endedAt ?? now) - p.startedAt;
    }
  }
  return [...rows.values()].sort((a, b) => a.trigger.localeCompare(b.trigger));
}
