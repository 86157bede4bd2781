import { JobRun } from '@aws-sdk/client-glue';
import { reportHeartbeat, reportSuccess } from './activity-tasks';
import { mapSettledBounded } from './bounded';
import { findRunOfTask, getJobRun, stopJobRun } from './glue-runs';
import { describeError, log } from './log';
import { actionForRunState } from './run-state-actions';
import { RunnerContext } from './runner-context';
import { attemptStart, failSafely } from './start-attempt';
import { StepErrorNames, StepTaskOutput, TrackingRecord } from '../shared/contract';

/** Glue and SendTask* calls in flight at once during a check. */
export const CHECK_CONCURRENCY = 8;

/** Time kept back from the deadline: no new record is taken up with less left than this. */
export const CHECK_RESERVE_MS = 15_000;

/** A run is looked up among the job's runs that started at most this long before its record. */
const CLOCK_SKEW_MS = 5 * 60_000;

export type CheckOutcome =
  | 'heartbeat' | 'succeeded' | 'failed' | 'closed' | 'expired'
  /** Another invocation holds the record's lease. */
  | 'leased'
  /** A refused start waiting for its next try; heartbeated. */
  | 'waiting-to-start'
  /** A run whose id was never saved, found by its correlation argument. */
  | 'recovered'
  | 'started' | 'deferred'
  /** Not looked at: too little time left in this invocation. */
  | 'postponed'
  | 'error';

export type CheckSummary = Record<CheckOutcome, number> & { pages: number };

/**
 * Check phase: every record of this pipeline, on every page of the table. RUNNING records are
 * checked against Glue and heartbeated or closed; STARTING records whose owner is gone are
 * resumed (found again by correlation, or started). One record's fault is logged and retried
 * next cycle; it never stops the others.
 */
export async function runCheckPhase(ctx: RunnerContext, pageSize?: number): Promise<CheckSummary> {
  const summary: CheckSummary = {
    'pages': 0,
    'heartbeat': 0,
    'succeeded': 0,
    'failed': 0,
    'closed': 0,
    'expired': 0,
    'leased': 0,
    'waiting-to-start': 0,
    'recovered': 0,
    'started': 0,
    'deferred': 0,
    'postponed': 0,
    'error': 0,
  };
  for await (const page of ctx.store.pages(pageSize)) {
    summary.pages++;
    const results = await mapSettledBounded(page, CHECK_CONCURRENCY, (record) =>
      (ctx.remainingMs() < CHECK_RESERVE_MS ? Promise.resolve<CheckOutcome>('postponed') : checkRecord(ctx, record)));
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') {
        summary[result.value]++;
      } else {
        summary.error++;
        log.error('check failed; retried next cycle', { tokenId: page[i].tokenId, jobRunId: page[i].jobRunId, reason: describeError(result.reason) });
      }
    });
  }
  return summary;
}

async function checkRecord(ctx: RunnerContext, record: TrackingRecord): Promise<CheckOutcome> {
  const now = ctx.now();
  if (record.expiresAt * 1000 <= now) {
    // TTL deletes lag; an expired record's token is dead for sure.
    await ctx.store.remove(record.sk);
    return 'expired';
  }
  if ((record.leaseUntil ?? 0) > now) {
    return 'leased';
  }
  if (record.status === 'STARTING' && !record.input) {
    // Not a record this runner can resume (written by an older runner, or damaged). Dropping it
    // leaves its task to the state's heartbeat timeout and Retry, instead of heartbeating a
    // task that can never start.
    log.warn('STARTING record without its task input; removed', { tokenId: record.tokenId, stepName: record.stepName });
    await ctx.store.remove(record.sk);
    return 'closed';
  }
  return record.status === 'STARTING' ? resumeStart(ctx, record) : checkRun(ctx, record);
}

