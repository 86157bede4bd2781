import {
  FAILED_DIMENSION_SETS, METRIC_UNITS, MetricDimensions, METRICS_NAMESPACE, MetricUnit, PIPELINE_DIMENSION_SETS,
  PipelineMetricName, PipelineMetrics, STEP_DIMENSION_SETS,
} from '../../shared/operations';

/**
 * The runner's metrics as CloudWatch embedded metric format (EMF) lines: one JSON object per
 * fact, written alone on a line of stdout (`log.metrics`), from which CloudWatch Logs extracts
 * the metrics; no CloudWatch call is made. Pure: the phases say what happened, this says how it
 * is written. Names, units and dimension sets are the shared contract's (`shared/operations.ts`).
 */

/** EMF's limits: dimension keys per dimension set, metric definitions per directive. */
export const EMF_MAX_DIMENSIONS = 30;
export const EMF_MAX_METRICS = 100;

/** Metric values by name; a missing or non-finite value is not written. */
export type MetricValues = Partial<Record<PipelineMetricName, number | undefined>>;

export interface EmfDirective {
  readonly Namespace: string;
  readonly Dimensions: readonly (readonly string[])[];
  readonly Metrics: readonly { readonly Name: PipelineMetricName; readonly Unit: MetricUnit }[];
}

/** One EMF document: `_aws` metadata, the dimension values, the metric values, and properties. */
export interface EmfLine {
  readonly _aws: { readonly Timestamp: number; readonly CloudWatchMetrics: readonly EmfDirective[] };
  readonly [member: string]: unknown;
}

/** A group of metrics written with the same dimension sets. */
export interface MetricGroup {
  readonly dimensionSets: readonly (readonly string[])[];
  readonly values: MetricValues;
}

export interface MetricFact {
  /** Epoch ms the fact happened at (the runner's clock). */
  readonly at: number;
  /** Every dimension the groups name, with its value. */
  readonly dimensions: Readonly<Record<string, string>>;
  readonly directives: readonly MetricGroup[];
  /** Other members, for Logs Insights: never metrics (not in a directive). */
  readonly properties?: Readonly<Record<string, unknown>>;
}

/** The step a step metric is about: its dimension values. */
export interface StepOf {
  readonly pipelineId: string;
  readonly stepName: string;
  readonly kind: string;
}

/**
 * The EMF line of a fact, or undefined when no value is left to write. Throws when the fact
 * breaks the format (a dimension set over 30 keys, a dimension without a value, over 100
 * metrics): CloudWatch would reject the line, so that is a bug here.
 */
export function emfLine(fact: MetricFact): EmfLine | undefined {
  const directives: EmfDirective[] = [];
  const values: Record<string, number> = {};
  for (const group of fact.directives) {
    const written = (Object.entries(group.values) as [PipelineMetricName, number | undefined][])
      .filter((entry): entry is [PipelineMetricName, number] => typeof entry[1] === 'number' && Number.isFinite(entry[1]));
    if (written.length === 0) {
      continue;
    }
    if (written.length > EMF_MAX_METRICS) {
      throw new Error(`an EMF directive holds at most ${EMF_MAX_METRICS} metrics, got ${written.length}`);
    }
    for (const set of group.dimensionSets) {
      if (set.length > EMF_MAX_DIMENSIONS) {
        throw new Error(`an EMF dimension set holds at most ${EMF_MAX_DIMENSIONS} dimensions, got ${set.length}`);
      }
      const missing = set.find((d) => typeof fact.dimensions[d] !== 'string');
      if (missing !== undefined) {
        throw new Error(`no value for dimension ${missing} on the EMF line`);
      }
    }
    const metrics = written.map(([Name]) => ({ Name, Unit: METRIC_UNITS[Name] }));
    directives.push({ Namespace: METRICS_NAMESPACE, Dimensions: group.dimensionSets, Metrics: metrics });
    written.forEach(([name, value]) => {
      values[name] = value;
    });
  }
  if (directives.length === 0) {
    return undefined;
  }
  return { ...fact.properties, ...fact.dimensions, ...values, _aws: { Timestamp: fact.at, CloudWatchMetrics: directives } };
}

function stepDimensions(step: StepOf): Record<string, string> {
  return { [MetricDimensions.PIPELINE]: step.pipelineId, [MetricDimensions.STEP]: step.stepName, [MetricDimensions.KIND]: step.kind };
}

/** A step succeeded: StepSucceeded 1, with what was measured of it. */
export function stepSucceededLine(step: StepOf, at: number, measured: MetricValues): EmfLine | undefined {
  const values = { [PipelineMetrics.STEP_SUCCEEDED]: 1, ...measured };
  return emfLine({ at, dimensions: stepDimensions(step), directives: [{ dimensionSets: STEP_DIMENSION_SETS, values }] });
}

/** A step attempt failed with `errorName`: StepFailed 1 (also per error name), with what was measured of it (per step only). */
export function stepFailedLine(step: StepOf, errorName: string, at: number, measured: MetricValues): EmfLine | undefined {
  return emfLine({
    at,
    dimensions: { ...stepDimensions(step), [MetricDimensions.ERROR]: errorName },
    directives: [
      { dimensionSets: FAILED_DIMENSION_SETS, values: { [PipelineMetrics.STEP_FAILED]: 1 } },
      { dimensionSets: STEP_DIMENSION_SETS, values: measured },
    ],
  });
}

/** A step's work started: its latencies, where measured (no line when none is). */
export function stepStartedLine(step: StepOf, at: number, measured: MetricValues): EmfLine | undefined {
  return emfLine({ at, dimensions: stepDimensions(step), directives: [{ dimensionSets: STEP_DIMENSION_SETS, values: measured }] });
}

/** A step attempt ran past its expected duration: StepLate 1, with how long it had run and was expected to. */
export function stepLateLine(step: StepOf, at: number, runningSeconds: number, expectedSeconds: number): EmfLine | undefined {
  return emfLine({
    at,
    dimensions: stepDimensions(step),
    directives: [{ dimensionSets: STEP_DIMENSION_SETS, values: { [PipelineMetrics.STEP_LATE]: 1 } }],
    properties: { runningSeconds, expectedSeconds },
  });
}

/** The runner could not handle a cycle or a task: RunnerErrors 1, with the error's log message. */
export function runnerErrorLine(pipelineId: string, at: number, message: string): EmfLine | undefined {
  return emfLine({
    at,
    dimensions: { [MetricDimensions.PIPELINE]: pipelineId },
    directives: [{ dimensionSets: PIPELINE_DIMENSION_SETS, values: { [PipelineMetrics.RUNNER_ERRORS]: 1 } }],
    properties: { message },
  });
}

/** A failure notification could not be sent: NotificationFailures 1, with its channel and step. */
export function notificationFailedLine(pipelineId: string, at: number, channel: 'mail' | 'event', stepName?: string): EmfLine | undefined {
  return emfLine({
    at,
    dimensions: { [MetricDimensions.PIPELINE]: pipelineId },
    directives: [{ dimensionSets: PIPELINE_DIMENSION_SETS, values: { [PipelineMetrics.NOTIFICATION_FAILURES]: 1 } }],
    properties: { channel, stepName },
  });
}
