import { PipelinePlan, SoakStepKind, StepPlan } from './pipeline-plan';
import { Prng } from './prng';

export type ServiceName = 'sfn' | 'glue' | 'dynamodb' | 'ses';

/** One task attempt of one execution: the unit "at most one Glue run" counts. */
export interface AttemptRef {
  /** The execution's position in its pipeline. */
  readonly execution: number;
  readonly step: string;
  /** 1 for the first task of the step in that execution, 2 after one Retry... */
  readonly attempt: number;
}

/** Which calls a fault counts: those about one task attempt, one Glue resource, or all of one op. */
export type CallScope =
  | { readonly attempt: AttemptRef }
  | { readonly resource: string }
  | 'global';

/**
 * `answer-lost`: the call takes effect and its caller gets a 5xx; `connection-dropped`: it takes
 * effect and the connection drops before the answer. Neither may be re-sent blindly.
 */
export type CallFaultKind = 'kill-before' | 'kill-after' | 'throttling' | 'server-error' | 'answer-lost' | 'connection-dropped' | 'concurrent-runs';
export type EventFaultKind = 'event-lost' | 'event-duplicated' | 'event-late';
export type FaultKind = CallFaultKind | EventFaultKind | 'execution-stopped' | 'slow-near-deadline';

export const FAULT_KINDS: readonly FaultKind[] = [
  'kill-before', 'kill-after', 'throttling', 'server-error', 'answer-lost', 'connection-dropped', 'concurrent-runs',
  'event-lost', 'event-duplicated', 'event-late', 'execution-stopped', 'slow-near-deadline',
];

/** A fault on the runner's AWS calls: the `nth` call of `op` in `scope`, and the `times - 1` after it. */
export interface CallFault {
  readonly kind: CallFaultKind;
  readonly service: ServiceName;
  readonly op: string;
  readonly scope: CallScope;
  readonly nth: number;
  readonly times: number;
}

/** Which event a fault changes: a job run's end, an execution's start, or a crawler's n-th crawl end. */
export type EventTarget =
  | { readonly run: AttemptRef }
  | { readonly started: number }
  | { readonly crawler: string; readonly nth: number };

export interface EventFault {
  readonly kind: EventFaultKind;
  readonly target: EventTarget;
  /** Late: seconds after its due time; duplicated: seconds after the first delivery. */
  readonly delaySeconds: number;
}

/** Every call of the runner held `latencySeconds` for a while: an invocation slowed toward its deadline. */
export interface SlowWindow {
  readonly fromSeconds: number;
  readonly forSeconds: number;
  readonly latencySeconds: number;
}

export interface ExecutionPlan {
  readonly index: number;
  /** Simulated seconds after the pipeline's simulation began. */
  readonly startAtSeconds: number;
  /** StopExecution this many seconds after the start. */
  readonly stopAfterSeconds?: number;
  readonly calls: CallFault[];
  readonly events: EventFault[];
  /** From the execution's start. */
  readonly slow?: SlowWindow;
}

export interface PipelineFaults {
  readonly executions: ExecutionPlan[];
  /** Faults on calls that name no task (a resource's, or every invocation's). */
  readonly calls: CallFault[];
  readonly events: EventFault[];
}

/** The calls about one task attempt, by step kind: where a fault can be pinned to that attempt. */
const ATTEMPT_OPS: Readonly<Record<SoakStepKind, ReadonlyArray<readonly [ServiceName, string]>>> = {
  job: [['glue', 'StartJobRun'], ['glue', 'GetJobRun']],
  crawler: [],
  trigger: [],
  workflow: [['glue', 'StartWorkflowRun'], ['glue', 'GetWorkflowRun']],
};
const COMMON_ATTEMPT_OPS: ReadonlyArray<readonly [ServiceName, string]> = [
  ['dynamodb', 'PutItem'], ['dynamodb', 'UpdateItem'], ['dynamodb', 'DeleteItem'],
  ['sfn', 'SendTaskHeartbeat'], ['sfn', 'SendTaskSuccess'], ['sfn', 'SendTaskFailure'], ['ses', 'SendEmail'],
];
/** Calls of a Glue resource that carry no task: the kind's own reads and starts. */
const RESOURCE_OPS: Readonly<Record<SoakStepKind, readonly string[]>> = {
  job: ['GetJobRuns'],
  crawler: ['StartCrawler', 'ListCrawls'],
  trigger: ['StartTrigger', 'GetTrigger'],
  workflow: ['GetWorkflowRuns'],
};
const GLOBAL_OPS: ReadonlyArray<readonly [ServiceName, string]> = [['sfn', 'GetActivityTask'], ['sfn', 'ListExecutions'], ['dynamodb', 'Query']];

/** Executions of one pipeline, at most. */
export const MAX_EXECUTIONS_PER_PIPELINE = 5;

/**
 * The executions of `pipeline` and the faults each meets, drawn up front from the seed (pure).
 * Faults are pinned to what they strike (a task attempt's n-th call of an op, a run's end
 * event), not to the order calls arrive in, so a replay meets the same faults.
 */
