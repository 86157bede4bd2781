import { runnerError } from './metric-facts';
import { attemptStart, keepAlive, StartAttemptOutcome } from './start-attempt';
import type { TaskOutcome } from './task-outcome';
import { StepTaskInput, TrackingRecord } from '../../shared/contract';
import { mapSettledBounded } from '../aws/bounded';
import { inGraph, unmetDependencies } from '../decisions/dependencies';
import { successorFollows } from '../decisions/poll-plan';
import { StepResults } from '../decisions/references';
import { describeError, log } from '../entry/log';
import { RunnerContext } from '../entry/runner-context';
import { TRANSITIONS } from '../store/record-lifecycle';

/** `waiting`: a dependency has not succeeded yet. `leased`: another invocation took the record. */
export type WaitingOutcome = StartAttemptOutcome | Extract<TaskOutcome, 'waiting' | 'leased' | 'closed'>;

/** Steps of one execution released at once. */
const RELEASE_CONCURRENCY = 8;

/** Another round of releases starts only with this much of the invocation left; the next sweep does the rest. */
const RELEASE_RESERVE_MS = 30_000;

/**
 * Starts a held (WAITING) task once every step it depends on has succeeded: claims it
 * (WAITING -> STARTING; of two invocations only one wins), heartbeats it (a task closed while
 * it waited, because another branch failed, is dropped), and starts it. `succeeded` is what
 * the caller knows of the execution's finished steps (their kept results); when omitted, they
 * are read. The start uses them too (references, the step's transition latency).
 */
export async function startWhenReady(ctx: RunnerContext, seen: TrackingRecord, succeeded?: StepResults): Promise<WaitingOutcome> {
  const done = succeeded ?? await ctx.store.results(seen.executionId, ctx.now());
  if (unmetDependencies(seen.input, new Set(done.keys())).length > 0) {
    return 'waiting';
  }
  const claimed = await ctx.store.claim(seen.sk, TRANSITIONS.startHeld.from, TRANSITIONS.startHeld.to, ctx.leaseUntil, ctx.now());
  if (!claimed) {
    return 'leased';
  }
  const record: TrackingRecord = { ...seen, ...claimed };
  if (!(await keepAlive(ctx, record))) {
    return 'closed';
  }
  log.info('dependencies succeeded; starting the step', { tokenId: record.tokenId, stepName: record.stepName, dependsOn: record.input.dependsOn });
  return attemptStart(ctx, record, done);
}

/**
 * After a step of a graph succeeded: starts the execution's held tasks whose dependencies have
 * all succeeded now, at once rather than at the next sweep. Reads the task records (one query
 * of the pipeline's in-flight tasks) and the execution's results. A released step may succeed
 * as it starts (a trigger, a step a re-run reuses), readying steps held on it in turn: those are
 * released too, round after round, until a round readies none. A fault is logged; the next
 * sweep starts what was missed.
 */
export async function releaseDependents(ctx: RunnerContext, executionId: string): Promise<Record<WaitingOutcome, number>> {
  // Each record's last outcome: a step still waiting in one round may start in the next.
  const outcomes = new Map<string, WaitingOutcome>();
  try {
    // Each round that goes on took at least one held step out: at most as many rounds as were held.
    for (let round = 0, rounds = 1; round < rounds && ctx.remainingMs() > RELEASE_RESERVE_MS; round++) {
      const waiting: TrackingRecord[] = [];
      for await (const page of ctx.store.pages()) {
        waiting.push(...page.filter((r) => r.status === 'WAITING' && r.executionId === executionId));
      }
      if (waiting.length === 0) {
        break;
      }
      rounds = round === 0 ? waiting.length : rounds;
      const done = await ctx.store.results(executionId, ctx.now());
      const results = await mapSettledBounded(waiting, RELEASE_CONCURRENCY, (record) => startWhenReady(ctx, record, done));
      let succeeded = 0;
      results.forEach((result, i) => {
        if (result.status === 'fulfilled') {
          outcomes.set(waiting[i].sk, result.value);
          succeeded += result.value === 'succeeded' ? 1 : 0;
        } else {
          runnerError(ctx, 'could not start a released step; the next sweep retries', { tokenId: waiting[i].tokenId, reason: describeError(result.reason) });
        }
      });
      if (succeeded === 0) {
        break;
      }
    }
  } catch (err) {
    runnerError(ctx, 'could not release the steps waiting on this one; the next sweep does', { executionId, reason: describeError(err) });
  }
  const counts: Record<WaitingOutcome, number> = { started: 0, deferred: 0, failed: 0, succeeded: 0, waiting: 0, leased: 0, closed: 0 };
  outcomes.forEach((outcome) => counts[outcome]++);
  return counts;
}

/** What a step's success readied: a sequence's next task, or a graph's held steps (started). */
export interface SuccessFollowUp {
  /** The execution whose next task is ready now: for the caller to poll for. */
  readonly successorReady?: string;
  /** How the graph's held steps whose dependencies have now all succeeded were started. */
  readonly released?: Record<WaitingOutcome, number>;
}

/**
 * After a step succeeded, whoever reported it (an event, a trigger's start): in a graph, starts
 * the held steps it was the last dependency of; in a sequence, says whether a next task is ready.
 */
export async function afterSuccess(ctx: RunnerContext, executionId: string, input: StepTaskInput): Promise<SuccessFollowUp> {
  if (inGraph(input)) {
    return { released: await releaseDependents(ctx, executionId) };
  }
  return { successorReady: successorFollows(input) ? executionId : undefined };
}
