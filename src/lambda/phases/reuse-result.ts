import { confirmQuietly } from './close-run';
import { failSafely } from './fail-step';
import { stepFailed } from './metric-facts';
import type { StartAttemptOutcome } from './start-attempt';
import { StepErrorNames, TrackingRecord } from '../../shared/contract';
import { earlierExecutionArn, RerunRequestError } from '../../shared/rerun';
import { reportSuccess } from '../aws/activity-tasks';
import { readExecutionHistory } from '../aws/execution-history';
import { resultLifeSeconds, unconfirmedForMs } from '../decisions/dependencies';
import { EarlierRun, earlierRunOf, reusedResult } from '../decisions/rerun';
import { describeError, log } from '../entry/log';
import { RunnerContext } from '../entry/runner-context';

/**
 * A step a re-run does not run: its task succeeds with the result it had in the earlier
 * execution, read from that execution's history, with `reusedFrom` naming it. The result is kept
 * first, as every reused step's is, so the steps after it see it was reused (and refer to it).
 * No Glue work is started. A request that cannot be met (no such execution, one still running,
 * a step it never reached or that did not succeed there) fails the step with
 * `Pipeline.InvalidInput`, naming what to do.
 *
 * The caller holds the STARTING record. A crash, or a history or report call that fails, leaves
 * it to be resumed after its lease: the same inputs decide the same way, and a success Step
 * Functions already took is heard as a closed token.
 */
export async function reuseEarlierResult(ctx: RunnerContext, record: TrackingRecord): Promise<StartAttemptOutcome> {
  const input = record.input;
  let outcome: { result: Record<string, unknown> } | { problem: string };
  try {
    const arn = earlierExecutionArn(input.rerunFrom!.execution, ctx.config.stateMachineArn);
    const earlier = await earlierRun(ctx, arn);
    outcome = earlier === undefined
      ? { problem: `rerunFrom names execution ${arn}, which Step Functions does not know (it never ran, or ended more than 90 days ago); name an earlier execution of this pipeline` }
      : reusedResult(input, earlier, arn);
  } catch (err) {
    if (!(err instanceof RerunRequestError)) {
      throw err;
    }
    outcome = { problem: err.message };
  }
  if ('problem' in outcome) {
    log.warn('re-run cannot reuse the step\'s result; step failed', { tokenId: record.tokenId, stepName: record.stepName, problem: outcome.problem });
    if ((await failSafely(ctx, record, StepErrorNames.INVALID_INPUT, 'INVALID_INPUT', outcome.problem)) === 'sent') {
      stepFailed(ctx, record, StepErrorNames.INVALID_INPUT);
    }
    await ctx.store.remove(record.sk);
    return 'failed';
  }
  const life = resultLifeSeconds(input);
  await ctx.store.keepResult(record.executionId, record.stepName, outcome.result, Math.ceil(ctx.now() / 1000) + life,
    ctx.now() + unconfirmedForMs(input.heartbeatSeconds, ctx.config.checkIntervalMs), life);
  const report = await reportSuccess(record.taskToken, outcome.result);
  if (report === 'sent') {
    await confirmQuietly(ctx, record.executionId, record.stepName, record.tokenId);
  }
  log.info('step reused its result in the earlier execution', { tokenId: record.tokenId, stepName: record.stepName, reusedFrom: outcome.result.reusedFrom, report });
  await ctx.store.remove(record.sk);
  return report === 'sent' ? 'succeeded' : 'failed';
}

/** The earlier execution's history, read once an invocation. A read that failed is read again next time. */
function earlierRun(ctx: RunnerContext, arn: string): Promise<EarlierRun | undefined> {
  let read = ctx.earlierRuns.get(arn);
  if (read === undefined) {
    read = readExecutionHistory(arn).then((events) => (events === undefined ? undefined : earlierRunOf(events)));
    read.catch((err) => {
      ctx.earlierRuns.delete(arn);
      log.warn('could not read the earlier execution\'s history; tried again later', { executionArn: arn, reason: describeError(err) });
    });
    ctx.earlierRuns.set(arn, read);
  }
  return read;
}
