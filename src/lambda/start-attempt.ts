import { failStep } from './fail-step';
import { startJobRun, stopJobRun } from './glue-runs';
import { describeError, log } from './log';
import { RunnerContext } from './runner-context';
import { classifyStartError, startBackoffMs } from './start-errors';
import { StepErrorNames, TrackingRecord } from '../shared/contract';

export type StartAttemptOutcome = 'started' | 'deferred' | 'failed';

/**
 * One StartJobRun for a record the caller holds (fresh intent, or a claimed STARTING record).
 * A transient refusal defers the start, bounded by the token's life; a permanent one fails the
 * step. The run id is saved before anything else; a run that cannot be tracked is stopped.
 */
export async function attemptStart(ctx: RunnerContext, record: TrackingRecord): Promise<StartAttemptOutcome> {
  const { store } = ctx;
  let runId: string;
  try {
    runId = await startJobRun(record.input, record.tokenId);
  } catch (err) {
    const attempts = record.startAttempts + 1;
    if (classifyStartError(err) === 'transient' && canRetryStart(record, ctx.now())) {
      const nextStartAt = ctx.now() + startBackoffMs(attempts);
      log.warn('start refused for now; retried later', { tokenId: record.tokenId, jobName: record.jobName, attempts, nextStartAt, reason: describeError(err) });
      try {
        await store.deferStart(record.sk, attempts, nextStartAt, describeError(err));
      } catch (deferErr) {
        // The record keeps this invocation's lease; once it runs out, a later cycle resumes it.
        log.error('could not record the deferral; resumed after the lease', { tokenId: record.tokenId, reason: describeError(deferErr) });
      }
      return 'deferred';
    }
    await failSafely(ctx, record, StepErrorNames.START_FAILED, 'START_FAILED',
      attempts > 1 ? `StartJobRun refused ${attempts} times; last: ${describeError(err)}` : describeError(err));
    await removeSafely(ctx, record);
    return 'failed';
  }

  try {
    await store.markRunning(record.sk, runId);
  } catch (err) {
    // The run exists but is not tracked: stop it and fail the task rather than orphan either.
    log.error('run started but not tracked; stopping it', { tokenId: record.tokenId, jobName: record.jobName, jobRunId: runId, reason: describeError(err) });
    let stopped = 'so it was stopped';
    try {
      await stopJobRun(record.jobName, runId);
    } catch (stopErr) {
      stopped = `and stopping it failed too (${describeError(stopErr)}); stop it by hand`;
      log.error('could not stop untracked run', { tokenId: record.tokenId, jobRunId: runId, reason: describeError(stopErr) });
    }
    await failSafely(ctx, { ...record, jobRunId: runId }, StepErrorNames.TRACKING_FAILED, 'TRACKING_FAILED',
      `run ${runId} was started but could not be tracked, ${stopped}: ${describeError(err)}`);
    await removeSafely(ctx, record);
    return 'failed';
  }
  log.info('run started', { tokenId: record.tokenId, stepName: record.stepName, jobName: record.jobName, jobRunId: runId, startAttempts: record.startAttempts + 1 });
  return 'started';
}

/** Another start may wait for a later cycle only while the token outlives that cycle. */
export function canRetryStart(record: TrackingRecord, now: number): boolean {
  const tokenDiesAt = Date.parse(record.createdAt) + record.input.taskTimeoutSeconds * 1000;
  return now + 2 * record.input.heartbeatSeconds * 1000 < tokenDiesAt;
}

/** Fails the step; a failure that cannot be reported is left to the state's timeouts. */
export async function failSafely(ctx: RunnerContext, record: TrackingRecord, error: string, finalState: string, message: string) {
  try {
    return await failStep(record.taskToken, {
      pipelineId: ctx.config.pipelineId,
      stepName: record.stepName,
      jobName: record.jobName,
      jobRunId: record.jobRunId,
      executionId: record.executionId,
      finalState,
      error,
      message,
    }, ctx.config.mail, record.tokenId);
  } catch (err) {
    log.error('could not report failure; the state\'s timeouts will end the task', { tokenId: record.tokenId, reason: describeError(err) });
    return undefined;
  }
}

async function removeSafely(ctx: RunnerContext, record: TrackingRecord) {
  try {
    await ctx.store.remove(record.sk);
  } catch (err) {
    log.error('could not remove record; it expires by TTL', { tokenId: record.tokenId, reason: describeError(err) });
  }
}
