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
  readonly stateExitedEventDetails?: { readonly name?: string; readonly output?: string; readonly outputDetails?: { readonly truncated?: boolean } };
}

/** What an earlier execution's history tells a re-run. */
export interface EarlierRun {
  /** Its last event ends it (it is not running, nor being redriven). */
  readonly ended: boolean;
  /** The task states it entered: every step it reached. */
  readonly entered: ReadonlySet<string>;
  /** Each state's output when it last exited (succeeded), as JSON text; undefined when truncated. */
  readonly exits: ReadonlyMap<string, string | undefined>;
}

/** The event types that end an execution (HistoryEventType). */
const ENDINGS = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut']);

/** Reads an execution's history, its events in order (oldest first). */
export function earlierRunOf(events: readonly HistoryEventView[]): EarlierRun {
  const entered = new Set<string>();
  const exits = new Map<string, string | undefined>();
  for (const event of events) {
    if (event.type === 'TaskStateEntered' && event.stateEnteredEventDetails?.name) {
      entered.add(event.stateEnteredEventDetails.name);
    }
    const exited = event.stateExitedEventDetails;
    if (event.type === 'TaskStateExited' && exited?.name) {
      exits.set(exited.name, exited.outputDetails?.truncated ? undefined : exited.output);
    }
  }
  return { ended: ENDINGS.has(events[events.length - 1]?.type ?? ''), entered, exits };
}

/** A reused step's result, or why it cannot be had. */
export type ReuseOutcome = { readonly result: Record<string, unknown> } | { readonly problem: string };

/**
 * The result a reused step takes from the earlier execution (`earlierArn`, read as `earlier`),
 * with `reusedFrom` set to it; or why it cannot be taken, naming what to do. A step's state
 * output is its result in a graph (each branch's state has no ResultPath), and the execution's
 * state with the result at `results.<step>` in a sequence.
 */
export function reusedResult(input: StepTaskInput, earlier: EarlierRun, earlierArn: string): ReuseOutcome {
  const rerun = input.rerunFrom!;
  const from = `${RERUN_INPUT_FIELD} ${JSON.stringify({ step: rerun.step, execution: rerun.execution })}`;
  if (earlierArn === input.executionId) {
    return { problem: `${from} names this execution; name the earlier execution whose results the re-run reuses` };
  }
  if (!earlier.ended) {
    return { problem: `${from}: execution ${earlierArn} has not ended (it runs, or is being redriven); re-run from it once it has ended` };
  }
  if (!earlier.entered.has(rerun.step)) {
    return {
      problem: `${from}: execution ${earlierArn} never reached a step "${rerun.step}": a re-run starts from a step the earlier execution `
        + `reached, so that every step before it has a result to reuse; name one (it reached: ${[...earlier.entered].join(', ') || 'none'}), `
        + 'and check the step name\'s spelling',
    };
  }
  const output = earlier.exits.get(input.stepName);
  if (!earlier.exits.has(input.stepName)) {
    return {
      problem: `${from}: step "${input.stepName}" did not succeed in execution ${earlierArn}, so it has no result to reuse; `
        + `re-run from "${input.stepName}" or a step before it`,
    };
  }
  const parsed = output === undefined ? undefined : parseJson(output);
  const result = input.dependsOn === undefined ? field(field(parsed, 'results'), input.stepName) : parsed;
  if (!isObject(result)) {
    return {
      problem: `${from}: the result of step "${input.stepName}" in execution ${earlierArn} could not be read from its history `
        + '(its output was cut short, or is not a step result); re-run from an earlier step',
    };
  }
  return { result: { ...result, stepName: input.stepName, [REUSED_FROM_FIELD]: earlierArn } };
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
