import { confirmQuietly } from './close-run';
import { failStep } from './fail-step';
import { runnerError, stepFailed } from './metric-facts';
import { attemptStart, keepAlive } from './start-attempt';
import type { TaskOutcome } from './task-outcome';
import { afterSuccess, startWhenReady, WaitingOutcome } from './waiting-steps';
import { StepErrorNames, StepTaskInput, targetOf, TrackingRecord, trackingPartition, trackingSortKey } from '../../shared/contract';
import { ActivityTask, pollActivity, reportSuccess } from '../aws/activity-tasks';
import { inGraph } from '../decisions/dependencies';
import { expectsMoreTasks, PollPlan } from '../decisions/poll-plan';
import { describeError, log } from '../entry/log';
import { RunnerContext } from '../entry/runner-context';
import { InvalidTaskInputError, parseTaskInput } from '../entry/task-input';
import { tokenId as hashToken } from '../store/token-id';
import { TaskAlreadyTrackedError } from '../store/tracking-store';

/**
 * A long poll lasts up to 60 s; keep 30 s more for the work on the task it returns (record,
 * StartJobRun, run id), each of which may be retried by the SDK.
 */
export const POLL_RESERVE_MS = 90_000;

/** How long past the state's TimeoutSeconds a record is kept before TTL may remove it. */
const RECORD_GRACE_SECONDS = 24 * 3600;

export type StartOutcome = Exclude<WaitingOutcome, 'leased' | 'closed'> | Extract<TaskOutcome, 'skipped'>;

export interface StartSummary {
  /** Tasks expected, or `until-empty`. */
  expected: number | 'until-empty';
  /** GetActivityTask calls, and how many of them came back empty (each up to 60 s). */
  polls: number;
  emptyPolls: number;
  polled: number;
  started: number;
  /** Steps whose start was the whole step (triggers), reported at once. */
  succeeded: number;
  /** Steps of a graph held until their dependencies succeed. */
  waiting: number;
  /** Refused for a transient reason; retried by a later cycle. */
  deferred: number;
  failed: number;
  /** Tasks another attempt already tracks. */
  skipped: number;
  /** True when the phase stopped because too little time was left for another poll. */
  outOfTime: boolean;
}

/**
 * Start phase: takes pending activity tasks and starts their Glue runs, as long as `plan`
 * expects a task (see poll-plan.ts): it never polls when no task is expected, and stops once
 * it has taken as many tasks as the plan expects (of whichever executions: the activity hands
 * out whatever is pending), when a poll comes back empty, or when a full long poll would not fit
 * before the deadline. A fault in one task fails (or defers) that task and never stops the others.
 */
export async function runStartPhase(ctx: RunnerContext, workerName: string, plan: PollPlan): Promise<StartSummary> {
  const summary: StartSummary = {
    expected: typeof plan === 'string' ? plan : [...plan.values()].reduce((a, b) => a + b, 0),
    polls: 0,
    emptyPolls: 0,
    polled: 0,
    started: 0,
    succeeded: 0,
    waiting: 0,
    deferred: 0,
    failed: 0,
    skipped: 0,
    outOfTime: false,
  };
  // A step whose start was the whole step (a trigger) readies its execution's next task.
  let expecting = plan;
  while (expectsMoreTasks(expecting, summary.polled)) {
    if (ctx.remainingMs() < POLL_RESERVE_MS) {
      summary.outOfTime = true;
      break;
    }
    summary.polls++;
    const task = await pollActivity(ctx.config.activityArn, workerName);
    if (!task) {
      summary.emptyPolls++;
      break;
    }
    summary.polled++;
    try {
      const { outcome, input } = await startTask(ctx, task);
      summary[outcome]++;
      if (outcome === 'succeeded' && input) {
        const { successorReady, released } = await afterSuccess(ctx, input.executionId, input);
        if (successorReady && expecting !== 'until-empty') {
          expecting = new Map([...expecting, [successorReady, (expecting.get(successorReady) ?? 0) + 1]]);
        }
        summary.started += released?.started ?? 0;
        summary.succeeded += released?.succeeded ?? 0;
      }
    } catch (err) {
      // Whatever went wrong, the task is covered: by its record (resumed after the lease) or,
      // without one, by the state's heartbeat timeout and Retry. The next task goes on.
      runnerError(ctx, 'start of a task failed; left to recovery', { tokenId: hashToken(task.taskToken), reason: describeError(err) });
      summary.failed++;
    }
  }
  return summary;
}

/**
 * Records the task and starts it; a step of a graph whose dependencies have not all succeeded
 * is recorded WAITING (with no lease, so whoever sees its last dependency succeed may take it)
 * and started once they have: at once if they already had.
 */
