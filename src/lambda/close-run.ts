import { JobRun } from '@aws-sdk/client-glue';
import { reportSuccess } from './activity-tasks';
import { log } from './log';
import { RunAction } from './run-state-actions';
import { RunnerContext } from './runner-context';
import { failSafely } from './start-attempt';
import { StepTaskOutput, TrackingRecord, TrackingStatus } from '../shared/contract';

/** How reporting a finished run went. */
export type CloseOutcome =
  | 'succeeded' | 'failed'
  /** Step Functions no longer accepts the token; the record is gone all the same. */
  | 'closed'
  /** Another invocation holds the record, or moved it on. */
  | 'leased'
  /** Not reported (Step Functions unreachable): the record stays and its lease runs out. */
  | 'error';

/** How a run ended: what the task is told. */
export type RunEnding =
  | { readonly kind: 'succeed'; readonly run: JobRun }
  | { readonly kind: 'fail'; readonly error: string; readonly finalState: string; readonly message: string };

/** The ending for a finished run, from the decision table's action. */
export function endingOf(run: JobRun, action: Exclude<RunAction, { kind: 'heartbeat' }>): RunEnding {
  return action.kind === 'succeed'
    ? { kind: 'succeed', run }
    : { kind: 'fail', error: action.error, finalState: run.JobRunState ?? 'UNKNOWN', message: run.ErrorMessage ?? '' };
}

/** Statuses a finished run's record may be claimed from: RUNNING, or CLOSING left by a crash. */
export const CLOSABLE: readonly TrackingStatus[] = ['RUNNING', 'CLOSING'];

/**
 * Reports a finished run exactly once: the claim (RUNNING or an abandoned CLOSING -> CLOSING)
 * is a conditional write, so of two overlapping invocations only one sends. A crash after
 * sending leaves a CLOSING record whose lease runs out; the next cycle sends again, hears
 * TaskTimedOut, and removes it. With `jobRunId`, only a record tracking that run is claimed.
 */
export async function claimAndClose(
  ctx: RunnerContext, sk: string, ending: RunEnding, seen?: TrackingRecord, jobRunId?: string,
): Promise<{ outcome: CloseOutcome; record?: TrackingRecord }> {
  const claimed = await ctx.store.claim(sk, CLOSABLE, 'CLOSING', ctx.leaseUntil, ctx.now(), jobRunId);
  if (!claimed) {
    return { outcome: 'leased' };
  }
  const record = { ...seen, ...claimed } as TrackingRecord;
  const report = ending.kind === 'succeed'
    ? await reportSuccess(record.taskToken, outputOf(record, ending.run)).then((r) => {
      log.info('step succeeded', { tokenId: record.tokenId, stepName: record.stepName, jobRunId: record.jobRunId, report: r });
      return r;
    })
    : await failSafely(ctx, record, ending.error, ending.finalState, ending.message);
  if (report === undefined) {
    return { outcome: 'error', record };
  }
  await ctx.store.remove(record.sk);
  if (report === 'closed') {
    return { outcome: 'closed', record };
  }
  return { outcome: ending.kind === 'succeed' ? 'succeeded' : 'failed', record };
}

function outputOf(record: TrackingRecord, run: JobRun): StepTaskOutput {
  return {
    stepName: record.stepName,
    jobName: record.jobName,
    jobRunId: record.jobRunId!,
    state: 'SUCCEEDED',
    startedOn: run.StartedOn?.toISOString(),
    completedOn: run.CompletedOn?.toISOString(),
    executionTimeSeconds: run.ExecutionTime,
  };
}
