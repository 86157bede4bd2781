import { confirmQuietly } from './close-run';
import { failSafely } from './fail-step';
import { runnerError, stepFailed } from './metric-facts';
import { canRetryStart, removeSafely, StartAttemptOutcome } from './start-attempt';
import { StepErrorNames, TrackingRecord } from '../../shared/contract';
import { earlierExecutionArn, RerunRequestError } from '../../shared/rerun';
import { reportSuccess } from '../aws/activity-tasks';
import { readEarlierRun } from '../aws/execution-history';
import { resultLifeSeconds, unconfirmedForMs } from '../decisions/dependencies';
import { StepResults } from '../decisions/references';
import { EarlierRun, earlierRunProblem, rerunChoice, reusedResult } from '../decisions/rerun';
import { classifyStartError, startBackoffMs } from '../decisions/start-errors';
import { describeError, log } from '../entry/log';
import { RunnerContext } from '../entry/runner-context';

/**
 * A task of a re-run (`rerunFrom`), before its step starts. Every task checks that the earlier
 * execution can be re-run from (it exists, has ended, reached the named step: read from its
 * history once an invocation), whether its step runs or not, so a request that cannot be met
 * fails the execution at the first task that meets it, with `Pipeline.InvalidInput` and a cause
 * that says what to do. Then:
 * - `run`: the step runs (it is the named step, a step after one that ran, or a step that did
 *   not succeed in the earlier execution, which has no result to reuse): the caller starts it;
 * - otherwise the step is reused, and this is its whole attempt: its task succeeds with the
 *   result it had in the earlier execution, with `reusedFrom` naming it, kept first (as every
 *   reused step's is) so the steps after it see it was reused and can refer to it. No Glue work.
 *
 * The caller holds the STARTING record. A crash, or a report that fails, leaves it to be
 * resumed after its lease: the same inputs decide the same way, and a success Step Functions
 * already took is heard as a closed token. A history read refused for now (throttled, a 5xx,
 * no answer) is deferred like a refused start, for as long as the token outlives the wait.
 */
export async function rerunStep(ctx: RunnerContext, record: TrackingRecord, done: StepResults): Promise<StartAttemptOutcome | 'run'> {
  const input = record.input;
  let arn: string;
  try {
    arn = earlierExecutionArn(input.rerunFrom!.execution, ctx.config.stateMachineArn);
  } catch (err) {
    if (!(err instanceof RerunRequestError)) {
      throw err;
    }
    return refuse(ctx, record, err.message);
  }
  let earlier: EarlierRun | undefined;
  try {
    earlier = await earlierRun(ctx, arn);
  } catch (err) {
    return historyUnread(ctx, record, arn, err);
  }
  const problem = earlier === undefined
    ? `rerunFrom names execution ${arn}, which Step Functions does not know (it never ran, or ended more than 90 days ago); `
      + 'name an earlier execution of this pipeline'
    : earlierRunProblem(input, earlier, arn);
  if (problem !== undefined) {
    return refuse(ctx, record, problem);
  }
  if (rerunChoice(input, done) === 'run') {
    return 'run';
  }
  const result = reusedResult(input, earlier!, arn);
  if (result === undefined) {
    log.info('step did not succeed in the earlier execution; the re-run runs it', { tokenId: record.tokenId, stepName: record.stepName, earlier: arn });
    return 'run';
  }
  const life = resultLifeSeconds(input);
  await ctx.store.keepResult(record.executionId, record.stepName, result, Math.ceil(ctx.now() / 1000) + life,
    ctx.now() + unconfirmedForMs(input.heartbeatSeconds, ctx.config.checkIntervalMs), life);
  const report = await reportSuccess(record.taskToken, result);
  if (report === 'sent') {
    await confirmQuietly(ctx, record.executionId, record.stepName, record.tokenId);
  }
  log.info('step reused its result in the earlier execution', { tokenId: record.tokenId, stepName: record.stepName, reusedFrom: arn, report });
  await removeSafely(ctx, record);
  // Closed: this attempt's own report got through before a crash, or the execution ended; the
  // result is kept either way, and whoever follows finds the steps after it settled.
  return 'succeeded';
}

/** Fails the step with `Pipeline.InvalidInput` and `problem`, once Step Functions takes it; removes the record. */
async function refuse(ctx: RunnerContext, record: TrackingRecord, problem: string): Promise<StartAttemptOutcome> {
  log.warn('re-run refused; step failed', { tokenId: record.tokenId, stepName: record.stepName, problem });
  if ((await failSafely(ctx, record, StepErrorNames.INVALID_INPUT, 'INVALID_INPUT', problem)) === 'sent') {
    stepFailed(ctx, record, StepErrorNames.INVALID_INPUT);
  }
  await removeSafely(ctx, record);
  return 'failed';
}

/**
 * The earlier history could not be read. Refused for now (throttled, a 5xx, no answer): tried
 * again after a backoff while the token outlives the wait, as a refused start is, without
 * counting as a start attempt and keeping what an earlier lost start left to look by. Refused
 * for good (access denied, an ARN Step Functions rejects), or still refused when the token's time
 * runs out: the step fails saying why. Anything that is no answer of AWS's (a fault in the
 * runner) is thrown: logged as a runner error, and the record is resumed after its lease.
 */
async function historyUnread(ctx: RunnerContext, record: TrackingRecord, arn: string, err: unknown): Promise<StartAttemptOutcome> {
  const e = err as { name?: string; code?: string; $metadata?: unknown };
  if (e?.$metadata === undefined && e?.code === undefined) {
    throw err;
  }
  const transient = classifyStartError(err) === 'transient';
  if (transient && canRetryStart(record, ctx.now())) {
    const nextStartAt = ctx.now() + startBackoffMs(record.startAttempts + 1);
    log.warn('could not read the earlier execution\'s history; tried again later', { tokenId: record.tokenId, earlier: arn, reason: describeError(err) });
    try {
      await ctx.store.deferStart(record.sk, record.startAttempts, nextStartAt, describeError(err), record.startSentAt);
    } catch (deferErr) {
      runnerError(ctx, 'could not record the deferral; resumed after the lease', { tokenId: record.tokenId, reason: describeError(deferErr) });
    }
    return 'deferred';
  }
  const problem = transient
    ? `rerunFrom: Step Functions kept refusing to read the history of execution ${arn} (${describeError(err)}) until this step's time ran out; start the re-run again`
    : /^AccessDenied/.test(e.name ?? '')
      ? `rerunFrom: the runner may not read the history of execution ${arn} (${describeError(err)}); it needs states:GetExecutionHistory on this `
        + 'state machine\'s executions, which the pipeline grants: check for a permissions boundary or an SCP that denies it'
      : `rerunFrom: Step Functions refused to read the history of execution ${arn} (${describeError(err)}); name the earlier execution by its name or ARN`;
  return refuse(ctx, record, problem);
}

/** The earlier execution's history, read once an invocation. A read that failed is read again next time. */
function earlierRun(ctx: RunnerContext, arn: string): Promise<EarlierRun | undefined> {
  let read = ctx.earlierRuns.get(arn);
  if (read === undefined) {
    read = readEarlierRun(arn);
    read.catch(() => ctx.earlierRuns.delete(arn));
    ctx.earlierRuns.set(arn, read);
  }
  return read;
}
