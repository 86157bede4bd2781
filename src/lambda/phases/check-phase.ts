import { claimAndClose } from './close-run';
import { announceLate, LateWork } from './late-step';
import { runnerError } from './metric-facts';
import { attemptStart, keepAlive } from './start-attempt';
import type { TaskOutcome } from './task-outcome';
import { releaseDependents, startWhenReady } from './waiting-steps';
import { StepErrorNames, TrackingRecord } from '../../shared/contract';
import { unreachable } from '../../shared/unreachable';
import { reportHeartbeat } from '../aws/activity-tasks';
import { mapSettledBounded } from '../aws/bounded';
import { inGraph } from '../decisions/dependencies';
import { roundDue } from '../decisions/heartbeat-round';
import { successorFollows } from '../decisions/poll-plan';
import { StepResults } from '../decisions/references';
import { describeError, log } from '../entry/log';
import { RunnerContext } from '../entry/runner-context';
import { driverFor } from '../kinds/driver-registry';
import { Observation } from '../kinds/observation';
import { ObserveRead, TrackedWork } from '../kinds/step-driver';
import { OBSERVED_STATUSES, TRANSITIONS } from '../store/record-lifecycle';

/** Glue and SendTask* calls in flight at once during a check. */
export const CHECK_CONCURRENCY = 16;

/** Time kept back from the deadline: no new record is taken up with less left than this. */
export const CHECK_RESERVE_MS = 15_000;

/** What a sweep did with one record. */
export type CheckOutcome = Exclude<TaskOutcome, 'in-flight' | 'foreign' | 'skipped'>;

/** `late`: attempts this sweep announced as late (still in flight past their expected duration). */
export type CheckSummary = Record<CheckOutcome, number> & { pages: number; heartbeatRound: boolean; late: number };