/** A STARTING record nobody holds: its owner died or its start was refused for now. */
async function resumeStart(ctx: RunnerContext, seen: TrackingRecord): Promise<CheckOutcome> {
  if (seen.nextStartAt !== undefined && ctx.now() < seen.nextStartAt) {
    return (await keepAlive(ctx, seen)) ? 'waiting-to-start' : 'closed';
  }
  // Work from the record as the claim left it: another invocation may have moved it on since
  // this page was read.
  const claimed = await ctx.store.claim(seen.sk, ['STARTING'], 'STARTING', ctx.leaseUntil, ctx.now());
  if (!claimed) {
    return 'leased';
  }
  const record: TrackingRecord = { ...seen, ...claimed };
  const found = await findRunOfTask(record.jobName, record.tokenId, new Date(Date.parse(record.createdAt) - CLOCK_SKEW_MS));
  if (found?.Id) {
    await ctx.store.markRunning(record.sk, found.Id);
    log.warn('run found by its correlation argument; tracking it', { tokenId: record.tokenId, jobName: record.jobName, jobRunId: found.Id });
    return 'recovered';
  }
  if (!(await keepAlive(ctx, record))) {
    return 'closed';
  }
  return attemptStart(ctx, record);
}

/** Heartbeats a task with no run yet; false (and the record removed) when the token is dead. */
async function keepAlive(ctx: RunnerContext, record: TrackingRecord): Promise<boolean> {
  if ((await reportHeartbeat(record.taskToken)) === 'closed') {
    log.warn('task closed before its run started; record removed', { tokenId: record.tokenId, stepName: record.stepName });
    await ctx.store.remove(record.sk);
    return false;
  }
  return true;
}

async function checkRun(ctx: RunnerContext, record: TrackingRecord): Promise<CheckOutcome> {
  const runId = record.jobRunId!;
  let run: JobRun;
  try {
    run = await getJobRun(record.jobName, runId);
  } catch (err) {
    if (err instanceof Error && err.name === 'EntityNotFoundException') {
      return close(ctx, record, () => failSafely(ctx, record, StepErrorNames.RUN_NOT_FOUND, 'NOT_FOUND',
        `Glue has no run ${runId} of job ${record.jobName}: ${err.message}`));
    }
    throw err;
  }

  const action = actionForRunState(run.JobRunState);
  switch (action.kind) {
    case 'heartbeat': {
      if ((await reportHeartbeat(record.taskToken)) === 'closed') {
        // Nobody waits for this run any more (execution stopped or timed out): stop it first;
        // if the stop fails the record stays, and the next cycle tries again.
        log.warn('task closed while its run is in flight; stopping the run', { tokenId: record.tokenId, jobRunId: runId });
        await stopJobRun(record.jobName, runId);
        await ctx.store.remove(record.sk);
        return 'closed';
      }
      return 'heartbeat';
    }
    case 'succeed':
      return close(ctx, record, async () => {
        const report = await reportSuccess(record.taskToken, outputOf(record, run));
        log.info('step succeeded', { tokenId: record.tokenId, stepName: record.stepName, jobRunId: runId, report });
        return report;
      }, 'succeeded');
    case 'fail':
      return close(ctx, record, () => failSafely(ctx, record, action.error, run.JobRunState ?? 'UNKNOWN', run.ErrorMessage ?? ''));
  }
}

/**
 * Reports a run's end exactly once: the claim (RUNNING or an abandoned CLOSING -> CLOSING) is
 * a conditional write, so of two overlapping invocations only one sends. A crash after sending
 * leaves a CLOSING record whose lease runs out; the next cycle sends again, hears TaskTimedOut,
 * and removes it.
 */
async function close(
  ctx: RunnerContext,
  record: TrackingRecord,
  report: () => Promise<'sent' | 'closed' | undefined>,
  sentOutcome: CheckOutcome = 'failed',
): Promise<CheckOutcome> {
  if (!(await ctx.store.claim(record.sk, ['RUNNING', 'CLOSING'], 'CLOSING', ctx.leaseUntil, ctx.now()))) {
    return 'leased';
  }
  const outcome = await report();
  if (outcome === undefined) {
    // Not reported (Step Functions unreachable): keep the record; its lease runs out and the
    // next cycle reports again.
    return 'error';
  }
  await ctx.store.remove(record.sk);
  return outcome === 'sent' ? sentOutcome : 'closed';
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
