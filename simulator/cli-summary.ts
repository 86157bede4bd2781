import { ExitCode } from './cli-options';
import { ExecutionReport, ExecutionStatus } from './execution';
import { PutEvent } from './local-aws/event-bus';
import { SentEmail } from './local-aws/ses';
import { clockText } from './step-progress';
import { MetricDimensions, PipelineEventTypes, PipelineMetrics } from '../src/shared/operations';
import type { StepFailedDetail, StepLateDetail } from '../src/shared/pipeline-events';

/** The CLI's exit code for how the execution ended. */
export function exitCodeOf(status: ExecutionStatus): number {
  switch (status) {
    case 'SUCCEEDED':
      return ExitCode.SUCCEEDED;
    case 'FAILED':
    case 'TIMED_OUT':
    case 'ABORTED':
      return ExitCode.EXECUTION_FAILED;
    case 'RUNNING':
      // The simulation returned before the execution ended: the harness is at fault.
      return ExitCode.SIMULATION_FAILED;
  }
}

/**
 * How the execution ended: its status and duration, then the error's cause as the state machine
 * reported it, and what to do about a missing execution input field.
 */
export function outcomeLines(report: Pick<ExecutionReport, 'status' | 'error' | 'cause'>, took: string): string[] {
  const lines = [`Execution ${report.status} after ${took} (simulated)${report.error ? ` with ${report.error}` : ''}`];
  if (report.cause) {
    lines.push(`Cause: ${report.cause}`);
  }
  const field = missingInputField(report.cause);
  if (field !== undefined) {
    lines.push(`The execution input has no "${field}", which a step reads ({{execution.${field}}}); `
      + `give it, e.g. --input '${JSON.stringify(exampleInput(field))}'`);
  }
  return lines;
}

/**
 * The execution input field a `States.Runtime` cause names, when a state's Parameters read a
 * field the input lacks (`$$.Execution.Input.<path>`, as the construct passes references).
 */
export function missingInputField(cause: string | undefined): string | undefined {
  return /\$\$\.Execution\.Input\.([\w.]+)'? (?:does not point to a value|could not be found)/.exec(cause ?? '')?.[1];
}

/** An input holding `path` (dotted), with a placeholder value. */
function exampleInput(path: string): Record<string, unknown> {
  return path.split('.').reduceRight<unknown>((value, name) => ({ [name]: value }), '...') as Record<string, unknown>;
}

/** A mail the runner sent, as the team would read it. */
export function mailText(mail: SentEmail): string {
  const cc = mail.destination.cc.length > 0 ? `\nCc: ${mail.destination.cc.join(', ')}` : '';
  return `From: ${mail.from}\nTo: ${mail.destination.to.join(', ')}${cc}\nSubject: ${mail.subject}\n\n${mail.body.text ?? mail.body.html ?? ''}`;
}

/** What a step's metric lines told of it, the last of each fact. */
interface StepMetrics {
  outcome?: string;
  failedBefore: number;
  values: Record<string, number>;
}

/**
 * One line per step from the runner's metric lines (EMF documents, `sim.metrics`), in the order
 * the steps first show: how it ended (after how many failed tries of the state machine's retry),
 * its duration, capacity wait, Glue attempts, DPU-seconds (`~` estimated) and start or transition
 * latency, each as the last line that gave it. No lines when no step ended.
 */
