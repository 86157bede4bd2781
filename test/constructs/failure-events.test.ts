import { Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { GlueOrchestratedPipeline } from '../../src';
import { RunnerEnv } from '../../src/shared/contract';
import { PIPELINE_EVENT_SOURCE, PipelineEventTypes } from '../../src/shared/operations';
import { emptyStack, synthPipeline } from '../support/pipeline-fixture';

const SM_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:orders';
const ACTIVITY_ARN = 'arn:aws:states:us-east-1:123456789012:activity:orders-activity';

/** The runner's GOP_PIPELINE_ID, as synthesized. */
function pipelineIdOf(template: Template): string {
  const [fn] = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Environment: { Variables: { [RunnerEnv.PIPELINE_ID]: Match.anyValue() } } } }));
  return fn.Properties.Environment.Variables[RunnerEnv.PIPELINE_ID];
}

describe('failure events', () => {
  test('GIVEN a pipeline WHEN synthesized THEN its runner may put events on the default bus of its region and account, and on no other bus', () => {
    // GIVEN / WHEN
    const { template } = synthPipeline();
    // THEN
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Effect: 'Allow',
          Action: 'events:PutEvents',
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:us-east-1:123456789012:event-bus/default']] },
        }]),
      },
    });
  });

  test('GIVEN a pipeline WHEN onStepFailed is called THEN a rule on the default bus matches its failure events, by its pipelineId, and sends them to the target', () => {
    // GIVEN / WHEN
    let rule: events.Rule | undefined;
    const { pipeline, template } = synthPipeline({}, (stack, p) => {
      const handler = lambda.Function.fromFunctionArn(stack, 'Handler', 'arn:aws:lambda:us-east-1:123456789012:function:on-failure');
      rule = p.onStepFailed('OnFailure', { target: new targets.LambdaFunction(handler), description: 'page the team' });
    });
    // THEN
    expect(rule).toBeInstanceOf(events.Rule);
    template.hasResourceProperties('AWS::Events::Rule', {
      Description: 'page the team',
      EventBusName: Match.absent(),
      EventPattern: {
        'source': [PIPELINE_EVENT_SOURCE],
        'detail-type': [PipelineEventTypes.STEP_FAILED],
        'detail': { pipelineId: [pipelineIdOf(template)] },
      },
      Targets: [Match.objectLike({ Arn: 'arn:aws:lambda:us-east-1:123456789012:function:on-failure' })],
    });
    expect(pipeline.pipelineId).toBe(pipelineIdOf(template));
  });

  test('GIVEN an eventPattern in the options WHEN onStepFailed is called THEN it narrows the rule, e.g. to one step\'s last attempts', () => {
    const { template } = synthPipeline({}, (_stack, p) => {
      p.onStepFailed('LoadGaveUp', { eventPattern: { detail: { step: ['load'], willRetry: [false] } } });
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': [PIPELINE_EVENT_SOURCE],
        'detail-type': [PipelineEventTypes.STEP_FAILED],
        'detail': { pipelineId: [pipelineIdOf(template)], step: ['load'], willRetry: [false] },
      },
    });
  });

  test.each<[string, events.EventPattern, RegExp]>([
    ['another source', { source: ['aws.glue'] }, /eventPattern sets source/],
    ['another detail-type', { detailType: ['Glue Job State Change'] }, /eventPattern sets detailType/],
    ['another pipeline', { detail: { pipelineId: ['Other'] } }, /eventPattern sets detail.pipelineId/],
  ])('GIVEN an eventPattern naming %s WHEN onStepFailed is called THEN it is an error: patterns merge by union, so the rule would widen', (_label, eventPattern, message) => {
    expect(() => synthPipeline({}, (_stack, p) => {
      p.onStepFailed('Widened', { eventPattern });
    })).toThrow(message);
  });

  test('GIVEN a pipeline imported with its pipelineId WHEN onStepFailed is called THEN the rule matches that id', () => {
    const stack = emptyStack();
    const imported = GlueOrchestratedPipeline.fromPipelineAttributes(stack, 'Imported', { stateMachineArn: SM_ARN, activityArn: ACTIVITY_ARN, pipelineId: 'OrdersPipelineA1B2C3' });
    imported.onStepFailed('OnFailure');
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ detail: { pipelineId: ['OrdersPipelineA1B2C3'] } }),
    });
  });

  test('GIVEN a pipeline imported without its pipelineId WHEN onStepFailed is called THEN it throws, saying to pass pipelineId', () => {
    const stack = emptyStack();
    const imported = GlueOrchestratedPipeline.fromPipelineAttributes(stack, 'Imported', { stateMachineArn: SM_ARN, activityArn: ACTIVITY_ARN });
    expect(() => imported.onStepFailed('OnFailure')).toThrow(/onStepFailed\(\) needs the pipeline's id.*pass pipelineId/);
  });

  test('GIVEN a notificationTopic WHEN synthesized THEN the topic is subscribed to the pipeline\'s failure events, and EventBridge may publish to it', () => {
    // GIVEN / WHEN
    const { template } = synthPipeline((s) => ({ notificationTopic: new sns.Topic(s, 'Failures', { enforceSSL: true }) }));
    // THEN
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': [PIPELINE_EVENT_SOURCE],
        'detail-type': [PipelineEventTypes.STEP_FAILED],
        'detail': { pipelineId: [pipelineIdOf(template)] },
      },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^Failures') } })],
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'sns:Publish', Principal: { Service: 'events.amazonaws.com' } })]) },
    });
  });

  test('GIVEN a notificationTopic and onStepFailed WHEN checked by cdk-nag THEN the pipeline adds no finding', () => {
    const { stack } = synthPipeline((s) => ({ notificationTopic: sns.Topic.fromTopicArn(s, 'Ops', 'arn:aws:sns:us-east-1:123456789012:ops') }), (s, p) => {
      p.onStepFailed('Extra');
      Aspects.of(s).add(new AwsSolutionsChecks({ verbose: true }));
    });
    const findings = [
      ...Annotations.fromStack(stack as Stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*')),
      ...Annotations.fromStack(stack as Stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')),
    ];
    expect(findings.map((f) => f.id)).toEqual([]);
  });
});
