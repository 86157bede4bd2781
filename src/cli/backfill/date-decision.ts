/**
 * What the backfill does with one date, given what Step Functions says of its latest execution,
 * and which dates it may start now. Pure: the loop (`backfill.ts`) reads and acts.
 */
import { MAX_ATTEMPTS } from '../../shared/logical-date';

/** Every status DescribeExecution may answer (`ExecutionStatus` in the Step Functions API). */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

/** The latest execution of a date, as DescribeExecution answered it. */
export interface ExecutionView {
  readonly arn: string;
  readonly name: string;
  readonly status: ExecutionStatus;
  /** `redriveStatus` is `REDRIVABLE`: RedriveExecution would rerun it. */
  readonly redrivable: boolean;
  /** `redriveStatusReason`, when it is not redrivable. */
  readonly redriveReason?: string;
  readonly startMs?: number;
  readonly stopMs?: number;
}

/** What is known of one date (a logical date, or a value of a list). */
export interface DateState {
  readonly value: string;
  /** The attempt number of `execution` (1: `<prefix>-<value>`); 0 when no execution of the date exists. */
  readonly attempt: number;
  readonly execution?: ExecutionView;
  /** This invocation started or redrove the date: it is not rerun again in the same invocation. */
  readonly touched: boolean;
}

export type DateAction =
  /** Start the given attempt (its name: `executionNameFor(value, prefix, attempt)`). */
  | { readonly kind: 'start'; readonly attempt: number }
  /** RedriveExecution of the latest execution: same ARN, its failed states rerun. */
  | { readonly kind: 'redrive' }
  /** The latest execution is running: wait for it. */
  | { readonly kind: 'wait' }
  /** Final: the latest execution succeeded. */
  | { readonly kind: 'succeeded' }
  /** Final: the latest execution ended FAILED, TIMED_OUT or ABORTED and is not rerun. */
  | { readonly kind: 'failed'; readonly why: string }
  /** Final: `--only-failed` starts no date that has no execution. */
  | { readonly kind: 'not-started' };

export interface DecisionMode {
  /** Rerun dates whose latest execution ended unsuccessfully; start no date that has none. */
  readonly onlyFailed: boolean;
}

/** The decision table for one date. */
export function decideDate(state: DateState, mode: DecisionMode): DateAction {
  const execution = state.execution;
  if (!execution) {
    return mode.onlyFailed ? { kind: 'not-started' } : { kind: 'start', attempt: 1 };
  }
  switch (execution.status) {
    case 'RUNNING':
    case 'PENDING_REDRIVE':
      return { kind: 'wait' };
    case 'SUCCEEDED':
      return { kind: 'succeeded' };
    case 'FAILED':
    case 'TIMED_OUT':
    case 'ABORTED':
      if (!mode.onlyFailed) {
        return { kind: 'failed', why: state.touched ? 'ended unsuccessfully' : 'ended unsuccessfully before; rerun it with --only-failed' };
      }
      if (state.touched) {
        return { kind: 'failed', why: 'ended unsuccessfully again after its rerun' };
      }
      if (execution.redrivable) {
        return { kind: 'redrive' };
      }
      return state.attempt >= MAX_ATTEMPTS
        ? { kind: 'failed', why: `has had ${MAX_ATTEMPTS} attempts, the most the naming allows` }
        : { kind: 'start', attempt: state.attempt + 1 };
  }
}

/** True for the actions that end a date's part in the backfill. */
export function isFinal(action: DateAction): boolean {
  return action.kind === 'succeeded' || action.kind === 'failed' || action.kind === 'not-started';
}

/** True for the states whose execution counts against `--max-concurrent`. */
export function isRunning(state: DateState): boolean {
  return state.execution?.status === 'RUNNING' || state.execution?.status === 'PENDING_REDRIVE';
}

/**
 * Which of the dates to start or redrive now, in their order: as many as leave at most
 * `maxConcurrent` of the backfill's executions running (those an earlier invocation left
 * running count too), and none once the backfill is stopping.
 */
export function pickLaunches(states: readonly DateState[], actions: readonly DateAction[], maxConcurrent: number, stopping: boolean): number[] {
  if (stopping) {
    return [];
  }
  const free = maxConcurrent - states.filter(isRunning).length;
  const launchable = actions.flatMap((a, i) => (a.kind === 'start' || a.kind === 'redrive' ? [i] : []));
  return launchable.slice(0, Math.max(0, free));
}
