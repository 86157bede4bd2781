import { notificationFailed, stepLate } from './metric-facts';
import { LATE_EVENT_NOT_SENT, TrackingRecord } from '../../shared/contract';
import { mapSettledBounded } from '../aws/bounded';
import { putStepLateEvent } from '../aws/pipeline-events';
import { lateDecision } from '../decisions/late-step';
import { stepLateDetail } from '../decisions/step-late-detail';
import { describeError, log } from '../entry/log';
import { RunnerContext } from '../entry/runner-context';

/** A record whose work a sweep saw in flight, and Glue's state of that work as read. */
export interface LateWork {
  readonly record: TrackingRecord;
  readonly state?: string;
}

/**
 * Announces, of the works a sweep saw in flight, those past their expected duration
 * (`announceIfLate`), `concurrency` at a time, once the sweep checked every record; none is
 * begun with less than `reserveMs` left in the invocation (a later sweep finds it still late).
 * Returns how many were announced. Pure decisions first: works that are not late cost no call.
 */
export async function announceLate(ctx: RunnerContext, works: readonly LateWork[], concurrency: number, reserveMs: number): Promise<number> {
  const late = works.filter(({ record }) => lateDecision(record, ctx.now()).kind === 'late');
  const settled = await mapSettledBounded(late, concurrency,
    async ({ record, state }) => ctx.remainingMs() >= reserveMs && announceIfLate(ctx, record, state));
  return settled.filter((r) => r.status === 'fulfilled' && r.value).length;
}

/**
 * Announces a step attempt whose work runs past its expected duration (`decisions/late-step.ts`),
 * once: the announcement is claimed on the record first (`lateAnnouncedAt`, a conditional write),
 * so of two overlapping invocations, or a later sweep, only one sends. Then the StepLate metric
 * and the `Glue Pipeline Step Late` event. At most once: an event EventBridge does not take is
 * logged at ERROR (`late event not sent`) and counted in NotificationFailures, not sent again.
 * Called once the sweep heartbeated and reported every record, and never throws: a late event
 * never delays or stops a heartbeat or a report. `state`: Glue's state of the work as read. True
 * when it announced.
 */
export async function announceIfLate(ctx: RunnerContext, record: TrackingRecord, state: string | undefined): Promise<boolean> {
  const decision = lateDecision(record, ctx.now());
  if (decision.kind !== 'late') {
    return false;
  }
  const expectedSeconds = record.input.expectedSeconds!;
  try {
    if (!(await ctx.store.markLateAnnounced(record.sk, ctx.now()))) {
      return false;
    }
  } catch (err) {
    // Nothing claimed (or, if the write took effect unseen, nothing sent): a later sweep looks again.
    log.warn('could not claim the late announcement; looked at again next sweep', { tokenId: record.tokenId, reason: describeError(err) });
    return false;
  }
  const { runningSeconds } = decision;
  log.warn('step late', { tokenId: record.tokenId, stepName: record.stepName, runId: record.runId, runningSeconds, expectedSeconds });
  stepLate(ctx, record, runningSeconds, expectedSeconds);
  try {
    await putStepLateEvent(stepLateDetail({
      pipelineId: ctx.config.pipelineId,
      pipelineName: record.input.pipelineName,
      stepName: record.stepName,
      kind: record.input.kind,
      resourceName: record.resourceName,
      runId: record.runId!,
      executionId: record.executionId,
      state,
      attempt: record.input.attempt,
      redriveCount: record.input.redriveCount,
      expectedSeconds,
      runningSeconds,
      runningSince: record.runningSince!,
    }));
  } catch (err) {
    ctx.tally.lateEventNotSent++;
    log.error(LATE_EVENT_NOT_SENT, { tokenId: record.tokenId, stepName: record.stepName, reason: describeError(err) });
    notificationFailed(ctx.config.pipelineId, 'event', record.stepName);
  }
  return true;
}