/** What a sweep's check phase learned about executions, for deciding whether to poll. */
export interface CheckResult {
  readonly summary: CheckSummary;
  /** Executions with a task still tracked: no new task of theirs is pending. */
  readonly occupied: ReadonlySet<string>;
  /** How many tasks each execution still has tracked. */
  readonly tracked: ReadonlyMap<string, number>;
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
 * - RUNNING records are read from Glue, many at once where their kind's driver can
 *   (`observeMany`), and closed when their run ended.
 * - Heartbeats go out in rounds, only when one is due (see heartbeat-round.ts).
 * - A RUNNING record whose work runs past its step's expected duration is announced as late,
 *   once (late-step.ts): every sweep looks, so within one check interval. The announcements go
 *   out after every record was checked, so no heartbeat or report waits for one.
 * - STARTING records whose owner is gone are resumed: found again by correlation, or started.
 *
 * One record's fault is logged and retried next cycle; it never stops the others.
 */
export async function runCheckPhase(ctx: RunnerContext, pageSize?: number): Promise<CheckResult> {
  const sweepStartedAt = ctx.now();
  const summary: CheckSummary = {
    'pages': 0,
    'heartbeatRound': false,
    'late': 0,
    'heartbeat': 0,
    'quiet': 0,
    'succeeded': 0,
    'failed': 0,
    'closed': 0,
    'expired': 0,
    'leased': 0,
    'waiting-to-start': 0,
    'waiting': 0,
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
  const tracked = new Map<string, number>();
  const successorReady = new Set<string>();
  const ended = new Set<string>();
  if (records.length === 0) {
    return { summary, occupied, tracked, successorReady, ended };
  }

  const now = ctx.now();
  const round = roundDue(records.filter((r) => !isExpired(r, now)), await lastRound(ctx), now, ctx.config.checkIntervalMs);
  summary.heartbeatRound = round;
  // No run is read when no record will be taken up: every one is postponed below.
  const reads = ctx.remainingMs() < CHECK_RESERVE_MS ? new Map<string, ObserveRead>() : await readTogether(records
    .filter((r) => OBSERVED_STATUSES.includes(r.status) && r.runId && r.input !== undefined && !isExpired(r, now) && !isLeased(r, now)));

  const sweep: Sweep = { ctx, round, reads, succeeded: new Map(), late: [] };
  // Held steps last: a dependency that ended in this sweep is reported before they are looked at.
  const firstPass = [...records.keys()].filter((i) => records[i].status !== 'WAITING');
  const secondPass = [...records.keys()].filter((i) => records[i].status === 'WAITING');
  const check = (i: number) => (ctx.remainingMs() < CHECK_RESERVE_MS ? Promise.resolve<CheckOutcome>('postponed') : checkRecord(sweep, records[i]));
  const settled = [
    ...await mapSettledBounded(firstPass, CHECK_CONCURRENCY, check),
    ...await mapSettledBounded(secondPass, CHECK_CONCURRENCY, check),
  ];
  const outcomes: CheckOutcome[] = new Array(records.length);
  [...firstPass, ...secondPass].forEach((recordIndex, i) => {
    const result = settled[i];
    if (result.status === 'fulfilled') {
      outcomes[recordIndex] = result.value;
      return;
    }
    runnerError(ctx, 'check failed; retried next cycle', { tokenId: records[recordIndex].tokenId, runId: records[recordIndex].runId, reason: describeError(result.reason) });
    outcomes[recordIndex] = 'error';
  });
  outcomes.forEach((outcome, i) => {
    summary[outcome]++;
    const { executionId, input } = records[i];
    if (!RECORD_GONE.includes(outcome)) {
      occupied.add(executionId);
      tracked.set(executionId, (tracked.get(executionId) ?? 0) + 1);
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
  // Last: what is not announced now (too little time left) is still late at the next sweep.
  summary.late = await announceLate(ctx, sweep.late, CHECK_CONCURRENCY, CHECK_RESERVE_MS);
  return { summary, occupied, tracked, successorReady, ended };
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
  /** What the drivers read for many records at once (`observeMany`), by the record's sort key. */
  readonly reads: ReadonlyMap<string, ObserveRead>;
  /** The kept results of each graph execution's succeeded steps, read once per sweep (after the first pass). */
  readonly succeeded: Map<string, Promise<StepResults>>;
  /** Attempts whose work goes on past their expected duration, to announce once every record is checked. */
  readonly late: LateWork[];
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
  switch (record.status) {
    case 'WAITING': return releasingAfter(sweep, record, await checkWaiting(sweep, record));
    case 'STARTING': return releasingAfter(sweep, record, await resumeStart(sweep, record));
    case 'RUNNING':
    case 'CLOSING':
      return checkRun(sweep, record);
    default: return unreachable(record.status, 'record status');
  }
}

/**
 * A step of a graph that succeeded as it started in this sweep (a trigger fired, a step a
 * re-run reuses): the steps held on it start now too, as after a start in the start phase, not a
 * sweep later each (a re-run resumed after a crash reuses a chain of steps in one sweep).
 */
async function releasingAfter(sweep: Sweep, record: TrackingRecord, outcome: CheckOutcome): Promise<CheckOutcome> {
  if (outcome === 'succeeded' && inGraph(record.input)) {
    await releaseDependents(sweep.ctx, record.executionId);
  }
  return outcome;
}

/**
 * A held step of a graph: started once its dependencies have succeeded, else kept alive in a
 * heartbeat round (a task closed because another branch failed is dropped then).
 */
async function checkWaiting(sweep: Sweep, record: TrackingRecord): Promise<CheckOutcome> {
  const { ctx } = sweep;
  let succeeded = sweep.succeeded.get(record.executionId);
  if (!succeeded) {
    succeeded = ctx.store.results(record.executionId, ctx.now());
    sweep.succeeded.set(record.executionId, succeeded);
  }
  const outcome = await startWhenReady(ctx, record, await succeeded);
  if (outcome !== 'waiting') {
    return outcome;
  }
  if (!sweep.round) {
    return 'waiting';
  }
  return (await keepAlive(ctx, record)) ? 'waiting' : 'closed';
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
  const claimed = await ctx.store.claim(seen.sk, TRANSITIONS.resumeStart.from, TRANSITIONS.resumeStart.to, ctx.leaseUntil, ctx.now());
  if (!claimed) {
    return 'leased';
  }
  const record: TrackingRecord = { ...seen, ...claimed };
  const found = await driverFor(record.input).findStarted({
    input: record.input,
    tokenId: record.tokenId,
    createdAt: Date.parse(record.createdAt),
    startSentAt: record.startSentAt,
  }, ctx.now());
  if (found) {
    // Its work runs since its lost start was sent, when that was noted; else it counts from now.
    await ctx.store.markRunning(record.sk, found, record.startSentAt ?? ctx.now());
    log.warn('run found by its correlation; tracking it', { tokenId: record.tokenId, resourceName: record.resourceName, runId: found });
    // Its task was last heartbeated when it was handed out, unless a round reached it since.
    // What was found is not observed yet (a job's attempt may be awaiting Glue's retry): should
    // the task be closed, the next cycle looks at it first and stops what is in flight.
    return sweep.round ? heartbeatRun(ctx, { ...record, runId: found }, 'recovered', 'next-cycle') : 'recovered';
  }
  // Always heartbeat before a start: a run must never be started for a task that is closed.
  if (!(await keepAlive(ctx, record))) {
    return 'closed';
  }
  return attemptStart(ctx, record);
}

async function checkRun(sweep: Sweep, seen: TrackingRecord): Promise<CheckOutcome> {
  const { ctx } = sweep;
  let record = seen;
  let observed: Observation;
  try {
    observed = await observe(sweep, record);
  } catch (err) {
    if (err instanceof Error && err.name === 'EntityNotFoundException') {
      return (await claimAndClose(ctx, record.sk, {
        kind: 'fail', error: StepErrorNames.RUN_NOT_FOUND, finalState: 'NOT_FOUND', message: `Glue has no run ${record.runId} of ${record.resourceName}: ${err.message}`,
      }, record)).outcome;
    }
    throw err;
  }
  if (observed.retried) {
    // Glue ran the tracked run again (the job's MaxRetries): the step follows it to the new attempt.
    if (!(await ctx.store.followAttempt(record.sk, observed.retried.earlier, observed.retried.runId))) {
      return 'leased';
    }
    log.info('Glue retried the run; tracking its next attempt', { tokenId: record.tokenId, resourceName: record.resourceName, from: record.runId, runId: observed.retried.runId });
    record = { ...record, runId: observed.retried.runId };
  }
  if (observed.kind === 'in-flight') {
    const outcome = sweep.round ? await heartbeatRun(ctx, record, 'heartbeat', observed.between ? 'await-retry' : 'stop') : 'quiet';
    // Only work that goes on (a closed task's was stopped) is announced, and only after the sweep.
    if (outcome === 'heartbeat' || outcome === 'quiet') {
      sweep.late.push({ record, state: observed.state });
    }
    return outcome;
  }
  return (await claimAndClose(ctx, record.sk, observed, record)).outcome;
}

/**
 * Reads the runs of many records at once, for each kind whose driver can (`observeMany`): by
 * the record's sort key, how to observe its run from what was read.
 */
async function readTogether(records: readonly TrackingRecord[]): Promise<Map<string, ObserveRead>> {
  const byKind = new Map<string, TrackingRecord[]>();
  for (const record of records) {
    byKind.set(record.input.kind, [...(byKind.get(record.input.kind) ?? []), record]);
  }
  const reads = new Map<string, ObserveRead>();
  await Promise.all([...byKind.values()].map(async (ofKind) => {
    const driver = driverFor(ofKind[0].input);
    if (!driver.observeMany) {
      return;
    }
    const byRun = await driver.observeMany(ofKind.map(workOf), CHECK_CONCURRENCY);
    for (const record of ofKind) {
      const read = byRun.get(record.runId!);
      if (read !== undefined) {
        reads.set(record.sk, read);
      }
    }
  }));
  return reads;
}

/** Where the record's run is: from a read made for many records, else from its driver alone. */
async function observe(sweep: Sweep, record: TrackingRecord): Promise<Observation> {
  const driver = driverFor(record.input);
  // A record leased while the runs were read, and free now, was not read with them.
  const read = sweep.reads.get(record.sk);
  return read === undefined ? driver.observe(workOf(record), sweep.ctx.now()) : read(sweep.ctx.now());
}

function workOf(record: TrackingRecord): TrackedWork {
  return { input: record.input, tokenId: record.tokenId, runId: record.runId!, createdAt: Date.parse(record.createdAt) };
}

/**
 * What to do with a closed task's work: stop it now; wait, because its run failed and Glue's
 * retry has not started yet (nothing to stop until it does); or leave it to the next cycle,
 * which observes the work first (it was just found, not observed).
 */
type OnClosed = 'stop' | 'await-retry' | 'next-cycle';

/**
 * Heartbeats a task whose run is in flight. When nobody waits for the run any more (execution
 * stopped or timed out), the run is stopped first; if the stop fails the record stays, and the
 * next cycle tries again.
 */
async function heartbeatRun(ctx: RunnerContext, record: TrackingRecord, sent: CheckOutcome, onClosed: OnClosed = 'stop'): Promise<CheckOutcome> {
  if ((await reportHeartbeat(record.taskToken)) === 'closed') {
    if (onClosed !== 'stop') {
      // The record stays; a later cycle stops the work (the round stays due meanwhile).
      log.warn(onClosed === 'await-retry'
        ? 'task closed while Glue\'s retry of its run has not started; stopped once it starts'
        : 'task closed as its work was found; stopped by the next cycle', { tokenId: record.tokenId, runId: record.runId });
      return 'error';
    }
    log.warn('task closed while its run is in flight; stopping the run', { tokenId: record.tokenId, runId: record.runId });
    await driverFor(record.input).stop(workOf(record));
    await ctx.store.remove(record.sk);
    return 'closed';
  }
  return sent;
}
