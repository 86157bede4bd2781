/**
 * The heartbeat and timeout policy, in one place for both sides: the construct writes each
 * step state's HeartbeatSeconds and TimeoutSeconds from it, and the runner plans its heartbeat
 * rounds and its start retries by it. Plain numbers (no CDK types): the runner bundle imports
 * this module too.
 *
 * The runner's sweeps keep every in-flight task heartbeated (in rounds, see
 * src/lambda/decisions/heartbeat-round.ts) as long as no two sweeps in a row are lost, so a task
 * whose heartbeats stop for two check intervals plus one runner run has lost its token (the
 * runner died between GetActivityTask and its tracking write); the state's Retry dispatches it
 * again.
 */

/** The runner's Lambda timeout: a full 60 s long poll plus the check and start work around it. */
export const RUNNER_TIMEOUT_SECONDS = 180;

/** Time a run may sit in WAITING for capacity before it starts (Flex: up to about 20 minutes). */
export const START_ALLOWANCE_SECONDS = 30 * 60;

/**
 * Time a sweep is given to reach a task's heartbeat once it starts. Less than the runner's
 * timeout, so a round is due before the state's heartbeat timeout (see `heartbeatLeadMs`).
 */
export const SWEEP_REACH_MS = 120_000;

/**
 * The state's HeartbeatSeconds at check interval `checkIntervalSeconds`: two intervals (the
 * next sweep may be lost) plus one runner run.
 */
export function heartbeatSeconds(checkIntervalSeconds: number): number {
  return 2 * checkIntervalSeconds + RUNNER_TIMEOUT_SECONDS;
}

/**
 * The state's TimeoutSeconds: the run timeout, plus time to wait for capacity, plus the same
 * slack as the heartbeat, so Glue's own TIMEOUT state is normally reported before the state
 * machine gives up.
 */
export function taskTimeoutSeconds(checkIntervalSeconds: number, runTimeoutMinutes: number): number {
  return runTimeoutMinutes * 60 + START_ALLOWANCE_SECONDS + heartbeatSeconds(checkIntervalSeconds);
}

/**
 * How near a task's heartbeat deadline must be for a sweep to send a round: two check
 * intervals (the next sweep may be lost) plus the time that sweep takes to reach the
 * heartbeat. One runner run less than HeartbeatSeconds' slack of two intervals and a runner
 * run, so a round is due every sweep at long intervals, and every other sweep at one minute;
 * duplicate, overlapping and event-driven invocations send none.
 */
export function heartbeatLeadMs(checkIntervalMs: number): number {
  return 2 * checkIntervalMs + SWEEP_REACH_MS;
}

/**
 * Whether a refused start may wait for a later cycle: only while the token (`taskTimeoutSeconds`
 * after `createdAtMs`) outlives two heartbeat periods from `now`.
 */
export function startMayWait(
  now: number, createdAtMs: number, task: { readonly taskTimeoutSeconds: number; readonly heartbeatSeconds: number },
): boolean {
  return now + 2 * task.heartbeatSeconds * 1000 < createdAtMs + task.taskTimeoutSeconds * 1000;
}

/**
 * Step Functions' redrivable period: `RedriveExecution` reruns a failed, timed-out or aborted
 * execution's failed states up to 14 days after it ended, with the same ARN, so kept step results
 * must outlive it (see `keepResultSeconds` in src/constructs/pipeline-plan.ts and
 * `resultLifeSeconds` in the runner).
 */
export const REDRIVE_WINDOW_SECONDS = 14 * 24 * 3600;
