import { failSafely } from './fail-step';
import { stepFailed, stepSucceeded } from './metric-facts';
import type { TaskOutcome } from './task-outcome';
import { TrackingRecord } from '../../shared/contract';
import { reportSuccess } from '../aws/activity-tasks';
import { inGraph, resultLifeSeconds, unconfirmedForMs } from '../decisions/dependencies';
import { describeError, log } from '../entry/log';
import { RunnerContext } from '../entry/runner-context';
import { Ending } from '../kinds/observation';
import { TRANSITIONS } from '../store/record-lifecycle';

/** The record's attribute for each fact a failure report remembers. */
const REMEMBERED = { 'report-unknown': 'failureReportUnknown', 'mailed': 'failureMailed', 'announced': 'failureAnnounced' } as const;

/** How reporting a finished run went (`error`: not reported; the record stays and its lease runs out). */
export type CloseOutcome = Extract<TaskOutcome, 'succeeded' | 'failed' | 'closed' | 'leased' | 'error'>;

/**
 * Reports a finished run exactly once: the claim (RUNNING or an abandoned CLOSING -> CLOSING)
 * is a conditional write, so of two overlapping invocations only one sends. A crash after
 * sending leaves a CLOSING record whose lease runs out; the next cycle sends again, hears
 * TaskTimedOut, and removes it. With `runId`, only a record tracking that run is claimed.
 *
 * A success whose result later steps need (they wait for it, or refer to it) keeps the result
 * first: a step the state machine saw succeed always has its result kept.
 */
export async function claimAndClose(
  ctx: RunnerContext, sk: string, ending: Ending, seen?: TrackingRecord, runId?: string,
): Promise<{ outcome: CloseOutcome; record?: TrackingRecord }> {
  const claimed = await ctx.store.claim(sk, TRANSITIONS.close.from, TRANSITIONS.close.to, ctx.leaseUntil, ctx.now(), runId);
  if (!claimed) {
    return { outcome: 'leased' };
  }
  const record = { ...seen, ...claimed } as TrackingRecord;
  let report;
  if (ending.kind === 'succeed') {
    const output = { ...ending.output, stepName: record.stepName };
    const kept = inGraph(record.input) || record.input?.keepResultSeconds !== undefined;
    if (kept) {
      const life = resultLifeSeconds(record.input);
      await ctx.store.keepResult(record.executionId, record.stepName, output, Math.ceil(ctx.now() / 1000) + life,
        ctx.now() + unconfirmedForMs(record.input.heartbeatSeconds, ctx.config.checkIntervalMs), life);
    }
    report = await reportSuccess(record.taskToken, output);
    if (report === 'sent') {
      stepSucceeded(ctx, record, ending.measures);
    }
    if (kept && report === 'sent') {
      await confirmQuietly(ctx, record.executionId, record.stepName, record.tokenId);
    }
    log.info('step succeeded', { tokenId: record.tokenId, stepName: record.stepName, runId: record.runId, report });
  } else {
    report = await failSafely(ctx, record, ending.error, ending.finalState, ending.message, {
      reportUnknown: record.failureReportUnknown,
      mailed: record.failureMailed,
      announced: record.failureAnnounced,
      remember: async (...facts) => {
        try {
          await ctx.store.rememberFailure(record.sk, facts.map((fact) => REMEMBERED[fact]));
        } catch (err) {
          log.warn('could not note the failure report on the record', { tokenId: record.tokenId, facts, reason: describeError(err) });
        }
      },
    });
    // Counted once: when Step Functions accepted the failure, or an earlier report may have.
    if (report === 'sent' || (report === 'closed' && record.failureReportUnknown === true)) {
      stepFailed(ctx, record, ending.error, ending.measures);
    }
  }
  if (report === undefined) {
    return { outcome: 'error', record };
  }
  await ctx.store.remove(record.sk);
  if (report === 'closed') {
    return { outcome: 'closed', record };
  }
  return { outcome: ending.kind === 'succeed' ? 'succeeded' : 'failed', record };
}

/**
 * Marks a kept result as accepted by the state machine. If the write fails, the result stays
 * unconfirmed for a while: the poll plan expects one task too many (a poll that finds nothing).
 */
export async function confirmQuietly(ctx: RunnerContext, executionId: string, stepName: string, tokenId: string): Promise<void> {
  try {
    await ctx.store.confirmResult(executionId, stepName);
  } catch (err) {
    log.warn('could not confirm a kept result; it counts as done once unconfirmedUntil passes', { tokenId, stepName, reason: describeError(err) });
  }
}
