import { App, Aspects, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { OrdersPipelineStack } from '../../examples/orders-pipeline-stack';
import { GlueOrchestratedPipeline, PipelineStep } from '../../src';
import { synthPipeline, threeSteps } from '../support/pipeline-fixture';

const MAIL = { sender: 'pipelines@example.com', recipients: ['team@example.com'] };

/** Jobs, a crawler and a trigger: the trigger step brings the TriggerFiringReads policy. */
const withTrigger = () => ({
  failureEmail: MAIL,
  steps: [
    ...threeSteps(),
    PipelineStep.glueCrawler({ stepName: 'crawl', crawlerName: 'raw-crawler' }),
    PipelineStep.glueTrigger({ stepName: 'fire', triggerName: 'on-demand-trigger' }),
  ],
});

type Resources = Record<string, { Type: string; Metadata?: { cdk_nag?: unknown } }>;

/** AwsSolutions errors and warnings left after the suppressions, as "<path>: <rule>". */
function unsuppressedFindings(stack: Stack): string[] {
  const annotations = Annotations.fromStack(stack);
  return [
    ...annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*')),
    ...annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')),
  ].map((a) => `${a.id}: ${String(a.entry.data).split(':')[0]}`);
}

describe('cdk-nag AwsSolutions', () => {
  test('the pipeline has no unsuppressed finding', () => {
    // GIVEN / WHEN
    const { stack } = synthPipeline({ failureEmail: MAIL }, (s) => Aspects.of(s).add(new AwsSolutionsChecks({ verbose: true })));
    // THEN
    expect(unsuppressedFindings(stack)).toEqual([]);
  });

  test('GIVEN a pipeline with a trigger step in an environment-agnostic stack WHEN checked THEN it has no unsuppressed finding', () => {
    // GIVEN
    const stack = new Stack(new App(), 'AgnosticStack');
    new GlueOrchestratedPipeline(stack, 'Pipeline', withTrigger());
    // WHEN
    Aspects.of(stack).add(new AwsSolutionsChecks({ verbose: true }));
    // THEN
    expect(unsuppressedFindings(stack)).toEqual([]);
  });

  test('GIVEN a pipeline with a trigger step in a stack with an account and region WHEN checked THEN it has no unsuppressed finding either', () => {
    // GIVEN / WHEN
    const { stack } = synthPipeline(withTrigger(), (s) => Aspects.of(s).add(new AwsSolutionsChecks({ verbose: true })));
    // THEN
    expect(unsuppressedFindings(stack)).toEqual([]);
  });

  test('GIVEN a pipeline with alarms and a dashboard WHEN checked THEN they add no finding', () => {
    // GIVEN / WHEN
    const { stack, template } = synthPipeline((s) => ({
      failureEmail: MAIL,
      alarms: { alarmActions: [new cw_actions.SnsAction(sns.Topic.fromTopicArn(s, 'Ops', 'arn:aws:sns:us-east-1:123456789012:ops'))], noSuccessWithin: Duration.days(1) },
      dashboard: {},
    }), (s) => Aspects.of(s).add(new AwsSolutionsChecks({ verbose: true })));
    // THEN
    template.resourceCountIs('AWS::CloudWatch::Alarm', 4);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    expect(unsuppressedFindings(stack)).toEqual([]);
  });

  test('GIVEN the example app, with its alarm topic, alarms and dashboard WHEN checked THEN only its own Glue job has findings', () => {
    // GIVEN
    const stack = new OrdersPipelineStack(new App(), 'OrdersPipeline', { env: { account: '123456789012', region: 'us-east-1' } });
    // WHEN
    Aspects.of(stack).add(new AwsSolutionsChecks({ verbose: true }));
    // THEN the pipeline (with its alarms, dashboard and failure-event rule), the alarm topic and
    // its key pass; the app's own job has no Glue security configuration (GL1, GL3), which is the
    // app's business
    expect(stack.pipeline.alarms.length).toBeGreaterThan(0);
    expect(stack.pipeline.dashboard).toBeDefined();
    expect(unsuppressedFindings(stack)).toEqual(['/OrdersPipeline/TransformOrders: AwsSolutions-GL1', '/OrdersPipeline/TransformOrders: AwsSolutions-GL3']);
  });

  test('GIVEN a pipeline with a trigger step WHEN synthesized THEN its TriggerFiringReads policy carries an IAM5 suppression scoped to its two wildcards, with its reason', () => {
    // GIVEN / WHEN
    const { template } = synthPipeline(withTrigger());
    // THEN
    const resources = template.toJSON().Resources as Resources;
    const firing = Object.entries(resources).filter(([id, r]) => r.Type === 'AWS::IAM::Policy' && /TriggerFiringReads/.test(id));
    expect(firing).toHaveLength(1);
    expect(firing[0][1].Metadata?.cdk_nag).toEqual({
      rules_to_suppress: [{
        id: 'AwsSolutions-IAM5',
        reason: expect.stringMatching(/^Read-only: whether a trigger fired/),
        applies_to: [{ regex: '/^Resource::arn:(<AWS::Partition>|[^:]+):glue:(<AWS::Region>|[^:]+):(<AWS::AccountId>|[^:]+):(job|crawler)\\/\\*$/g' }],
      }],
    });
    // and it is the only suppression besides the library's Resource::* one and the re-run's history reads
    const suppressed = Object.values(resources).filter((r) => r.Metadata?.cdk_nag);
    expect(suppressed).toHaveLength(3);
  });

  test('GIVEN a pipeline without a trigger step WHEN synthesized THEN the library ships two suppressions: Resource::* and the history reads of a re-run, each with its reason', () => {
    const { template } = synthPipeline();
    const suppressed = Object.values(template.toJSON().Resources as Record<string, { Type: string; Metadata?: { cdk_nag?: unknown } }>)
      .filter((r) => r.Metadata?.cdk_nag);
    expect(suppressed).toHaveLength(2);
    expect(suppressed.find((r) => r.Type === 'AWS::IAM::Policy')!.Metadata!.cdk_nag).toEqual({
      rules_to_suppress: [{ id: 'AwsSolutions-IAM5', reason: expect.stringMatching(/support only Resource "\*"/), applies_to: ['Resource::*'] }],
    });
    expect(suppressed.find((r) => r.Type === 'AWS::IAM::ManagedPolicy')!.Metadata!.cdk_nag).toEqual({
      rules_to_suppress: [{
        id: 'AwsSolutions-IAM5',
        reason: expect.stringMatching(/^Read-only, on this state machine's executions: a re-run/),
        applies_to: [{ regex: '/^Resource::arn:(<AWS::Partition>|[^:]+):states:(<AWS::Region>|[^:]+):(<AWS::AccountId>|[^:]+):execution:.+:\\*$/g' }],
      }],
    });
  });
});
