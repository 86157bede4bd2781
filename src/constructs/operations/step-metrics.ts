import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { StepFailedMetricOptions } from './options';
import { METRICS_NAMESPACE, MetricDimensions, PipelineMetricName } from '../../shared/operations';

/** What a metric method asks of the pipeline it reads. */
export interface StepMetricSource {
  /** The `Pipeline` dimension's value, when known. */
  readonly pipelineId?: string;
  /** The pipeline's step names, when known (an imported pipeline's are not). */
  readonly stepNames?: readonly string[];
}

/**
 * The `Pipeline` dimension's value of `source`, or an error naming the method that needs it: a
 * pipeline imported without `pipelineId` cannot name its own runner's metrics.
 */
export function requirePipelineId(source: StepMetricSource, method: string): string {
  if (source.pipelineId === undefined) {
    throw new Error(`${method}() needs the pipeline's id, which this imported pipeline was not given: pass pipelineId to `
      + 'GlueOrchestratedPipeline.fromPipelineAttributes() (the pipeline\'s pipeline.pipelineId, e.g. exported from its stack)');
  }
  return source.pipelineId;
}

/** Checks `stepName` against the pipeline's steps, when both are known at synth. */
function checkStepName(source: StepMetricSource, method: string, stepName: string) {
  if (Token.isUnresolved(stepName)) {
    return;
  }
  if (stepName === '') {
    throw new Error(`${method}(): stepName is empty; omit it for every step's metric, or name one of the pipeline's steps`);
  }
  if (source.stepNames && !source.stepNames.includes(stepName)) {
    throw new Error(`${method}(): stepName "${stepName}" is not a step of this pipeline; its steps are ${source.stepNames.map((s) => `"${s}"`).join(', ')}`);
  }
}

/** A runner metric of the pipeline, per pipeline or per step (and error name). */
export function stepMetric(
  source: StepMetricSource,
  method: string,
  metricName: PipelineMetricName,
  statistic: string,
  options: StepFailedMetricOptions = {},
): cloudwatch.Metric {
  const pipelineId = requirePipelineId(source, method);
  const { stepName, errorName, ...metricOptions } = options;
  if (stepName !== undefined) {
    checkStepName(source, method, stepName);
  }
  if (errorName !== undefined && !Token.isUnresolved(errorName) && errorName === '') {
    throw new Error(`${method}(): errorName is empty; omit it for failures of any error name`);
  }
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    statistic,
    period: Duration.minutes(5),
    ...metricOptions,
    dimensionsMap: {
      [MetricDimensions.PIPELINE]: pipelineId,
      ...(stepName !== undefined && { [MetricDimensions.STEP]: stepName }),
      ...(errorName !== undefined && { [MetricDimensions.ERROR]: errorName }),
      ...metricOptions.dimensionsMap,
    },
  });
}

/** A runner-health metric of the pipeline (`Pipeline` dimension only). */
export function pipelineMetric(
  source: StepMetricSource,
  method: string,
  metricName: PipelineMetricName,
  options: cloudwatch.MetricOptions = {},
): cloudwatch.Metric {
  const pipelineId = requirePipelineId(source, method);
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    statistic: cloudwatch.Stats.SUM,
    period: Duration.minutes(5),
    ...options,
    dimensionsMap: { [MetricDimensions.PIPELINE]: pipelineId, ...options.dimensionsMap },
  });
}
