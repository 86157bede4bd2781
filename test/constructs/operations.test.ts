import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { GlueJob, GlueOrchestratedPipeline, PipelineStep } from '../../src';
import { METRICS_NAMESPACE, PipelineMetrics } from '../../src/shared/operations';
import { ENV, synthPipeline } from '../support/pipeline-fixture';

const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:orders-pipeline';
const ACTIVITY_ARN = 'arn:aws:states:us-east-1:123456789012:activity:OrdersPipelineActivity1A2B3C';

/** The resolved dimensions of `metric`, as a name → value map. */
function dimensionsOf(stack: Stack, metric: cloudwatch.Metric): Record<string, unknown> {
  return stack.resolve(metric.dimensions);
}

/** The dashboard body of the template's only dashboard, with its tokens rendered as text. */
function dashboardBody(template: Template): string {
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  const body = dashboard.Properties.DashboardBody;
  const parts: unknown[] = body['Fn::Join'] ? body['Fn::Join'][1] : [body];
  return parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join('');
}

describe('pipelineId', () => {
  test('GIVEN a pipeline WHEN synthesized THEN pipelineId is the GOP_PIPELINE_ID its runner gets', () => {
    const { pipeline, template } = synthPipeline();
    expect(pipeline.pipelineId).toMatch(/^[A-Za-z0-9]{1,64}$/);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ GOP_PIPELINE_ID: pipeline.pipelineId }) },
    });
  });
});