async function startTask(ctx: RunnerContext, task: ActivityTask): Promise<{ outcome: StartOutcome; input?: StepTaskInput }> {
  const id = hashToken(task.taskToken);
  let input: StepTaskInput;
  try {
    input = parseTaskInput(task.input);
  } catch (err) {
    await failUntracked(ctx, task.taskToken, id, fieldOf(task.input, 'stepName') ?? '(unknown step)', StepErrorNames.INVALID_INPUT, 'INVALID_INPUT',
      err instanceof InvalidTaskInputError ? err.message : describeError(err));
    return { outcome: 'failed' };
  }

  if ((input.redriveCount ?? 0) > 0) {
    await renewResultsForRedrive(ctx, input, id);
  }

  if (inGraph(input) || input.keepResultSeconds !== undefined) {
    // The step may have succeeded already, its success lost on the way (its token ran out before
    // a report got through, and a Retry dispatched it again): report the kept result, start nothing.
    const kept = await ctx.store.keptResult(input.executionId, input.stepName, ctx.now());
    if (kept) {
      const report = await reportSuccess(task.taskToken, kept);
      log.info('step already succeeded; its kept result reported again', { tokenId: id, stepName: input.stepName, report });
      if (report === 'sent') {
        await confirmQuietly(ctx, input.executionId, input.stepName, id);
        return { outcome: 'succeeded', input };
      }
      return { outcome: 'skipped', input };
    }
  }

  const now = ctx.now();
  const waits = (input.dependsOn ?? []).length > 0;
  const record: TrackingRecord = {
    pk: trackingPartition(ctx.config.pipelineId),
    sk: trackingSortKey(id),
    taskToken: task.taskToken,
    tokenId: id,
    status: waits ? 'WAITING' : 'STARTING',
    stepName: input.stepName,
    resourceName: targetOf(input),
    executionId: input.executionId,
    createdAt: new Date(now).toISOString(),
    expiresAt: Math.ceil(now / 1000) + input.taskTimeoutSeconds + RECORD_GRACE_SECONDS,
    input,
    leaseUntil: waits ? 0 : ctx.leaseUntil,
    startAttempts: 0,
  };
  try {
    await ctx.store.recordIntent(record);
  } catch (err) {
    if (err instanceof TaskAlreadyTrackedError) {
      // Another attempt owns this task; failing it here would race with that owner.
      log.warn('task already tracked; leaving it to its owner', { tokenId: id, stepName: input.stepName });
      return { outcome: 'skipped', input };
    }
    await failUntracked(ctx, task.taskToken, id, input.stepName, StepErrorNames.TRACKING_FAILED, 'TRACKING_FAILED',
      `could not record the task: ${describeError(err)}`, input);
    return { outcome: 'failed', input };
  }
  if (!(await heartbeatOnceRecorded(ctx, record))) {
    return { outcome: 'failed', input };
  }
  if (!waits) {
    return { outcome: await attemptStart(ctx, record), input };
  }
  // Its dependencies may have succeeded before the record was written, with nobody then to
  // release it: look once more now that it is recorded.
  const outcome = await startWhenReady(ctx, record);
  return { outcome: outcome === 'leased' ? 'skipped' : outcome === 'closed' ? 'failed' : outcome, input };
}

/**
 * A task of a redriven execution: the steps that succeeded before are not rerun, so their kept
 * results must last through this redrive and the next one Step Functions may allow; every task of
 * the redrive renews them (see `extendedExpiry`). A failure is counted and the task goes on: the
 * results last two spans of the execution past the previous renewal, long enough for this redrive.
 */
async function renewResultsForRedrive(ctx: RunnerContext, input: StepTaskInput, id: string): Promise<void> {
  try {
    const { extended, expired } = await ctx.store.extendResults(input.executionId, ctx.now());
    if (extended > 0 || expired > 0) {
      log.info('kept results renewed for the redrive', { tokenId: id, redriveCount: input.redriveCount, extended, expired });
    }
  } catch (err) {
    runnerError(ctx, 'could not renew the kept results for the redrive; they last until their earlier expiry', { tokenId: id, reason: describeError(err) });
  }
}

/**
 * Heartbeats a task as soon as it is recorded. AWS does not document whether the heartbeat clock
 * starts when the state schedules the task or when a worker takes it; heartbeat rounds count a
 * task's last heartbeat from its record's creation, which holds under either reading only once
 * this heartbeat went out (a task taken late would otherwise reach its first heartbeat too late).
 * False, and the record removed, when the token is dead; a heartbeat that fails otherwise is
 * logged and the start goes on (no worse than before: the next round heartbeats it).
 */
async function heartbeatOnceRecorded(ctx: RunnerContext, record: TrackingRecord): Promise<boolean> {
  try {
    return await keepAlive(ctx, record);
  } catch (err) {
    log.warn('could not heartbeat the task just recorded; going on', { tokenId: record.tokenId, reason: describeError(err) });
    return true;
  }
}

/** Fails a task that has no record. If even that fails, the heartbeat timeout recovers it. */
async function failUntracked(
  ctx: RunnerContext, taskToken: string, id: string, stepName: string, error: string, finalState: string, message: string, input?: StepTaskInput,
) {
  try {
    const report = await failStep(taskToken, {
      pipelineId: ctx.config.pipelineId,
      stepName,
      resourceName: input && targetOf(input),
      kind: input?.kind,
      executionId: input?.executionId,
      pipelineName: input?.pipelineName,
      attempt: input?.attempt,
      redriveCount: input?.redriveCount,
      retry: input?.retry,
      finalState,
      error,
      message,
    }, ctx.config.mail, id, ctx.tally);
    if (report === 'sent') {
      stepFailed(ctx, { stepName, input }, error);
    }
  } catch (err) {
    runnerError(ctx, 'could not report failure; the heartbeat timeout will recover the task', { tokenId: id, reason: describeError(err) });
  }
}

/** Best effort read of one string field of a raw task input, valid or not. */
function fieldOf(raw: string | undefined, key: 'stepName'): string | undefined {
  try {
    const value = JSON.parse(raw ?? '')?.[key];
    return typeof value === 'string' && value ? value : undefined;
  } catch {
    return undefined;
  }
}
