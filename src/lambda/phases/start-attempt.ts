import { claimAndClose } from './close-run';
import { failSafely } from './fail-step';
import { runnerError, stepFailed, stepStarted } from './metric-facts';
import { rerunStep } from './rerun-step';
import type { TaskOutcome } from './task-outcome';
import { StepErrorNames, StepTaskInput, TrackingRecord } from '../../shared/contract';
import { startMayWait } from '../../shared/timing-policy';
import { reportHeartbeat } from '../aws/activity-tasks';
import { referencedSteps, resolveReferences, StepResults } from '../decisions/references';
import { classifyStartError, startBackoffMs, startOutcomeUnknown } from '../decisions/start-errors';
import { describeError, log } from '../entry/log';
import { RunnerContext } from '../entry/runner-context';
import { InvalidTaskInputError } from '../entry/task-input';
import { driverFor } from '../kinds/driver-registry';

/** `succeeded`: the start itself was the whole step (a trigger), and its success is reported. */
export type StartAttemptOutcome = Extract<TaskOutcome, 'started' | 'deferred' | 'failed' | 'succeeded'>;

/**
 * One start of the step's Glue work for a record the caller holds (fresh intent, or a claimed
 * STARTING record). References in its arguments are resolved first; one that cannot be fails
 * the step. A transient refusal defers the start, bounded by the token's life; a permanent one
 * fails the step. The run id is saved before anything else; a run that cannot be tracked is
 * stopped.
 */
export async function attemptStart(ctx: RunnerContext, record: TrackingRecord, known?: StepResults): Promise<StartAttemptOutcome> {
  const { store } = ctx;
  if (record.input.rerunFrom !== undefined && record.startAttempts === 0 && record.startSentAt === undefined) {
    // A re-run: the steps before the one it starts from take their earlier result instead. Once
    // a start of the step's work was tried, it was decided that the step runs: it is not decided
    // again (a lost start must be looked for, not refused over the earlier execution).
    const done = known ?? await store.results(record.executionId, ctx.now());
    const rerun = await rerunStep(ctx, record, done);
    if (rerun !== 'run') {
      return rerun;
    }
    known = done;
  }
  let input: StepTaskInput;
  try {
    input = resolveReferences(record.input, await resultsFor(ctx, record.input, known));
  } catch (err) {
    if (!(err instanceof InvalidTaskInputError)) {
      throw err;
    }
    await failCounted(ctx, record, StepErrorNames.INVALID_INPUT, 'INVALID_INPUT', err.message);
    await removeSafely(ctx, record);
    return 'failed';
  }
  const driver = driverFor(input);
  const sentAt = ctx.now();
  if (driver.marksStart) {
    // Before the call: a lost answer or a crash leaves the mark for the next attempt to look by.
    await store.markStartSent(record.sk, sentAt);
  }
  let runId: string;
  // What the step's expected duration is measured from: when the start of its work was sent.
  let runningSince = sentAt;
  try {
    runId = await driver.start(input, record.tokenId, sentAt);
  } catch (err) {
    const attempts = record.startAttempts + 1;
    // A start whose answer was lost may have taken effect: the next attempt looks before it
    // starts. A refusal took none (an earlier lost start was looked for before this try).
    const startSentAt = startOutcomeUnknown(err) ? sentAt : undefined;
    if (classifyStartError(err) === 'transient' && canRetryStart(record, ctx.now())) {
      const nextStartAt = ctx.now() + startBackoffMs(attempts);
      log.warn(startSentAt === undefined ? 'start refused for now; retried later' : 'start outcome unknown; looked for, or retried, later',
        { tokenId: record.tokenId, kind: input.kind, resourceName: record.resourceName, attempts, nextStartAt, reason: describeError(err) });
      try {
        await store.deferStart(record.sk, attempts, nextStartAt, describeError(err), startSentAt);
      } catch (deferErr) {
        // The record keeps this invocation's lease; once it runs out, a later cycle resumes it.
        runnerError(ctx, 'could not record the deferral; resumed after the lease', { tokenId: record.tokenId, reason: describeError(deferErr) });
      }
      return 'deferred';
    }
    // No more tries. What a lost start began is tracked rather than orphaned.
    const found = startSentAt === undefined ? undefined : await driver.findStarted({
      input, tokenId: record.tokenId, createdAt: Date.parse(record.createdAt), startSentAt,
    }, ctx.now());
    if (found === undefined) {
      await failCounted(ctx, record, StepErrorNames.START_FAILED, 'START_FAILED',
        attempts > 1 ? `${driver.startCall} refused ${attempts} times; last: ${describeError(err)}` : describeError(err));
      await removeSafely(ctx, record);
      return 'failed';
    }
    log.warn('start answer lost with no try left; what it started is tracked', { tokenId: record.tokenId, resourceName: record.resourceName, runId: found });
    runId = found;
    // It may be an earlier lost start's work: it runs since that one was sent, at the earliest.
    runningSince = record.startSentAt ?? sentAt;
  }

  try {
    await store.markRunning(record.sk, runId, runningSince);
  } catch (err) {
    // The run exists but is not tracked: stop it and fail the task rather than orphan either.
    runnerError(ctx, 'run started but not tracked; stopping it', { tokenId: record.tokenId, resourceName: record.resourceName, runId: runId, reason: describeError(err) });
    let stopped = 'so it was stopped';
    try {
      await driver.stop({ input, tokenId: record.tokenId, runId, createdAt: Date.parse(record.createdAt) });
    } catch (stopErr) {
      stopped = `and stopping it failed too (${describeError(stopErr)}); stop it by hand`;
      runnerError(ctx, 'could not stop untracked run', { tokenId: record.tokenId, runId: runId, reason: describeError(stopErr) });
    }
    await failCounted(ctx, { ...record, runId: runId }, StepErrorNames.TRACKING_FAILED, 'TRACKING_FAILED',
      `run ${runId} was started but could not be tracked, ${stopped}: ${describeError(err)}`);
    await removeSafely(ctx, record);
    return 'failed';
  }
  log.info('run started', { tokenId: record.tokenId, stepName: record.stepName, kind: input.kind, resourceName: record.resourceName, runId: runId, startAttempts: record.startAttempts + 1 });
  stepStarted(ctx, record, known);
  if (!driver.doneWhenStarted) {
    return 'started';
  }
  // The step is over once started (a trigger fired): report it now rather than at the next check.
  const observed = await driver.observe({ input, tokenId: record.tokenId, runId, createdAt: Date.parse(record.createdAt) }, ctx.now());
  if (observed.kind === 'in-flight') {
    return 'started';
  }
  const { outcome } = await claimAndClose(ctx, record.sk, observed, { ...record, status: 'RUNNING', runId: runId }, runId);
  return outcome === 'succeeded' ? 'succeeded' : 'started';
}

