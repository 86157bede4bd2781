import { Aspects, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { GlueJob, GlueOrchestratedPipeline, PipelineStep } from '../../src';
import { METRICS_NAMESPACE, PIPELINE_EVENT_SOURCE, PipelineEventTypes, PipelineMetrics } from '../../src/shared/operations';
import { definitionOf, emptyStack, synthPipeline, threeSteps } from '../support/pipeline-fixture';

/** extract, transform (expected to take `expected`, 10 minutes unless told) and load. */
function withExpected(expected: Duration = Duration.minutes(10), timeout?: Duration): PipelineStep[] {
  return threeSteps().map((step) => (step.stepName !== 'transform' ? step
    : PipelineStep.glueJob({ job: GlueJob.fromName('transform-orders'), stepName: 'transform', expectedDuration: expected, timeout })));
}

const alarmNames = (template: Template) => Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.MetricName);

describe('expectedDuration', () => {
  test('GIVEN a step with an expected duration WHEN synthesized THEN its task input says it in seconds, and no other step\'s input changes', () => {
    const plain = definitionOf(synthPipeline().template);
    const { template } = synthPipeline({ steps: withExpected(Duration.minutes(10)) });
    const states = definitionOf(template).States;
    expect(states.transform.Parameters).toMatchObject({ expectedSeconds: 600 });
    expect(states.extract.Parameters).toEqual(plain.States.extract.Parameters);
    expect(states.load.Parameters).toEqual(plain.States.load.Parameters);
    expect(JSON.stringify(plain)).not.toContain('expectedSeconds');
  });

  test.each<[string, () => PipelineStep, RegExp]>([
    ['a fraction of a second', () => PipelineStep.glueJob({ job: GlueJob.fromName('j'), expectedDuration: Duration.millis(1500) }),
      /step "j": expectedDuration must be a whole number of seconds, at least 1, got 1 second 500 millis/],
    ['zero', () => PipelineStep.glueJob({ job: GlueJob.fromName('j'), expectedDuration: Duration.seconds(0) }),
      /step "j": expectedDuration must be a whole number of seconds, at least 1, got 0 seconds/],
    ['a trigger step', () => PipelineStep.glueTrigger({ triggerName: 'fire', expectedDuration: Duration.minutes(5) }),
      /step "fire": expectedDuration is set on a glue-trigger step, which is over as soon as Glue accepts the firing, so it is never late; remove it/],
  ])('GIVEN an expected duration of %s WHEN the step is made THEN a clear error', (_case, make, message) => {
    expect(make).toThrow(message);
  });

  test('GIVEN an expected duration not below the step\'s timeout WHEN synthesized THEN an error says the step could never be late', () => {
    expect(() => synthPipeline({ steps: withExpected(Duration.hours(2), Duration.hours(2)) }))
      .toThrow(/step "transform": expectedDuration \(2 hours\) is not below the step's timeout \(120 minutes\), so the step could never be late/);
    expect(() => synthPipeline({ steps: withExpected(Duration.minutes(119), Duration.hours(2)) })).not.toThrow();
  });

  test('GIVEN a crawler and a workflow step with expected durations WHEN synthesized THEN each task input has it', () => {
    const { template } = synthPipeline({
      steps: [
        PipelineStep.glueCrawler({ stepName: 'crawl', crawlerName: 'raw', expectedDuration: Duration.minutes(20) }),
        PipelineStep.glueWorkflow({ stepName: 'report', workflowName: 'reporting', expectedDuration: Duration.hours(1) }),
      ],
    });
    const states = definitionOf(template).States;
    expect([states.crawl.Parameters?.expectedSeconds, states.report.Parameters?.expectedSeconds]).toEqual([1200, 3600]);
  });
});

describe('onStepLate and metricStepLate', () => {
  test('GIVEN a pipeline WHEN onStepLate is called THEN a rule on the default bus matches its late events, by its pipelineId, narrowed as asked, to the target', () => {
    let rule: events.Rule | undefined;
    const { template, pipeline } = synthPipeline({}, (stack, p) => {
      const handler = lambda.Function.fromFunctionArn(stack, 'Pager', 'arn:aws:lambda:us-east-1:123456789012:function:pager');
      rule = p.onStepLate('LoadLate', { target: new targets.LambdaFunction(handler), eventPattern: { detail: { step: ['load'] } } });
    });
    expect(rule).toBeInstanceOf(events.Rule);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': [PIPELINE_EVENT_SOURCE],
        'detail-type': [PipelineEventTypes.STEP_LATE],
        'detail': { pipelineId: [pipeline.pipelineId], step: ['load'] },
      },
      Targets: [Match.objectLike({ Arn: 'arn:aws:lambda:us-east-1:123456789012:function:pager' })],
    });
  });

  test.each([
    ['the source', { source: ['elsewhere'] }, /Widened: eventPattern sets source/],
    ['the pipeline id', { detail: { pipelineId: ['other'] } }, /Widened: eventPattern sets detail.pipelineId/],
  ])('GIVEN an eventPattern naming %s WHEN onStepLate is called THEN it is an error: the rule would widen', (_case, eventPattern, message) => {
    expect(() => synthPipeline({}, (_s, p) => p.onStepLate('Widened', { eventPattern }))).toThrow(message);
  });

  test('GIVEN an imported pipeline WHEN onStepLate is called THEN it matches the id given, or throws without one', () => {
    const stack = emptyStack();
    const attrs = {
      stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:orders',
      activityArn: 'arn:aws:states:us-east-1:123456789012:activity:orders-activity',
    };
    GlueOrchestratedPipeline.fromPipelineAttributes(stack, 'Orders', { ...attrs, pipelineId: 'OrdersPipeline1' }).onStepLate('Late');
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ 'detail-type': [PipelineEventTypes.STEP_LATE], 'detail': { pipelineId: ['OrdersPipeline1'] } }),
    });
    const anonymous = GlueOrchestratedPipeline.fromPipelineAttributes(stack, 'Anonymous', attrs);
    expect(() => anonymous.onStepLate('Late')).toThrow(/onStepLate\(\) needs the pipeline's id/);
  });

  test('metricStepLate is StepLate (Sum) of every step by default, of one step with stepName', () => {
    const { stack, pipeline } = synthPipeline({ steps: withExpected() });
    const all = pipeline.metricStepLate();
    expect([all.namespace, all.metricName, all.statistic, all.period.toSeconds()]).toEqual([METRICS_NAMESPACE, PipelineMetrics.STEP_LATE, 'Sum', 300]);
    expect(stack.resolve(all.dimensions)).toEqual({ Pipeline: pipeline.pipelineId });
    expect(stack.resolve(pipeline.metricStepLate({ stepName: 'transform' }).dimensions)).toEqual({ Pipeline: pipeline.pipelineId, Step: 'transform' });
  });
});

