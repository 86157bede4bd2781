import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { PipelineDashboardOptions } from './options';
import { METRICS_NAMESPACE, MetricDimensions, PipelineMetricName, PipelineMetrics } from '../../shared/operations';
import { IGlueOrchestratedPipeline } from '../pipeline-interface';

/**
 * Up to this many steps, the dashboard has a row per step (3 widgets, 4 metrics each); past it,
 * one search-expression graph per step metric shows every step's series. Either way the
 * dashboard stays far below CloudWatch's 500 widgets and 2,500 metrics (`AwsLimits`).
 */
export const STEP_ROWS_MAX = 20;

const WIDTH = 8;
const HEIGHT = 6;
const FULL_WIDTH = 24;

/** What the dashboard shows: the pipeline, its steps, its runner and its alarms. */
export interface DashboardSubject {
  readonly pipeline: IGlueOrchestratedPipeline;
  readonly pipelineId: string;
  readonly stepNames: readonly string[];
  /** Whether some step has an expected duration: only then is a step ever late. */
  readonly lateSteps: boolean;
  readonly runner: lambda.IFunction;
  readonly alarms: readonly cloudwatch.IAlarm[];
}

/** The pipeline's dashboard, in `scope`. */
export function createPipelineDashboard(scope: Construct, id: string, subject: DashboardSubject,
  options: PipelineDashboardOptions): cloudwatch.Dashboard {
  const { pipeline, runner } = subject;
  const sum = (label: string, metric: cloudwatch.Metric) => metric.with({ label, statistic: cloudwatch.Stats.SUM });
  const graph = (title: string, left: cloudwatch.IMetric[], width = WIDTH) => new cloudwatch.GraphWidget({ title, left, width, height: HEIGHT });

  const rows: cloudwatch.IWidget[][] = [
    [new cloudwatch.TextWidget({
      markdown: `# Glue pipeline ${subject.pipelineId}\nExecutions of its state machine, each step's duration and outcome `
        + `(written by the runner: namespace \`${METRICS_NAMESPACE}\`, dimension \`${MetricDimensions.PIPELINE}\` = \`${subject.pipelineId}\`), `
        + 'and the runner\'s health.',
      width: FULL_WIDTH,
      height: 2,
    })],
    [
      graph('Executions', [
        sum('Started', pipeline.metricStarted()),
        sum('Succeeded', pipeline.metricSucceeded()),
        sum('Failed', pipeline.metricFailed()),
        sum('Timed out', pipeline.metricTimedOut()),
        sum('Aborted', pipeline.metricAborted()),
      ]),
      graph('Execution time (ms)', [
        pipeline.metricTime({ label: 'Average' }),
        pipeline.metricTime({ label: 'Maximum', statistic: cloudwatch.Stats.MAXIMUM }),
      ]),
      graph('Steps: outcomes (all steps)', [
        pipeline.metricStepSucceeded({ label: 'Succeeded' }),
        pipeline.metricStepFailed({ label: 'Failed attempts' }),
        ...(subject.lateSteps ? [pipeline.metricStepLate({ label: 'Late attempts' })] : []),
      ]),
    ],
    [
      graph('Capacity wait (s, all steps)', [
        pipeline.metricStepCapacityWait({ label: 'Average' }),
        pipeline.metricStepCapacityWait({ label: 'Maximum', statistic: cloudwatch.Stats.MAXIMUM }),
      ]),
      graph('DPU-seconds (all job steps)', [
        pipeline.metricStepDpuSeconds({ label: 'Reported by Glue' }),
        runnerMetric(subject.pipelineId, PipelineMetrics.STEP_DPU_SECONDS_ESTIMATED, 'Estimated where Glue gives none'),
      ]),
      graph('Runner: errors and notifications', [
        pipeline.metricRunnerErrors({ label: 'Runner errors' }),
        pipeline.metricNotificationFailures({ label: 'Notifications not sent' }),
      ]),
    ],
    [
      graph('Runner function: invocations, errors, throttles', [
        sum('Invocations', runner.metricInvocations()),
        sum('Errors', runner.metricErrors()),
        sum('Throttles', runner.metricThrottles()),
      ]),
      graph('Runner function: duration (ms)', [
        runner.metricDuration({ label: 'Average', statistic: cloudwatch.Stats.AVERAGE }),
        runner.metricDuration({ label: 'Maximum', statistic: cloudwatch.Stats.MAXIMUM }),
      ]),
      ...(subject.alarms.length > 0
        ? [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [...subject.alarms], width: WIDTH, height: HEIGHT })]
        : []),
    ],
    ...stepRows(subject),
  ];
  return new cloudwatch.Dashboard(scope, id, {
    dashboardName: options.dashboardName,
    widgets: rows,
  });
}

/** A row per step when there are few; else one graph per step metric, by search. */
function stepRows(subject: DashboardSubject): cloudwatch.IWidget[][] {
  const { pipeline, stepNames } = subject;
  if (stepNames.length <= STEP_ROWS_MAX) {
    return stepNames.map((stepName) => [
      new cloudwatch.GraphWidget({
        title: `${stepName}: duration (s)`,
        left: [
          pipeline.metricStepDuration({ stepName, label: 'Average' }),
          pipeline.metricStepDuration({ stepName, label: 'Maximum', statistic: cloudwatch.Stats.MAXIMUM }),
        ],
        width: WIDTH,
        height: HEIGHT,
      }),
      new cloudwatch.GraphWidget({
        title: `${stepName}: outcomes`,
        left: [
          pipeline.metricStepSucceeded({ stepName, label: 'Succeeded' }),
          pipeline.metricStepFailed({ stepName, label: 'Failed attempts' }),
        ],
        width: WIDTH,
        height: HEIGHT,
      }),
      new cloudwatch.GraphWidget({
        title: `${stepName}: capacity wait (s)`,
        left: [pipeline.metricStepCapacityWait({ stepName, label: 'Average' })],
        width: WIDTH,
        height: HEIGHT,
      }),
    ]);
  }
  const bySearch = (title: string, metricName: PipelineMetricName, statistic: string) => new cloudwatch.GraphWidget({
    title: `${title} by step (${stepNames.length} steps)`,
    left: [new cloudwatch.MathExpression({
      expression: `SEARCH('{${METRICS_NAMESPACE},${MetricDimensions.PIPELINE},${MetricDimensions.STEP}} `
        + `MetricName="${metricName}" ${MetricDimensions.PIPELINE}="${subject.pipelineId}"', '${statistic}', 300)`,
      usingMetrics: {},
      label: '',
      period: Duration.minutes(5),
    })],
    width: WIDTH,
    height: HEIGHT,
  });
  return [[
    bySearch('Duration (s)', PipelineMetrics.STEP_DURATION, 'Average'),
    bySearch('Successes', PipelineMetrics.STEP_SUCCEEDED, 'Sum'),
    bySearch('Failed attempts', PipelineMetrics.STEP_FAILED, 'Sum'),
  ]];
}

/** A runner metric with no method of its own, per pipeline. */
function runnerMetric(pipelineId: string, metricName: PipelineMetricName, label: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { [MetricDimensions.PIPELINE]: pipelineId },
    statistic: cloudwatch.Stats.SUM,
    period: Duration.minutes(5),
    label,
  });
}
