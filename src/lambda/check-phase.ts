import { reportHeartbeat } from './activity-tasks';
import { mapSettledBounded } from './bounded';
import { claimAndClose, endingOf } from './close-run';
import { findRunOfTask, getJobRun, stopJobRun } from './glue-runs';
import { roundDue } from './heartbeat-round';
import { describeError, log } from './log';
import { successorFollows } from './poll-plan';
import { readRuns, RunRead } from './run-reads';
import { actionForRunState } from './run-state-actions';
import { RunnerContext } from './runner-context';
import { attemptStart } from './start-attempt';
import { StepErrorNames, TrackingRecord } from '../shared/contract';

/** Glue and SendTask* calls in flight at once during a check. */
export const CHECK_CONCURRENCY = 16;

/** Time kept back from the deadline: no new record is taken up with less left than this. */
export const CHECK_RESERVE_MS = 15_000;

/** A run is looked up among the job's runs that started at most this long before its record. */
const CLOCK_SKEW_MS = 5 * 60_000;

export type CheckOutcome =
  | 'heartbeat' | 'succeeded' | 'failed' | 'closed' | 'expired'
  /** In flight; no heartbeat due in this sweep. */
  | 'quiet'
  /** Another invocation holds the record's lease. */
  | 'leased'
  /** A refused start waiting for its next try. */
  | 'waiting-to-start'
  /** A run whose id was never saved, found by its correlation argument. */
  | 'recovered'
  | 'started' | 'deferred'
  /** Not looked at: too little time left in this invocation. */
  | 'postponed'
  | 'error';

export type CheckSummary = Record<CheckOutcome, number> & { pages: number; heartbeatRound: boolean };

/** What a sweep's check phase learned about executions, for deciding whether to poll. */
export interface CheckResult {
  readonly summary: CheckSummary;
  /** Executions with a task still tracked: no new task of theirs is pending. */
  readonly occupied: ReadonlySet<string>;
  /** Executions whose step succeeded just now and that have a next step: its task is ready. */
  readonly successorReady: ReadonlySet<string>;
  /** Executions whose last step succeeded or whose step failed just now. */
  readonly ended: ReadonlySet<string>;
}

/** Outcomes after which the record is gone: its execution may have a new task pending. */
const RECORD_GONE: readonly CheckOutcome[] = ['succeeded', 'failed', 'closed', 'expired'];

/** Outcomes that leave a task's heartbeat unsent in a round: the round is not complete. */
const MISSED_IN_ROUND: readonly CheckOutcome[] = ['leased', 'postponed', 'error'];

/**
 * Check phase of a sweep: every record of this pipeline, on every page of the table.
 *
 * - RUNNING records are read from Glue grouped by job (GetJobRuns pages where they save calls)
 *   and closed when their run ended.
 * - Heartbeats go out in rounds, only when one is due (see heartbeat-round.ts).
 * - STARTING records whose owner is gone are resumed: found again by correlation, or started.
 *
 * One record's fault is logged and retried next cycle; it never stops the others.
 */
