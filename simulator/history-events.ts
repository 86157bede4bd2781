/**
 * One event of an execution's history, in the shape `GetExecutionHistory` answers with
 * (`HistoryEvent` in the Step Functions API model, docs/aws-assumptions.md "GetExecutionHistory"):
 * `timestamp` in epoch seconds of the simulation's clock (awsJson1_0 sends timestamps as epoch
 * seconds), `id` 1, 2, 3, ... in order, and one `...EventDetails` field, named after the type.
 */
export interface HistoryEvent {
  readonly timestamp: number;
  readonly type: string;
  readonly id: number;
  readonly previousEventId: number;
  readonly [details: string]: unknown;
}

/** An event before it has its place in the history: its type and its details field. */
export type HistoryEventBody = { readonly type: string } & Record<string, unknown>;

/** What the interpreter (aws-local-stepfunctions) tells of a state, in its StateEntered/StateExited events. */
export interface InterpreterStateEvent {
  readonly type: string;
  readonly state?: { readonly name: string; readonly type: string; readonly input?: unknown; readonly output?: unknown };
}

/**
 * The history event a state's entry or exit adds: `<StateType>StateEntered` with its input, or
 * `<StateType>StateExited` with its output (`TaskStateEntered`, `ChoiceStateExited`, ...);
 * undefined for the interpreter's other events, which the simulation's history leaves out (a
 * failure adds no "exited": the state ends with the execution's `ExecutionFailed`, or, caught,
 * exits with the catcher's output, as the interpreter reports it). Pure.
 */
export function stateEventOf(e: InterpreterStateEvent): HistoryEventBody | undefined {
  if (!e.state || (e.type !== 'StateEntered' && e.type !== 'StateExited')) {
    return undefined;
  }
  const { name, type } = e.state;
  return e.type === 'StateEntered'
    ? { type: `${type}StateEntered`, stateEnteredEventDetails: { name, input: JSON.stringify(e.state.input ?? null), inputDetails: { truncated: false } } }
    : { type: `${type}StateExited`, stateExitedEventDetails: { name, output: JSON.stringify(e.state.output ?? null), outputDetails: { truncated: false } } };
}

/** How the execution ended, as `ExecutionReport.status` says, with what the end event tells. */
export interface ExecutionEnd {
  readonly status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
}

/** The event that closes a run of the execution: `ExecutionSucceeded`, `ExecutionFailed`, `ExecutionTimedOut` or `ExecutionAborted`. Pure. */
export function endEventOf(end: ExecutionEnd): HistoryEventBody {
  const errorAndCause = { ...(end.error !== undefined && { error: end.error }), ...(end.cause !== undefined && { cause: end.cause }) };
  switch (end.status) {
    case 'SUCCEEDED':
      return { type: 'ExecutionSucceeded', executionSucceededEventDetails: { output: JSON.stringify(end.output ?? null), outputDetails: { truncated: false } } };
    case 'FAILED':
      return { type: 'ExecutionFailed', executionFailedEventDetails: errorAndCause };
    case 'TIMED_OUT':
      return { type: 'ExecutionTimedOut', executionTimedOutEventDetails: errorAndCause };
    case 'ABORTED':
      return { type: 'ExecutionAborted', executionAbortedEventDetails: errorAndCause };
  }
}

/**
 * How many times each state (by name) exited in the history so far: the entries a redrive's
 * rerun replays without Step Functions re-entering them. The interpreter reruns the definition
 * from its start, and each state that had succeeded answers at once (an activity state with its
 * recorded output, a Pass or a Choice with the same input as before); Step Functions continues
 * from the failed state instead, and adds no events for those. Pure.
 */
export function exitsByState(history: readonly HistoryEvent[]): Map<string, number> {
  const exits = new Map<string, number>();
  for (const e of history) {
    const name = (e.stateExitedEventDetails as { name?: string } | undefined)?.name;
    if (name !== undefined) {
      exits.set(name, (exits.get(name) ?? 0) + 1);
    }
  }
  return exits;
}

/**
 * Writes one run of an execution (its start, or a redrive) into the execution's history: each
 * event numbered after the last, the states the redrive replays left out, nothing after the run's
 * end event (the interpreter may still report states it was stopping).
 */
export class HistoryRecorder {
  /** Entries still to be replayed silently, by state name; and those replayed whose exit is still to come. */
  private readonly toReplay: Map<string, number>;
  private readonly replaying = new Map<string, number>();
  private closed = false;

  constructor(private readonly history: HistoryEvent[], private readonly epochNow: () => number) {
    this.toReplay = exitsByState(history);
  }

  public get ended(): boolean {
    return this.closed;
  }

  /** `ExecutionStarted`, or `ExecutionRedriven` for a redrive. */
  public started(input: unknown, redriveCount: number): void {
    this.append(redriveCount === 0
      ? { type: 'ExecutionStarted', executionStartedEventDetails: { input: JSON.stringify(input ?? null), inputDetails: { truncated: false } } }
      : { type: 'ExecutionRedriven', executionRedrivenEventDetails: { redriveCount } });
  }

  /** A state's entry or exit, as the interpreter reports it; the replayed ones are left out. */
  public interpreterEvent(e: InterpreterStateEvent): void {
    const body = stateEventOf(e);
    if (!body || this.closed) {
      return;
    }
    const name = e.state!.name;
    const pending = e.type === 'StateEntered' ? this.toReplay : this.replaying;
    const count = pending.get(name) ?? 0;
    if (count > 0) {
      pending.set(name, count - 1);
      if (e.type === 'StateEntered') {
        this.replaying.set(name, (this.replaying.get(name) ?? 0) + 1);
      }
      return;
    }
    this.append(body);
  }

  /** The run's end event; once only. */
  public end(end: ExecutionEnd): void {
    if (!this.closed) {
      this.append(endEventOf(end));
      this.closed = true;
    }
  }

  private append(body: HistoryEventBody): void {
    const id = this.history.length + 1;
    this.history.push({ timestamp: this.epochNow(), id, previousEventId: id - 1, ...body });
  }
}
