import type * as LocalStepFunctions from 'aws-local-stepfunctions' with { 'resolution-mode': 'import' };
import { HistoryEvent, HistoryRecorder } from './history-events';
import { ActivityService, TaskFailedError } from './local-aws/activity-service';
import { allStates } from './pipeline-template';
import { retryWait } from './retry-wait';
import { SimClock, SimTimer } from './sim-clock';

// aws-local-stepfunctions uses Promise.withResolvers (Node 22); Node 20 lacks it.
const promiseCtor = Promise as unknown as { withResolvers?: () => unknown };
promiseCtor.withResolvers ??= () => {
  let resolve!: (v: unknown) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

// The package's typings are ESM; its CommonJS build (the `require` export) is what runs here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { StateMachine } = require('aws-local-stepfunctions') as typeof LocalStepFunctions;

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface StateReport {
  readonly name: string;
  readonly enteredAt: number;
  exitedAt?: number;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  retries: number;
  error?: string;
  cause?: string;
}

export interface ExecutionReport {
  readonly executionArn: string;
  status: ExecutionStatus;
  readonly startedAt: number;
  endedAt?: number;
  /** How many times the execution was redriven (`redriveCount`): 0 until then. */
  redriveCount?: number;
  /** When it was last redriven (`redriveDate`, simulated seconds). */
  redrivenAt?: number;
  output?: unknown;
  error?: string;
  cause?: string;
  /** The steps' states (Task states, and a graph's Parallel) as entered; the re-run Choice and Pass states at the start are left out. */
  readonly states: StateReport[];
  /**
   * The execution's history, as `GetExecutionHistory` answers it (history-events.ts): every run's
   * events, a redrive's after the earlier ones. Absent for an execution the simulation only lists
   * (`Simulation.scheduleTask`).
   */
  history?: HistoryEvent[];
}

/** State types that are no step: the re-run Choice and the Pass state at the start of every definition. */
const NOT_STEPS = new Set(['Choice', 'Pass']);

type Definition = { StartAt: string; States: Record<string, any>; TimeoutSeconds?: number };

/**
 * What a redrive carries over from the execution's earlier runs (see redrive.ts): the report,
 * which it reopens, and the output of every activity state that succeeded, by state name, which
 * the rerun returns at once instead of scheduling a task, as Step Functions does not rerun a
 * state that succeeded.
 */
export interface RedriveOf {
  readonly report: ExecutionReport;
  readonly succeeded: ReadonlyMap<string, unknown>;
}

/**
 * Definitions already validated. Step Functions validates a definition when the state machine
 * is created, not at every execution; validating costs about half a second of CPU, which the
 * clock would count as simulated time, so a burst of executions validates it once, and so do the
 * simulations of one template (kept by the definition's text).
 */
const validated = new Set<string>();

/**
 * Runs one execution of the synthesized definition, unchanged. Each activity state is bridged to
 * the local activity service, which enforces the state's HeartbeatSeconds and TimeoutSeconds in
 * simulated time. Retry waits are simulated time too: the interpreter is told to retry at once,
 * and the retried task waits its interval (with its backoff) on the simulation's clock before it
 * is scheduled.
 */
export function startExecution(
  definition: Definition,
  activity: ActivityService,
  clock: SimClock,
  input: unknown,
  executionArn: string,
  onChange: (report: ExecutionReport) => void = () => {},
  redrive?: RedriveOf,
): { report: ExecutionReport; done: Promise<ExecutionReport>; abort: () => void; succeeded: Map<string, unknown> } {
  const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  // Every activity state that succeeded, earlier runs' included: what a later redrive keeps.
  const succeeded = new Map(redrive?.succeeded ?? []);
  const retryIntervals: Record<string, number> = {};
  for (const [name, state] of allStates(definition)) {
    if (state.Type === 'Task' && /^arn:aws:states:[^:]*:[^:]*:activity:/.test(String(state.Resource))) {
      const retried: number[] = [];
      let waitSeconds = 0;
      handlers[name] = async (taskInput) => {
        if (redrive?.succeeded.has(name)) {
          return structuredClone(redrive.succeeded.get(name));
        }
        if (waitSeconds > 0) {
          await clock.sleep(waitSeconds);
          waitSeconds = 0;
        }
        if (report.status !== 'RUNNING') {
          throw new TaskFailedError('States.Aborted', 'the execution ended');
        }
        try {
          const scheduled = JSON.stringify(withRetryCount(taskInput, retried));
          const output = JSON.parse(await activity.schedule(state.Resource, name, scheduled, state.HeartbeatSeconds, state.TimeoutSeconds));
          succeeded.set(name, output);
          return structuredClone(output);
        } catch (err) {
          const decision = retryWait(state.Retry ?? [], retried, (err as Error).name);
          if (decision) {
            retried[decision.retrier] = (retried[decision.retrier] ?? 0) + 1;
            waitSeconds = decision.seconds;
          }
          throw err;
        }
      };
    }
    if (state.Retry) {
      retryIntervals[name] = 0;
    }
  }

  const report: ExecutionReport = redrive ? reopened(redrive.report, clock.now()) : { executionArn, status: 'RUNNING', startedAt: clock.now(), states: [] };
  report.history ??= [];
  const history = new HistoryRecorder(report.history, () => clock.epochSeconds(clock.now()));
  history.started(input, report.redriveCount ?? 0);
  const text = JSON.stringify(definition);
  const machine = new StateMachine(withoutTimeouts(definition) as never, {
    validationOptions: (validated.has(text) ? { noValidate: true } : { checkArn: false }) as never,
  });
  validated.add(text);
  const run = machine.run(input as never, {
    overrides: { taskResourceLocalHandlers: handlers as never, retryIntervalOverrides: retryIntervals },
    context: {
      Execution: {
        Id: executionArn,
        Name: executionArn.split(':').pop(),
        Input: input,
        StartTime: new Date(clock.epochSeconds(report.startedAt) * 1000).toISOString(),
        RedriveCount: report.redriveCount ?? 0,
        ...(report.redrivenAt !== undefined && { RedriveTime: new Date(clock.epochSeconds(report.redrivenAt) * 1000).toISOString() }),
      },
      StateMachine: { Id: executionArn.split(':').slice(0, 7).join(':').replace(':execution:', ':stateMachine:'), Name: executionArn.split(':')[6] },
      // The interpreter keeps no per-state context: `withRetryCount` puts each state's own count in its task.
      State: { RetryCount: 0 },
    } as never,
  });

  // Every task still open when the execution ends (other branches of a failed Parallel, a state
  // being retried) dies with it, as Step Functions closes them all.
  const abortOpenTasks = () => activity.abortExecution(executionArn);
  let timer: SimTimer | undefined;
  const finish = (status: ExecutionStatus, fields: Partial<ExecutionReport> = {}) => {
    if (report.status !== 'RUNNING') {
      return;
    }
    timer?.cancel();
    Object.assign(report, fields, { status, endedAt: clock.now() });
    if (status !== 'SUCCEEDED') {
      abortOpenTasks();
    }
    // A success or a failure ends the history once the interpreter's events before it are in
    // (see `events`); a stop or a timeout ends it now: nothing the interpreter reports after counts.
    if (status === 'ABORTED' || status === 'TIMED_OUT') {
      history.end({ status, error: report.error, cause: report.cause });
    }
    onChange(report);
  };

  const events = (async () => {
    for await (const event of run.eventLogs) {
      const e = event as { type: string; state?: { name: string; type: string; input?: unknown; output?: unknown }; Error?: string; Cause?: unknown };
      const current = e.state ? [...report.states].reverse().find((s) => s.name === e.state!.name) : undefined;
      history.interpreterEvent(e);
      if (e.type === 'StateEntered' && e.state && !NOT_STEPS.has(e.state.type)) {
        report.states.push({ name: e.state.name, enteredAt: clock.now(), status: 'RUNNING', retries: 0 });
      } else if (e.type === 'StateRetried' && current) {
        current.retries++;
      } else if (e.type === 'StateExited' && current) {
        Object.assign(current, { status: 'SUCCEEDED', exitedAt: clock.now() });
      } else if (e.type === 'StateFailed' && current) {
        Object.assign(current, { status: 'FAILED', exitedAt: clock.now(), error: e.Error, cause: String(e.Cause ?? '') });
      } else if (e.type === 'ExecutionFailed') {
        finish('FAILED', { error: e.Error, cause: String(e.Cause ?? '') });
        history.end({ status: 'FAILED', error: report.error, cause: report.cause });
      } else if (e.type === 'ExecutionSucceeded') {
        history.end({ status: 'SUCCEEDED', output: (e as { output?: unknown }).output });
      }
      onChange(report);
    }
  })();

  const done = (async () => {
    if (definition.TimeoutSeconds) {
      timer = clock.after(definition.TimeoutSeconds, () => {
        finish('TIMED_OUT', { error: 'States.Timeout' });
        run.abort();
      });
    }
    try {
      const output = await run.result;
      finish('SUCCEEDED', { output });
    } catch (err) {
      const e = err as { name?: string; message?: string; cause?: { name?: string; cause?: unknown; message?: string } };
      if (e.name === 'ExecutionAbortedError') {
        finish('ABORTED');
      } else {
        finish('FAILED', { error: e.cause?.name ?? e.name, cause: String(e.cause?.cause ?? e.cause?.message ?? e.message ?? '') });
      }
    }
    await events.catch(() => undefined);
    // The interpreter's own end event did not come (it was stopped): the report's end closes the history.
    if (report.status !== 'RUNNING') {
      history.end({ status: report.status, output: report.output, error: report.error, cause: report.cause });
    }
    return report;
  })();

  return {
    report,
    done,
    succeeded,
    abort: () => {
      finish('ABORTED');
      run.abort();
    },
  };
}

/**
 * The report of an ended execution, open again for its redrive: RUNNING, its end, output and
 * error cleared, its redrive counted. The start time stays the execution's first.
 */
function reopened(report: ExecutionReport, now: number): ExecutionReport {
  delete report.endedAt;
  delete report.output;
  delete report.error;
  delete report.cause;
  return Object.assign(report, { status: 'RUNNING', redriveCount: (report.redriveCount ?? 0) + 1, redrivenAt: now });
}

/**
 * The task input with the state's `$$.State.RetryCount` where it asks for it (`attempt`):
 * aws-local-stepfunctions resolves `$$` paths against one context for the whole execution, so
 * the activity bridge, which counts each state's retries, writes the count the service would.
 */
function withRetryCount(taskInput: unknown, retried: readonly number[]): unknown {
  const input = taskInput as Record<string, unknown>;
  return typeof input === 'object' && input !== null && 'attempt' in input
    ? { ...input, attempt: retried.reduce((sum, n) => sum + (n ?? 0), 0) }
    : taskInput;
}

/**
 * The longest timeout, in seconds, that a Node timer holds: 2^31-1 ms. A longer one fires at once.
 */
export const LONGEST_REAL_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/**
 * The definition as aws-local-stepfunctions is given it. The activity service and
 * `startExecution` enforce the activity states' and the execution's `TimeoutSeconds` on the
 * simulation's clock; the interpreter would enforce them too, with real timers, and one past
 * 2^31-1 ms (about 24.8 days, well within the 99,999,999 s Step Functions allows) overflows
 * Node's timers and fires at once. So the execution's timeout is left out, and each activity
 * state's is set to the longest a real timer holds (left out, the interpreter would apply its own
 * default of 60 real seconds).
 */
export function withoutTimeouts(definition: Definition): Definition {
  const strip = (states: Record<string, any>): Record<string, any> => Object.fromEntries(Object.entries(states).map(([name, state]) => {
    const copy = state.Type === 'Task' && /^arn:aws:states:[^:]*:[^:]*:activity:/.test(String(state.Resource))
      ? { ...state, TimeoutSeconds: LONGEST_REAL_TIMER_SECONDS }
      : { ...state };
    if (Array.isArray(state.Branches)) {
      copy.Branches = state.Branches.map((b: Definition) => ({ ...b, States: strip(b.States) }));
    }
    return [name, copy];
  }));
  const { TimeoutSeconds: _timeout, ...rest } = definition;
  return { ...rest, States: strip(definition.States) };
}