export async function runCheckPhase(ctx: RunnerContext, pageSize?: number): Promise<CheckResult> {
  const sweepStartedAt = ctx.now();
  const summary: CheckSummary = {
    'pages': 0,
    'heartbeatRound': false,
    'heartbeat': 0,
    'quiet': 0,
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
  const records: TrackingRecord[] = [];
  for await (const page of ctx.store.pages(pageSize)) {
    summary.pages++;
    records.push(...page);
  }
  const occupied = new Set<string>();
  const successorReady = new Set<string>();
  const ended = new Set<string>();
  if (records.length === 0) {
    return { summary, occupied, successorReady, ended };
  }

  const now = ctx.now();
  const round = roundDue(records.filter((r) => !isExpired(r, now)), await lastRound(ctx), now, ctx.config.checkIntervalMs);
  summary.heartbeatRound = round;
  // No run is read when no record will be taken up: every one is postponed below.
  const runs = ctx.remainingMs() < CHECK_RESERVE_MS ? new Map<string, RunRead>() : await readRuns(records
    .filter((r) => r.status !== 'STARTING' && r.jobRunId && !isExpired(r, now) && !isLeased(r, now))
    .map((r) => ({ jobName: r.jobName, jobRunId: r.jobRunId!, notBefore: Date.parse(r.createdAt) - CLOCK_SKEW_MS })), CHECK_CONCURRENCY);

  const sweep: Sweep = { ctx, round, runs };
  const results = await mapSettledBounded(records, CHECK_CONCURRENCY, (record) =>
    (ctx.remainingMs() < CHECK_RESERVE_MS ? Promise.resolve<CheckOutcome>('postponed') : checkRecord(sweep, record)));
  const outcomes = results.map((result, i) => {
    if (result.status === 'fulfilled') {
      return result.value;
    }
    log.error('check failed; retried next cycle', { tokenId: records[i].tokenId, jobRunId: records[i].jobRunId, reason: describeError(result.reason) });
    return 'error' as const;
  });
  outcomes.forEach((outcome, i) => {
    summary[outcome]++;
    const { executionId, input } = records[i];
    if (!RECORD_GONE.includes(outcome)) {
      occupied.add(executionId);
    } else if (outcome === 'succeeded' && successorFollows(input)) {
      successorReady.add(executionId);
    } else if (outcome === 'succeeded' || outcome === 'failed') {
      ended.add(executionId);
    }
  });

  if (round && !outcomes.some((o) => MISSED_IN_ROUND.includes(o))) {
    try {
      await ctx.store.recordHeartbeatRound(sweepStartedAt);
    } catch (err) {
      // The next sweep finds the round still due and sends another: costs calls, loses nothing.
      log.warn('could not record the heartbeat round', { reason: describeError(err) });
    }
  }
  return { summary, occupied, successorReady, ended };
}

/** The pipeline's last heartbeat round; unknown reads as none, so the sweep heartbeats everyone. */
async function lastRound(ctx: RunnerContext): Promise<number> {
  try {
    return await ctx.store.heartbeatRound();
  } catch (err) {
    log.warn('could not read the heartbeat round; heartbeating every task', { reason: describeError(err) });
    return 0;
  }
}

interface Sweep {
  readonly ctx: RunnerContext;
  /** Heartbeat every task in flight in this sweep. */
  readonly round: boolean;
  readonly runs: ReadonlyMap<string, RunRead>;
}

function isExpired(record: TrackingRecord, now: number): boolean {
  return record.expiresAt * 1000 <= now;
}

function isLeased(record: TrackingRecord, now: number): boolean {
  return (record.leaseUntil ?? 0) > now;
}

async function checkRecord(sweep: Sweep, record: TrackingRecord): Promise<CheckOutcome> {
  const { ctx } = sweep;
  const now = ctx.now();
  if (isExpired(record, now)) {
    // TTL deletes lag; an expired record's token is dead for sure.
    await ctx.store.remove(record.sk);
    return 'expired';
  }
  if (isLeased(record, now)) {
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
  return record.status === 'STARTING' ? resumeStart(sweep, record) : checkRun(sweep, record);
}

/** A STARTING record nobody holds: its owner died or its start was refused for now. */
async function resumeStart(sweep: Sweep, seen: TrackingRecord): Promise<CheckOutcome> {
  const { ctx } = sweep;
  if (seen.nextStartAt !== undefined && ctx.now() < seen.nextStartAt) {
    if (!sweep.round) {
      return 'waiting-to-start';
    }
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
    // Its task was last heartbeated when it was handed out, unless a round reached it since.
    return sweep.round ? heartbeatRun(ctx, { ...record, jobRunId: found.Id }, 'recovered') : 'recovered';
  }
  // Always heartbeat before a start: a run must never be started for a task that is closed.
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

async function checkRun(sweep: Sweep, record: TrackingRecord): Promise<CheckOutcome> {
  const { ctx } = sweep;
  const runId = record.jobRunId!;
  // A record leased while the runs were read, and free now, was not read with the others.
  const read = sweep.runs.get(runId) ?? await getJobRun(record.jobName, runId).then((run) => ({ run }), (error) => ({ error }));
  if ('error' in read) {
    const err = read.error;
    if (err instanceof Error && err.name === 'EntityNotFoundException') {
      return (await claimAndClose(ctx, record.sk, {
        kind: 'fail', error: StepErrorNames.RUN_NOT_FOUND, finalState: 'NOT_FOUND', message: `Glue has no run ${runId} of job ${record.jobName}: ${err.message}`,
      }, record)).outcome;
    }
    throw err;
  }
  const action = actionForRunState(read.run.JobRunState);
  if (action.kind === 'heartbeat') {
    return sweep.round ? heartbeatRun(ctx, record, 'heartbeat') : 'quiet';
  }
  return (await claimAndClose(ctx, record.sk, endingOf(read.run, action), record)).outcome;
}

/**
 * Heartbeats a task whose run is in flight. When nobody waits for the run any more (execution
 * stopped or timed out), the run is stopped first; if the stop fails the record stays, and the
 * next cycle tries again.
 */
async function heartbeatRun(ctx: RunnerContext, record: TrackingRecord, sent: CheckOutcome): Promise<CheckOutcome> {
  if ((await reportHeartbeat(record.taskToken)) === 'closed') {
    log.warn('task closed while its run is in flight; stopping the run', { tokenId: record.tokenId, jobRunId: record.jobRunId });
    await stopJobRun(record.jobName, record.jobRunId!);
    await ctx.store.remove(record.sk);
    return 'closed';
  }
  return sent;
}
