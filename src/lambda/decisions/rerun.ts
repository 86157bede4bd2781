import type { StepResults } from './references';
import type { StepTaskInput } from '../../shared/contract';
import { RERUN_INPUT_FIELD, REUSED_FROM_FIELD } from '../../shared/rerun';
import { parseExactJson } from '../entry/exact-json';

/**
 * Pure rules of a re-run (`rerunFrom`): which steps run, and which take their result from the
 * earlier execution, read from that execution's history.
 */

/**
 * Whether the step runs or reuses its earlier result. It runs when it is the step the re-run
 * starts from, or when a step it comes after ran: in a sequence the step before it (`follows`),
 * in a graph any of its dependencies. Every other step is reused: the steps before the named one,
 * and in a graph the steps that do not depend on it. A step that comes after others is decided
 * once they have succeeded (the state machine, or the runner's hold on a graph step, sees to
 * it), and their results (`done`) say whether they were reused (`reusedFrom`). A step that ran
 * and whose result nobody keeps is missing from `done`: it ran.
 */
export function rerunChoice(input: StepTaskInput, done: StepResults): 'run' | 'reuse' {
  const rerun = input.rerunFrom;
  if (rerun === undefined || input.stepName === rerun.step) {
    return 'run';
  }
  const before = input.dependsOn ?? (input.follows === undefined ? [] : [input.follows]);
  return before.every((step) => done.get(step)?.[REUSED_FROM_FIELD] !== undefined) ? 'reuse' : 'run';
}

/** The parts of a Step Functions history event (`HistoryEvent`) the re-run reads. */
export interface HistoryEventView {
  readonly type?: string;
  readonly stateEnteredEventDetails?: { readonly name?: string };
  readonly stateExitedEventDetails?: { readonly name?: string; readonly output?: string };
}

/** What an earlier execution's history tells a re-run. */
export interface EarlierRun {
  /** An end event came after its start and after its last redrive: it neither runs nor is being redriven. */
  readonly ended: boolean;
  /** The task states it entered: every step it reached. */
  readonly entered: ReadonlySet<string>;
  /** The result of each step that succeeded (its task state's last exit), by step name. */
  readonly results: ReadonlyMap<string, Record<string, unknown>>;
}

/** The event types that end an execution's run (HistoryEventType), and those that begin one. */
const ENDINGS = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut']);
const BEGINNINGS = new Set(['ExecutionStarted', 'ExecutionRedriven']);

/**
 * Reads an execution's history a page at a time (events oldest first), keeping only what a
 * re-run needs: which steps it reached, each succeeded step's result (not the whole state each
 * exit carries: a long sequence's exits each repeat every result before them), and whether it
 * ended.
 */
export class EarlierRunReader {
  private ended = false;
  private readonly entered = new Set<string>();
  private readonly results = new Map<string, Record<string, unknown>>();

  public add(events: readonly HistoryEventView[]): void {
    for (const event of events) {
      const type = event.type ?? '';
      if (ENDINGS.has(type)) {
        this.ended = true;
      } else if (BEGINNINGS.has(type)) {
        this.ended = false;
      }
      if (type === 'TaskStateEntered' && event.stateEnteredEventDetails?.name) {
        this.entered.add(event.stateEnteredEventDetails.name);
      }
      const exited = event.stateExitedEventDetails;
      if (type === 'TaskStateExited' && exited?.name) {
        const result = stepResultOf(exited.name, exited.output);
        if (result) {
          this.results.set(exited.name, result);
        }
      }
    }
  }

  public read(): EarlierRun {
    return { ended: this.ended, entered: new Set(this.entered), results: new Map(this.results) };
  }
}

/** Reads a whole history at once (events oldest first). */
export function earlierRunOf(events: readonly HistoryEventView[]): EarlierRun {
  const reader = new EarlierRunReader();
  reader.add(events);
  return reader.read();
}

/**
 * A step's result in its task state's output: the output itself in a graph (each branch's
 * state has no ResultPath), the execution's state with the result at `results.<step>` in a
 * sequence. Either is taken, whatever the pipeline's shape now, as long as it is the result of
 * that step (every result names its step), so a pipeline that changed shape still finds them.
 */
function stepResultOf(stepName: string, output: string | undefined): Record<string, unknown> | undefined {
  const parsed = output === undefined ? undefined : parseJson(output);
  const nested = field(field(parsed, 'results'), stepName);
  for (const candidate of [nested, parsed]) {
    if (isObject(candidate) && candidate.stepName === stepName) {
      return candidate;
    }
  }
  return undefined;
}

/**
 * Why the re-run cannot take results from the earlier execution at all, naming what to do; undefined
 * when it can. Checked by every task of a re-run, those that run included, so that a request
 * that cannot be met fails the execution whichever step meets it first.
 */
export function earlierRunProblem(input: StepTaskInput, earlier: EarlierRun, earlierArn: string): string | undefined {
  const rerun = input.rerunFrom!;
  const from = `${RERUN_INPUT_FIELD} ${JSON.stringify({ step: rerun.step, execution: rerun.execution })}`;
  if (earlierArn === input.executionId) {
    return `${from} names this execution; name the earlier execution whose results the re-run reuses`;
  }
  if (!earlier.ended) {
    return `${from}: execution ${earlierArn} has not ended (it runs, or is being redriven); re-run from it once it has ended`;
  }
  if (!earlier.entered.has(rerun.step)) {
    return `${from}: execution ${earlierArn} never reached a step "${rerun.step}": a re-run starts from a step the earlier execution `
      + `reached, so that every step before it has a result to reuse; name one (it reached: ${[...earlier.entered].join(', ') || 'none'})`;
  }
  return undefined;
}

/**
 * The result a reused step takes from the earlier execution (`earlierArn`, read as `earlier`),
 * with `reusedFrom` set to it; undefined when the step did not succeed there (in a graph, a
 * branch the failure aborted, or that failed itself): such a step runs, as a redrive would run
 * it, and so do the steps after it.
 */
export function reusedResult(input: StepTaskInput, earlier: EarlierRun, earlierArn: string): Record<string, unknown> | undefined {
  const result = earlier.results.get(input.stepName);
  return result === undefined ? undefined : { ...result, stepName: input.stepName, [REUSED_FROM_FIELD]: earlierArn };
}

function parseJson(text: string): unknown {
  try {
    return parseExactJson(text);
  } catch {
    return undefined;
  }
}

function field(value: unknown, key: string): unknown {
  return isObject(value) ? value[key] : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
