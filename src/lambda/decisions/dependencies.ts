import { REDRIVE_WINDOW_SECONDS } from '../../shared/timing-policy';

/**
 * Pure rules for steps that form a graph: an execution hands out every step's task at once,
 * and the runner holds each task until the steps it depends on have succeeded.
 */

/** Whether the step belongs to a graph (its input lists its dependencies, maybe none). */
export function inGraph(input: { readonly dependsOn?: readonly string[] } | undefined): boolean {
  return input?.dependsOn !== undefined;
}

/** The dependencies that have not succeeded yet; none means the step may start. */
export function unmetDependencies(input: { readonly dependsOn?: readonly string[] }, succeeded: ReadonlySet<string>): string[] {
  return (input.dependsOn ?? []).filter((step) => !succeeded.has(step));
}

/**
 * How many of a graph execution's tasks may still be waiting to be taken: one per step, less
 * those tracked (taken and not finished) and those that succeeded. Never negative.
 */
export function untakenTasks(graphSteps: number, tracked: number, succeeded: number): number {
  return Math.max(0, graphSteps - tracked - succeeded);
}

/**
 * Whether a kept result counts as a step done when the runner plans its polls. Until the state
 * machine accepts the success (confirmed: no `unconfirmedUntil`), the step's token may have run
 * out first and a Retry dispatched the step again, a task to poll for. Past `unconfirmedUntil`
 * (epoch ms) no such task came, so the success was accepted: a runner that died between the
 * report and the confirmation costs a few polls, not one per sweep for the rest of the execution.
 */
export function resultSettled(unconfirmedUntil: number | undefined, now: number): boolean {
  return unconfirmedUntil === undefined || unconfirmedUntil <= now;
}

/**
 * How long an unconfirmed result may stand for a task still to come: the token's life without
 * a heartbeat (after which the Retry dispatches the step again), once more for that new task to
 * be taken, and two check intervals for the sweeps that take it.
 */
export function unconfirmedForMs(heartbeatSeconds: number, checkIntervalMs: number): number {
  return 2 * heartbeatSeconds * 1000 + 2 * checkIntervalMs;
}

/**
 * How long a graph step's result is kept when its input does not say: every step of a graph
 * keeps one, so a sweep can count the steps done; one that nobody reads needs to outlive the
 * execution's other tasks, redriven ones included: its own token, the 14 days a failed execution
 * may be redriven in, and a day. Should it be gone all the same, a sweep of the redrive expects
 * one task too many: an empty poll, never a step run twice (Step Functions does not rerun it).
 */
/**
 * The expiry (epoch seconds) a kept result is extended to when a redriven execution's task is
 * taken: its life (`lifeSeconds`, as kept) from now, when that is later than its expiry; undefined
 * to leave it (already later, an older item without a life, or already expired: a result past
 * its expiry stays gone, as reads treat it). Each run of an execution lasts at most the longest
 * the execution can last, and a redrive comes at most 14 days after a run ended; a result whose
 * life covers both (`keepResultSeconds`), renewed by each redrive's first task, outlives every
 * redrive Step Functions allows, however many there are. Pure.
 */
export function extendedExpiry(item: { readonly expiresAt: number; readonly lifeSeconds?: number }, nowMs: number): number | undefined {
  if (item.lifeSeconds === undefined || item.expiresAt * 1000 <= nowMs) {
    return undefined;
  }
  const renewed = Math.ceil(nowMs / 1000) + item.lifeSeconds;
  return renewed > item.expiresAt ? renewed : undefined;
}

export function resultLifeSeconds(input: { readonly keepResultSeconds?: number; readonly taskTimeoutSeconds: number }): number {
  return input.keepResultSeconds ?? input.taskTimeoutSeconds + REDRIVE_WINDOW_SECONDS + 24 * 3600;
}