describe('operations of late steps', () => {
  test('GIVEN alarms and a step with an expected duration WHEN synthesized THEN a StepLate alarm fires on one late attempt in 5 minutes', () => {
    const { template, pipeline } = synthPipeline((stack) => ({
      steps: withExpected(),
      alarms: { alarmActions: [new cw_actions.SnsAction(new sns.Topic(stack, 'Ops'))] },
    }));
    expect(pipeline.alarms).toHaveLength(4);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: `Glue pipeline ${pipeline.pipelineId}: a step ran past its expected duration (StepLate)`,
      Namespace: METRICS_NAMESPACE,
      MetricName: 'StepLate',
      Dimensions: [{ Name: 'Pipeline', Value: pipeline.pipelineId }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^Ops') }],
    });
  });

  test('GIVEN alarms but no step with an expected duration WHEN synthesized THEN no StepLate alarm (it could never fire); asked for explicitly, an error', () => {
    expect(alarmNames(synthPipeline({ alarms: {} }).template)).not.toContain('StepLate');
    expect(() => synthPipeline({ alarms: { stepLate: true } }))
      .toThrow(/alarms.stepLate is true, but no step sets expectedDuration, so no step is ever late and the alarm could never fire/);
    expect(alarmNames(synthPipeline({ steps: withExpected(), alarms: { stepLate: false } }).template)).not.toContain('StepLate');
  });

  test('GIVEN a dashboard WHEN a step has an expected duration THEN the outcomes graph shows late attempts; without one it does not', () => {
    const body = (t: Template) => JSON.stringify(Object.values(t.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody);
    expect(body(synthPipeline({ steps: withExpected(), dashboard: {} }).template)).toContain('\\"StepLate\\"');
    expect(body(synthPipeline({ dashboard: {} }).template)).not.toContain('StepLate');
  });

  test('GIVEN a notificationTopic WHEN a step has an expected duration THEN the topic also gets the late events; without one, no late rule', () => {
    const lateRules = (t: Template) => Object.values(t.findResources('AWS::Events::Rule'))
      .filter((r) => JSON.stringify(r.Properties.EventPattern ?? {}).includes(PipelineEventTypes.STEP_LATE));
    const withLate = synthPipeline((s) => ({ steps: withExpected(), notificationTopic: new sns.Topic(s, 'Notes', { enforceSSL: true }) })).template;
    expect(lateRules(withLate)).toEqual([expect.objectContaining({
      Properties: expect.objectContaining({ Targets: [expect.objectContaining({ Arn: { Ref: expect.stringMatching(/^Notes/) } })] }),
    })]);
    expect(lateRules(synthPipeline((s) => ({ notificationTopic: new sns.Topic(s, 'Notes', { enforceSSL: true }) })).template)).toEqual([]);
  });

  test('GIVEN late steps with alarms, a dashboard, a topic and onStepLate WHEN checked by cdk-nag THEN no finding, and the runner may still put events on the default bus only', () => {
    const { stack, template } = synthPipeline((s) => ({
      steps: withExpected(), alarms: {}, dashboard: {}, notificationTopic: sns.Topic.fromTopicArn(s, 'Ops', 'arn:aws:sns:us-east-1:123456789012:ops'),
    }), (s, p) => {
      p.onStepLate('Extra');
      Aspects.of(s).add(new AwsSolutionsChecks({ verbose: true }));
    });
    const findings = [
      ...Annotations.fromStack(stack as Stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*')),
      ...Annotations.fromStack(stack as Stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')),
    ];
    expect(findings.map((f) => f.id)).toEqual([]);
    const putEvents = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((st: { Action: string | string[] }) => [st.Action].flat().some((a) => a.startsWith('events:')));
    expect(putEvents).toEqual([expect.objectContaining({ Action: 'events:PutEvents' })]);
  });
});