export function stepMetricLines(documents: readonly Record<string, unknown>[]): string[] {
  const steps = new Map<string, StepMetrics>();
  for (const doc of documents) {
    if (typeof doc.Step !== 'string') {
      continue;
    }
    const step = steps.get(doc.Step) ?? { failedBefore: 0, values: {} };
    steps.set(doc.Step, step);
    if (doc[PipelineMetrics.STEP_SUCCEEDED] !== undefined || doc[PipelineMetrics.STEP_FAILED] !== undefined) {
      step.failedBefore += step.outcome?.startsWith('FAILED') ? 1 : 0;
      step.outcome = doc[PipelineMetrics.STEP_FAILED] !== undefined ? `FAILED (${String(doc[MetricDimensions.ERROR])})` : 'SUCCEEDED';
      // An end's values are its own: a value a failed try measured is not carried over.
      for (const name of END_VALUES) {
        delete step.values[name];
      }
    }
    for (const [name, value] of Object.entries(doc)) {
      if (typeof value === 'number' && name !== '_aws') {
        step.values[name] = value;
      }
    }
  }
  const ended = [...steps].filter(([, s]) => s.outcome !== undefined);
  if (ended.length === 0) {
    return [];
  }
  const outcomes = ended.map(([, s]) => (s.failedBefore > 0 ? `${s.outcome} (${s.failedBefore} failed ${s.failedBefore === 1 ? 'try' : 'tries'} before)` : s.outcome!));
  const nameWidth = Math.max(...ended.map(([name]) => name.length));
  const outcomeWidth = Math.max(...outcomes.map((o) => o.length));
  return ['Steps, from the runner\'s metrics:', ...ended.map(([name, s], i) =>
    `  ${name.padEnd(nameWidth)}  ${outcomes[i].padEnd(outcomeWidth)}  ${measuredText(s.values)}`.trimEnd())];
}

const END_VALUES: readonly string[] = [
  PipelineMetrics.STEP_DURATION, PipelineMetrics.STEP_CAPACITY_WAIT, PipelineMetrics.STEP_ATTEMPTS,
  PipelineMetrics.STEP_DPU_SECONDS, PipelineMetrics.STEP_DPU_SECONDS_ESTIMATED,
];

function measuredText(values: Record<string, number>): string {
  const s = (name: string, label: string) => (values[name] === undefined ? [] : [`${label} ${Math.round(values[name])} s`]);
  const dpu = values[PipelineMetrics.STEP_DPU_SECONDS] !== undefined ? [`DPU-seconds ${Math.round(values[PipelineMetrics.STEP_DPU_SECONDS])}`]
    : values[PipelineMetrics.STEP_DPU_SECONDS_ESTIMATED] !== undefined ? [`DPU-seconds ~${Math.round(values[PipelineMetrics.STEP_DPU_SECONDS_ESTIMATED])} (estimated)`] : [];
  return [
    ...s(PipelineMetrics.STEP_DURATION, 'duration'),
    ...s(PipelineMetrics.STEP_CAPACITY_WAIT, 'capacity wait'),
    ...(values[PipelineMetrics.STEP_ATTEMPTS] === undefined ? [] : [`attempts ${values[PipelineMetrics.STEP_ATTEMPTS]}`]),
    ...dpu,
    ...s(PipelineMetrics.STEP_START_LATENCY, 'start latency'),
    ...s(PipelineMetrics.STEP_TRANSITION_LATENCY, 'transition latency'),
  ].join(', ');
}

/**
 * One line per event the runner put on the event bus (`sim.pipelineEvents`), oldest first, at
 * the execution's time (`startedAt`: the execution's start, simulated seconds): its detail-type,
 * step and attempt, and what it says (a failure's error and whether it is retried; how long a
 * late step had run, and was expected to). No lines when none was put.
 */
export function eventLines(events: readonly PutEvent[], startedAt: number): string[] {
  if (events.length === 0) {
    return [];
  }
  const typeWidth = Math.max(...events.map((e) => e.detailType.length));
  return ['Events put on the default event bus:', ...events.map((e) => {
    const detail = e.detail as Partial<StepFailedDetail & StepLateDetail>;
    const attempt = detail.attempt === undefined ? '' : ` (attempt ${detail.attempt})`;
    return `  ${clockText(e.at - startedAt).padStart(6)}  ${e.detailType.padEnd(typeWidth)}  ${detail.step ?? '?'}${attempt}: ${eventText(e.detailType, detail)}`;
  })];
}

function eventText(detailType: string, d: Partial<StepFailedDetail & StepLateDetail>): string {
  switch (detailType) {
    case PipelineEventTypes.STEP_LATE:
      return `running ${clockText(d.runningSeconds)}, expected ${clockText(d.expectedSeconds)}${d.runId ? `; run ${d.runId}` : ''}${d.state ? ` ${d.state}` : ''}`;
    case PipelineEventTypes.STEP_FAILED:
      return `${d.error ?? '?'}${d.willRetry === undefined ? '' : d.willRetry ? ', will be retried' : ', not retried'}`;
    default:
      return JSON.stringify(d);
  }
}