export function drawFaults(seed: number, pipeline: PipelinePlan): PipelineFaults {
  const rng = Prng.of(seed, 'pipeline', pipeline.index, 'executions');
  const count = rng.weighted<number>([[1, 2], [2, 3], [3, 3], [4, 2], [MAX_EXECUTIONS_PER_PIPELINE, 1]]);
  const executions = Array.from({ length: count }, (_, i) => drawExecution(Prng.of(seed, 'pipeline', pipeline.index, 'execution', i), pipeline, i));
  const shared = Prng.of(seed, 'pipeline', pipeline.index, 'shared-faults');
  const calls: CallFault[] = [];
  const events: EventFault[] = [];
  for (let i = shared.weighted<number>([[0, 3], [1, 3], [2, 2], [3, 1]]); i > 0; i--) {
    const step = shared.pick(pipeline.steps);
    if (step.kind === 'crawler' && shared.chance(0.3)) {
      events.push({ kind: shared.pick(['event-lost', 'event-duplicated', 'event-late'] as const), target: { crawler: step.resource, nth: shared.int(1, 2) }, delaySeconds: shared.int(5, 240) });
      continue;
    }
    const onResource = shared.chance(0.6);
    const [service, op] = onResource ? ['glue' as const, shared.pick(RESOURCE_OPS[step.kind])] : shared.pick(GLOBAL_OPS);
    const kind = (op === 'StartCrawler' || op === 'StartTrigger') && shared.chance(0.4) ? 'concurrent-runs' : drawCallKind(shared, service);
    calls.push({ kind, service, op, scope: onResource ? { resource: step.resource } : 'global', nth: shared.int(1, 4), times: timesOf(shared, kind) });
  }
  return { executions, calls, events };
}

function drawExecution(rng: Prng, pipeline: PipelinePlan, index: number): ExecutionPlan {
  const calls: CallFault[] = [];
  const events: EventFault[] = [];
  let stopAfterSeconds: number | undefined;
  let slow: SlowWindow | undefined;
  const faults = rng.weighted<number>([[0, 2], [1, 4], [2, 3], [3, 2], [4, 1]]);
  for (let i = 0; i < faults; i++) {
    const step = rng.pick(pipeline.steps);
    const attempt: AttemptRef = { execution: index, step: step.name, attempt: rng.chance(0.85) ? 1 : 2 };
    const kind = rng.weighted<FaultKind>([
      ['kill-before', 3], ['kill-after', 3], ['throttling', 2], ['server-error', 2], ['answer-lost', 2], ['connection-dropped', 2], ['concurrent-runs', 1],
      ['event-lost', 2], ['event-duplicated', 2], ['event-late', 2], ['execution-stopped', 1], ['slow-near-deadline', 1],
    ]);
    switch (kind) {
      case 'kill-before':
      case 'kill-after':
      case 'throttling':
      case 'server-error':
      case 'answer-lost':
      case 'connection-dropped': {
        // The kind's own calls weigh as much as the common ones together: a crash around a
        // start is where work can be duplicated.
        const own = ATTEMPT_OPS[step.kind];
        const [service, op] = own.length > 0 && rng.chance(0.5) ? rng.pick(own) : rng.pick(COMMON_ATTEMPT_OPS);
        // SES is a query (XML) protocol: its errors are not modelled; the runner only dies around it.
        const callKind = service === 'ses' && kind !== 'kill-before' && kind !== 'kill-after' ? 'kill-before' : kind;
        calls.push({ kind: callKind, service, op, scope: { attempt }, nth: rng.chance(0.8) ? 1 : 2, times: timesOf(rng, callKind) });
        break;
      }
      case 'concurrent-runs': {
        const start = startOpOf(step);
        if (start) {
          calls.push({ kind, service: 'glue', op: start, scope: { attempt }, nth: 1, times: timesOf(rng, kind) });
        }
        break;
      }
      case 'event-lost':
      case 'event-duplicated':
      case 'event-late': {
        const target: EventTarget = step.kind === 'job' && rng.chance(0.75) ? { run: attempt } : { started: index };
        events.push({ kind, target, delaySeconds: kind === 'event-late' ? rng.int(20, 240) : rng.int(0, 60) });
        break;
      }
      case 'execution-stopped':
        stopAfterSeconds = rng.int(10, 900);
        break;
      case 'slow-near-deadline':
        slow = { fromSeconds: rng.int(0, 400), forSeconds: rng.int(60, 400), latencySeconds: rng.int(2, 7) };
        break;
    }
  }
  const startAtSeconds = index === 0 || rng.chance(0.5) ? 0 : rng.int(5, 300);
  return { index, startAtSeconds, stopAfterSeconds, calls, events, slow };
}

/** The Glue start call of a step pinned to its task, if its kind has one. */
function startOpOf(step: StepPlan): string | undefined {
  return step.kind === 'job' ? 'StartJobRun' : step.kind === 'workflow' ? 'StartWorkflowRun' : undefined;
}

function drawCallKind(rng: Prng, service: ServiceName): CallFaultKind {
  return service === 'ses'
    ? rng.pick(['kill-before', 'kill-after'] as const)
    : rng.weighted<CallFaultKind>([['kill-before', 3], ['kill-after', 3], ['throttling', 2], ['server-error', 2], ['answer-lost', 2], ['connection-dropped', 2]]);
}

/** Kills strike once; errors strike a few calls in a row (the SDK tries 3 times). */
function timesOf(rng: Prng, kind: CallFaultKind): number {
  return kind === 'kill-before' || kind === 'kill-after' ? 1 : rng.int(1, 4);
}