/**
 * The kept results of the steps the input refers to: those the caller read (`known`), else
 * read now; none read when it refers to none.
 */
async function resultsFor(ctx: RunnerContext, input: StepTaskInput, known: StepResults | undefined): Promise<StepResults> {
  return referencedSteps(input).length === 0 ? new Map() : known ?? ctx.store.results(input.executionId, ctx.now());
}

/** Fails the step (see `failSafely`) and counts the failure once Step Functions accepted it. */
async function failCounted(ctx: RunnerContext, record: TrackingRecord, error: string, finalState: string, message: string): Promise<void> {
  if ((await failSafely(ctx, record, error, finalState, message)) === 'sent') {
    stepFailed(ctx, record, error);
  }
}

/** Heartbeats a task with no run yet; false (and the record removed) when the token is dead. */
export async function keepAlive(ctx: RunnerContext, record: TrackingRecord): Promise<boolean> {
  if ((await reportHeartbeat(record.taskToken)) === 'closed') {
    log.warn('task closed before its run started; record removed', { tokenId: record.tokenId, stepName: record.stepName });
    await ctx.store.remove(record.sk);
    return false;
  }
  return true;
}

/** Another start may wait for a later cycle only while the token outlives that cycle. */
export function canRetryStart(record: TrackingRecord, now: number): boolean {
  return startMayWait(now, Date.parse(record.createdAt), record.input);
}

export async function removeSafely(ctx: RunnerContext, record: TrackingRecord) {
  try {
    await ctx.store.remove(record.sk);
  } catch (err) {
    runnerError(ctx, 'could not remove record; it expires by TTL', { tokenId: record.tokenId, reason: describeError(err) });
  }
}