describe('step and runner metrics', () => {
  test.each([
    ['metricStepSucceeded', PipelineMetrics.STEP_SUCCEEDED, 'Sum'],
    ['metricStepFailed', PipelineMetrics.STEP_FAILED, 'Sum'],
    ['metricStepDuration', PipelineMetrics.STEP_DURATION, 'Average'],
    ['metricStepCapacityWait', PipelineMetrics.STEP_CAPACITY_WAIT, 'Average'],
    ['metricStepDpuSeconds', PipelineMetrics.STEP_DPU_SECONDS, 'Sum'],
  ] as const)('%s is %s (%s) of every step by default, of one step with stepName', (method, metricName, statistic) => {
    // GIVEN
    const { stack, pipeline } = synthPipeline();
    // WHEN
    const all = pipeline[method]();
    const one = pipeline[method]({ stepName: 'transform' });
    // THEN
    expect(all.namespace).toBe(METRICS_NAMESPACE);
    expect(all.metricName).toBe(metricName);
    expect(all.statistic).toBe(statistic);
    expect(all.period.toSeconds()).toBe(300);
    expect(dimensionsOf(stack, all)).toEqual({ Pipeline: pipeline.pipelineId });
    expect(dimensionsOf(stack, one)).toEqual({ Pipeline: pipeline.pipelineId, Step: 'transform' });
  });

  test('metricStepFailed counts failures of one error name, of every step or of one', () => {
    const { stack, pipeline } = synthPipeline();
    expect(dimensionsOf(stack, pipeline.metricStepFailed({ errorName: 'Glue.JobFailed' })))
      .toEqual({ Pipeline: pipeline.pipelineId, ErrorName: 'Glue.JobFailed' });
    expect(dimensionsOf(stack, pipeline.metricStepFailed({ stepName: 'load', errorName: 'Glue.JobFailed' })))
      .toEqual({ Pipeline: pipeline.pipelineId, Step: 'load', ErrorName: 'Glue.JobFailed' });
  });

  test.each([
    ['metricRunnerErrors', PipelineMetrics.RUNNER_ERRORS],
    ['metricNotificationFailures', PipelineMetrics.NOTIFICATION_FAILURES],
  ] as const)('%s is %s (Sum) of the pipeline', (method, metricName) => {
    const { stack, pipeline } = synthPipeline();
    const metric = pipeline[method]();
    expect([metric.namespace, metric.metricName, metric.statistic]).toEqual([METRICS_NAMESPACE, metricName, 'Sum']);
    expect(dimensionsOf(stack, metric)).toEqual({ Pipeline: pipeline.pipelineId });
  });

  test('the options asked for override the defaults', () => {
    const { pipeline } = synthPipeline();
    const metric = pipeline.metricStepDuration({ stepName: 'load', statistic: cloudwatch.Stats.p(90), period: Duration.hours(1) });
    expect([metric.statistic, metric.period.toMinutes()]).toEqual(['p90', 60]);
  });

  test('GIVEN a step metric alarm WHEN synthesized THEN the alarm reads the runner\'s namespace and dimensions', () => {
    const { template, pipeline } = synthPipeline({}, (stack, p) => {
      p.metricStepFailed({ stepName: 'load' }).createAlarm(stack, 'LoadFailed', { threshold: 1, evaluationPeriods: 1 });
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'GlueOrchestratedPipeline',
      MetricName: 'StepFailed',
      Dimensions: Match.arrayWith([{ Name: 'Pipeline', Value: pipeline.pipelineId }, { Name: 'Step', Value: 'load' }]),
      Statistic: 'Sum',
    });
  });

  test('a stepName that is not one of the pipeline\'s steps is an error naming it and the steps', () => {
    const { pipeline } = synthPipeline();
    expect(() => pipeline.metricStepDuration({ stepName: 'lod' }))
      .toThrow(/metricStepDuration\(\): stepName "lod" is not a step of this pipeline; its steps are "extract", "transform", "load"/);
    expect(() => pipeline.metricStepFailed({ stepName: '' })).toThrow(/stepName is empty/);
  });

  test('GIVEN an imported pipeline with its pipelineId WHEN a step metric is read THEN it names that id', () => {
    const stack = new Stack(new App(), 'Consumer', { env: ENV });
    const imported = GlueOrchestratedPipeline.fromPipelineAttributes(stack, 'Orders', {
      stateMachineArn: STATE_MACHINE_ARN, activityArn: ACTIVITY_ARN, pipelineId: 'OrdersPipelineA1B2C3',
    });
    expect(imported.pipelineId).toBe('OrdersPipelineA1B2C3');
    // any step name: an imported pipeline's steps are not known
    expect(dimensionsOf(stack, imported.metricStepSucceeded({ stepName: 'whatever' })))
      .toEqual({ Pipeline: 'OrdersPipelineA1B2C3', Step: 'whatever' });
  });

  test('GIVEN an imported pipeline without pipelineId WHEN a step or runner metric is read THEN the error says to pass it', () => {
    const stack = new Stack(new App(), 'Consumer', { env: ENV });
    const imported = GlueOrchestratedPipeline.fromPipelineAttributes(stack, 'Orders', { stateMachineArn: STATE_MACHINE_ARN, activityArn: ACTIVITY_ARN });
    expect(imported.pipelineId).toBeUndefined();
    expect(() => imported.metricStepDuration()).toThrow(/metricStepDuration\(\) needs the pipeline's id.*pass pipelineId to GlueOrchestratedPipeline.fromPipelineAttributes/);
    expect(() => imported.metricRunnerErrors()).toThrow(/metricRunnerErrors\(\) needs the pipeline's id/);
    // the state machine's metrics need no id
    expect(imported.metricFailed().metricName).toBe('ExecutionsFailed');
  });

  test('an imported pipelineId that is not a pipeline id is an error naming it', () => {
    const stack = new Stack(new App(), 'Consumer', { env: ENV });
    expect(() => GlueOrchestratedPipeline.fromPipelineAttributes(stack, 'Orders', {
      stateMachineArn: STATE_MACHINE_ARN, activityArn: ACTIVITY_ARN, pipelineId: 'orders pipeline',
    })).toThrow(/pipelineId "orders pipeline" is not a pipeline's id/);
  });
});

describe('alarms', () => {
  test('GIVEN no alarms prop WHEN synthesized THEN there is no alarm', () => {
    const { pipeline, template } = synthPipeline();
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    expect(pipeline.alarms).toEqual([]);
  });

  test('GIVEN alarms with an SNS action WHEN synthesized THEN each alarm is on by default and runs the action', () => {
    // GIVEN
    const { pipeline, template } = synthPipeline((stack) => ({
      alarms: { alarmActions: [new cw_actions.SnsAction(new sns.Topic(stack, 'Ops'))] },
    }));
    // THEN three alarms, no NoSuccess one without noSuccessWithin
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    expect(pipeline.alarms).toHaveLength(3);
    const topic = { Ref: Match.stringLikeRegexp('^Ops') };
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: `Glue pipeline ${pipeline.pipelineId}: an execution failed: a step failed after its retries`,
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsFailed',
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [topic],
    });
    for (const metricName of ['RunnerErrors', 'NotificationFailures']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'GlueOrchestratedPipeline',
        MetricName: metricName,
        Dimensions: [{ Name: 'Pipeline', Value: pipeline.pipelineId }],
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [topic],
      });
    }
  });

  test('GIVEN noSuccessWithin WHEN synthesized THEN an alarm fires when fewer than 1 execution succeeded over it, missing data breaching', () => {
    const { template } = synthPipeline({ alarms: { noSuccessWithin: Duration.days(1) } });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsSucceeded',
      Statistic: 'Sum',
      Period: 86400,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });

  test('GIVEN alarms turned off one by one WHEN synthesized THEN only the others are created', () => {
    const { template } = synthPipeline({ alarms: { executionFailed: false, runnerErrors: false } });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'NotificationFailures' });
  });

  test('alarm settings CloudWatch refuses are errors naming the value', () => {
    expect(() => synthPipeline({ alarms: { noSuccessWithin: Duration.days(2) } }))
      .toThrow(/alarms.noSuccessWithin must be whole minutes from 1 minute to 1 day .*got 2 days/);
    expect(() => synthPipeline((stack) => {
      const action = new cw_actions.SnsAction(new sns.Topic(stack, 'Ops'));
      return { alarms: { alarmActions: [action, action, action, action, action, action] } };
    })).toThrow(/alarms.alarmActions has 6 actions; CloudWatch allows at most 5/);
  });
});

