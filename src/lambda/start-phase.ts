import { ActivityTask, pollActivity } from './activity-tasks';
import { failStep } from './fail-step';
import { startJobRun, stopJobRun } from './glue-runs';
import { describeError, log } from './log';
import { RunnerConfig } from './runner-config';
import { InvalidTaskInputError, parseTaskInput } from './task-input';
import { tokenId as hashToken } from './token-id';
import { TaskAlreadyTrackedError, TrackingStore } from './tracking-store';
import { StepErrorNames, StepTaskInput, TrackingRecord, trackingPartition, trackingSortKey } from '../shared/contract';

/**
 * A long poll lasts up to 60 s; keep 30 s more for the work on the task it returns (record,
 * StartJobRun, run id), each of which may be retried by the SDK.
 */
export const POLL_RESERVE_MS = 90_000;

/** How long past the state's TimeoutSeconds a record is kept before TTL may remove it. */
const RECORD_GRACE_SECONDS = 24 * 3600;

export type StartOutcome = 'started' | 'failed' | 'skipped';

export interface StartSummary {
  polled: number;
  started: number;
  failed: number;
  /** Tasks another attempt already tracks. */
  skipped: number;
  /** True when the phase stopped because too little time was left for another poll. */
  outOfTime: boolean;
}

export interface StartContext {
  readonly config: RunnerConfig;
  readonly store: TrackingStore;
  readonly workerName: string;
  readonly remainingMs: () => number;
  readonly now?: () => Date;
}

/**
 * Start phase: takes every pending activity task and starts its Glue run. Stops when the
 * activity has nothing pending or when a full long poll would not fit before the deadline.
 * A fault in one task fails that task and never stops the others.
 */
export async function runStartPhase(ctx: StartContext): Promise<StartSummary> {
  const summary: StartSummary = { polled: 0, started: 0, failed: 0, skipped: 0, outOfTime: false };
  for (;;) {
    if (ctx.remainingMs() < POLL_RESERVE_MS) {
      summary.outOfTime = true;
      break;
    }
    const task = await pollActivity(ctx.config.activityArn, ctx.workerName);
    if (!task) {
      break;
    }
    summary.polled++;
    summary[await startTask(ctx, task)]++;
  }
  return summary;
}

async function startTask(ctx: StartContext, task: ActivityTask): Promise<StartOutcome> {
  const id = hashToken(task.taskToken);
  const { config, store } = ctx;

  let input: StepTaskInput;
  try {
    input = parseTaskInput(task.input);
  } catch (err) {
    const message = err instanceof InvalidTaskInputError ? err.message : describeError(err);
    await failStepSafely(ctx, task.taskToken, id, {
      stepName: stepNameOf(task.input),
      finalState: 'INVALID_INPUT',
      error: StepErrorNames.INVALID_INPUT,
      message,
    });
    return 'failed';
  }

  const now = (ctx.now ?? (() => new Date()))();
  const record: TrackingRecord = {
    pk: trackingPartition(config.pipelineId),
    sk: trackingSortKey(id),
    taskToken: task.taskToken,
    tokenId: id,
    status: 'STARTING',
    stepName: input.stepName,
    jobName: input.jobName,
    executionId: input.executionId,
    createdAt: now.toISOString(),
    expiresAt: Math.ceil(now.getTime() / 1000) + input.taskTimeoutSeconds + RECORD_GRACE_SECONDS,
  };

  try {
    await store.recordIntent(record);
  } catch (err) {
    if (err instanceof TaskAlreadyTrackedError) {
      // Another attempt owns this task; failing it here would race with that owner.
      log.warn('task already tracked; leaving it to its owner', { tokenId: id, stepName: input.stepName });
      return 'skipped';
    }
    await failStepSafely(ctx, task.taskToken, id, failureOf(input, 'TRACKING_FAILED', StepErrorNames.TRACKING_FAILED, `could not record the task: ${describeError(err)}`));
    return 'failed';
  }

  let runId: string;
  try {
    runId = await startJobRun(input);
  } catch (err) {
    await failStepSafely(ctx, task.taskToken, id, failureOf(input, 'START_FAILED', StepErrorNames.START_FAILED, describeError(err)));
    await removeSafely(store, record.sk, id);
    return 'failed';
  }

  try {
    await store.markRunning(record.sk, runId);
  } catch (err) {
    // The run exists but is not tracked: stop it and fail the task rather than orphan either.
    log.error('run started but not tracked; stopping it', { tokenId: id, jobName: input.jobName, jobRunId: runId, reason: describeError(err) });
    let stopped = 'so it was stopped';
    try {
      await stopJobRun(input.jobName, runId);
    } catch (stopErr) {
      stopped = `and stopping it failed too (${describeError(stopErr)}); stop it by hand`;
      log.error('could not stop untracked run', { tokenId: id, jobRunId: runId, reason: describeError(stopErr) });
    }
    await failStepSafely(ctx, task.taskToken, id, {
      ...failureOf(input, 'TRACKING_FAILED', StepErrorNames.TRACKING_FAILED, `run ${runId} was started but could not be tracked, ${stopped}: ${describeError(err)}`),
      jobRunId: runId,
    });
    await removeSafely(store, record.sk, id);
    return 'failed';
  }

  log.info('run started', { tokenId: id, stepName: input.stepName, jobName: input.jobName, jobRunId: runId });
  return 'started';
}

function failureOf(input: StepTaskInput, finalState: string, error: string, message: string) {
  return { stepName: input.stepName, jobName: input.jobName, executionId: input.executionId, finalState, error, message };
}

async function failStepSafely(ctx: StartContext, taskToken: string, id: string, failure: Omit<Parameters<typeof failStep>[1], 'pipelineId'>) {
  try {
    await failStep(taskToken, { ...failure, pipelineId: ctx.config.pipelineId }, ctx.config.mail, id);
  } catch (err) {
    // The token is not lost: the state's heartbeat timeout and Retry dispatch the task again.
    log.error('could not report failure; the heartbeat timeout will recover the task', { tokenId: id, reason: describeError(err) });
  }
}

async function removeSafely(store: TrackingStore, sk: string, id: string) {
  try {
    await store.remove(sk);
  } catch (err) {
    log.error('could not remove record; it expires by TTL', { tokenId: id, reason: describeError(err) });
  }
}

/** Best effort step name of an input that failed validation, for the failure mail. */
function stepNameOf(raw: string | undefined): string {
  try {
    const parsed = JSON.parse(raw ?? '');
    return typeof parsed?.stepName === 'string' && parsed.stepName ? parsed.stepName : '(unknown step)';
  } catch {
    return '(unknown step)';
  }
}
