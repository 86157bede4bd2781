/**
 * The backfill loop: read each date's latest execution, then start (or redrive) what the
 * decision table says, never more than `maxConcurrent` running, poll the running ones, and end
 * with a summary and an exit code. The decisions are `date-decision.ts`; the calls `executions.ts`.
 */
import { DateAction, DateState, decideDate, DecisionMode, isFinal, isRunning, pickLaunches } from './date-decision';
import { Executions } from './executions';
import { BackfillOptions } from './options';
import { Counters, duration, Output, planLine, Progress, statusLine, summaryLines } from './report';
import { executionNameFor, MAX_ATTEMPTS } from '../../shared/logical-date';
import { ExitCode } from '../exit-codes';

export interface BackfillDeps {
  readonly executions: Executions;
  readonly out: Output;
  /** Resolves after `seconds`, or at once when `signal` aborts. */
  readonly sleep: (seconds: number, signal: AbortSignal) => Promise<void>;
  /** Aborts on Ctrl-C (SIGINT): start nothing more, leave running executions alone. */
  readonly interrupt: AbortSignal;
}

/** Dates read at once while looking for their executions. */
const DISCOVERY_CONCURRENCY = 4;

export async function backfill(options: BackfillOptions, deps: BackfillDeps): Promise<number> {
  const { executions, interrupt } = deps;
  const progress = new Progress(deps.out);
  const mode: DecisionMode = { onlyFailed: options.onlyFailed };
  const nameOf = (i: number, attempt: number) => executionNameFor(options.values[i], options.namePrefix, attempt);
  const counters: Counters = { started: 0, redriven: 0, existed: 0 };

  progress.line(`Backfill of ${options.values.length} date${options.values.length === 1 ? '' : 's'} (${options.values[0]}`
    + `${options.values.length > 1 ? ` to ${options.values[options.values.length - 1]}` : ''}) on ${options.stateMachineArn}, `
    + `at most ${options.maxConcurrent} at once${options.onlyFailed ? ', only failed dates' : ''}${options.dryRun ? ', dry run: nothing is started' : ''}`);
  const states = await mapBounded(options.values, DISCOVERY_CONCURRENCY, (value, i) => latestExecution(executions, value, (a) => nameOf(i, a)));
  const decide = () => states.map((s) => decideDate(s, mode));

  if (options.dryRun) {
    const actions = decide();
    states.forEach((s, i) => progress.line(planLine(s, actions[i], (a) => nameOf(i, a))));
    const launches = actions.filter((a) => a.kind === 'start' || a.kind === 'redrive').length;
    progress.line(`\nDry run: would start or redrive ${launches}, at most ${options.maxConcurrent} running at once; started nothing.`);
    return ExitCode.SUCCEEDED;
  }

  try {
    await startAndWait(states, decide, options, deps, nameOf, progress, counters);
  } catch (err) {
    // A call failed past the SDK's retries: say what was started before the error goes up.
    progress.clear();
    summaryLines(states, decide(), counters, false).forEach((l) => progress.line(l));
    throw err;
  }
  progress.clear();
  const interrupted = interrupt.aborted;
  summaryLines(states, decide(), counters, interrupted).forEach((l) => progress.line(l));
  if (interrupted) {
    return ExitCode.INTERRUPTED;
  }
  return states.every((s) => s.execution?.status === 'SUCCEEDED') ? ExitCode.SUCCEEDED : ExitCode.NOT_ALL_SUCCEEDED;
}

/** Starts what the table says, at most `maxConcurrent` running, and polls, until every date is final or Ctrl-C. */
async function startAndWait(
  states: DateState[], decide: () => DateAction[], options: BackfillOptions, deps: BackfillDeps,
  nameOf: (i: number, attempt: number) => string, progress: Progress, counters: Counters,
): Promise<void> {
  const { executions, interrupt } = deps;
  let actions = decide();
  while (!interrupt.aborted) {
    for (const i of pickLaunches(states, actions, options.maxConcurrent, interrupt.aborted)) {
      if (interrupt.aborted) {
        break;
      }
      states[i] = await launch(states[i], actions[i], (attempt) => nameOf(i, attempt), options.inputs[i], executions, progress, counters);
    }
    actions = decide();
    progress.status(statusLine(states, actions));
    if (actions.every(isFinal)) {
      return;
    }
    await deps.sleep(options.pollSeconds, interrupt);
    if (interrupt.aborted) {
      return;
    }
    for (const [i, state] of states.entries()) {
      if (isRunning(state)) {
        states[i] = await refresh(state, executions, progress);
      }
    }
    actions = decide();
  }
}

/**
 * A date's latest execution: attempt 1 (`<prefix>-<value>`), then each later attempt while the
 * one before ended unsuccessfully (a rerun by `--only-failed` may have started it).
 */
async function latestExecution(executions: Executions, value: string, nameOf: (attempt: number) => string): Promise<DateState> {
  let latest: DateState = { value, attempt: 0, touched: false };
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const execution = await executions.describe(nameOf(attempt));
    if (!execution) {
      return latest;
    }
    latest = { value, attempt, execution, touched: false };
    if (!['FAILED', 'TIMED_OUT', 'ABORTED'].includes(execution.status)) {
      return latest;
    }
  }
  return latest;
}

async function launch(
  state: DateState, action: DateAction, nameOf: (attempt: number) => string, input: string,
  executions: Executions, progress: Progress, counters: Counters,
): Promise<DateState> {
  if (action.kind === 'redrive') {
    const execution = state.execution!;
    if (await executions.redrive(execution.arn)) {
      counters.redriven++;
      progress.line(`${state.value}  redriven ${execution.name} (was ${execution.status})`);
      return { ...state, execution: { ...execution, status: 'RUNNING', redrivable: false, stopMs: undefined }, touched: true };
    }
    // Not redrivable after all (redriven meanwhile, or its 14 days just ran out): read it again,
    // and let the table start the next attempt if it is still closed.
    const now = await executions.describe(execution.name);
    progress.line(`${state.value}  ${execution.name} cannot be redriven (${now?.redriveReason ?? 'Step Functions refused'})`);
    return { ...state, execution: now ? { ...now, redrivable: false } : { ...execution, redrivable: false } };
  }
  if (action.kind !== 'start') {
    return state;
  }
  const name = nameOf(action.attempt);
  const result = await executions.start(name, input);
  if (result.started) {
    counters.started++;
    progress.line(`${state.value}  started ${name}${action.attempt > 1 ? ` (attempt ${action.attempt}: ${state.execution?.name} ${state.execution?.status}, not redrivable)` : ''}`);
    return { value: state.value, attempt: action.attempt, execution: result.execution, touched: true };
  }
  counters.existed++;
  progress.line(`${state.value}  ${name} exists already (${result.execution.status})${result.sameInput ? '' : ' with another input'}: not started again`);
  return { value: state.value, attempt: action.attempt, execution: result.execution, touched: false };
}

async function refresh(state: DateState, executions: Executions, progress: Progress): Promise<DateState> {
  const execution = await executions.describe(state.execution!.name);
  if (!execution) {
    throw new Error(`execution ${state.execution!.arn} of ${state.value} is no longer there`);
  }
  if (execution.status !== state.execution!.status) {
    const took = execution.startMs !== undefined && execution.stopMs !== undefined ? ` after ${duration(execution.stopMs - execution.startMs)}` : '';
    progress.line(`${state.value}  ${execution.status} ${execution.name}${took}`);
  }
  return { ...state, execution };
}

/** `fn` over `items`, at most `limit` at once, results in order. */
async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