describe('dashboard', () => {
  test('GIVEN no dashboard prop WHEN synthesized THEN there is no dashboard', () => {
    const { pipeline, template } = synthPipeline();
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    expect(pipeline.dashboard).toBeUndefined();
  });

  test('GIVEN a dashboard with a name WHEN synthesized THEN it shows executions, each step, and the runner\'s health', () => {
    // GIVEN / WHEN
    const { pipeline, template } = synthPipeline({ dashboard: { dashboardName: 'orders-pipeline' } });
    // THEN
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'orders-pipeline' });
    expect(pipeline.dashboard).toBeDefined();
    const body = dashboardBody(template);
    for (const step of ['extract', 'transform', 'load']) {
      expect(body).toContain(`"title":"${step}: duration (s)"`);
      expect(body).toContain(`"title":"${step}: outcomes"`);
      expect(body).toContain(`"Step","${step}"`);
    }
    for (const title of ['Executions', 'Capacity wait (s, all steps)', 'DPU-seconds (all job steps)', 'Runner: errors and notifications',
      'Runner function: invocations, errors, throttles', 'Runner function: duration (ms)']) {
      expect(body).toContain(`"title":"${title}"`);
    }
    expect(body).toContain('"AWS/States","ExecutionsFailed"');
  });

  test('GIVEN alarms and a dashboard WHEN synthesized THEN the dashboard shows the alarms\' status', () => {
    const { template } = synthPipeline({ dashboard: {}, alarms: {} });
    expect(dashboardBody(template)).toContain('"type":"alarm"');
  });

  test('GIVEN more steps than a row each fits WHEN synthesized THEN steps are graphed by search, within CloudWatch\'s limits', () => {
    // GIVEN
    const steps = Array.from({ length: 40 }, (_, i) => PipelineStep.glueJob({ job: GlueJob.fromName(`job-${i}`), stepName: `step_${i}` }));
    // WHEN
    const { template, pipeline } = synthPipeline({ steps, dashboard: {} });
    // THEN
    const body = dashboardBody(template);
    expect(body).toContain(`SEARCH('{GlueOrchestratedPipeline,Pipeline,Step} MetricName=\\"StepDuration\\" Pipeline=\\"${pipeline.pipelineId}\\"'`);
    expect(body).not.toContain('step_39: duration');
    expect((body.match(/"type":"metric"/g) ?? []).length).toBeLessThan(500);
  });
});
