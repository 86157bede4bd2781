import { App, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { GlueOrchestratedPipeline, IGlueOrchestratedPipeline } from '../../src';
import { ENV, synthPipeline } from '../support/pipeline-fixture';

const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:orders-pipeline';
const ACTIVITY_ARN = 'arn:aws:states:us-east-1:123456789012:activity:OrdersPipelineActivity1A2B3C';
const OWNED_STATE_MACHINE = { Ref: Match.stringLikeRegexp('^PipelineStateMachine') };

/** A stack of another app, with a role to grant to. */
function consumerStack(): { stack: Stack; role: iam.Role } {
  const stack = new Stack(new App(), 'ConsumerStack', { env: ENV });
  return { stack, role: new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() }) };
}

/**
 * The template of a stack holding a pipeline of this app and a role `Caller`, after `use` has
 * used the pipeline through its interface.
 */
function withOwnedPipeline(use: (pipeline: IGlueOrchestratedPipeline, role: iam.IRole, stack: Stack) => void): Template {
  return synthPipeline({}, (stack, pipeline) => {
    use(pipeline, new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() }), stack);
  }).template;
}

describe('grants on a pipeline of this app', () => {
  test('grantStartExecution permits StartExecution on its state machine', () => {
    // GIVEN a pipeline of this app, WHEN
    const template = withOwnedPipeline((pipeline, role) => pipeline.grantStartExecution(role));
    // THEN
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Caller') }],
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'states:StartExecution', Resource: OWNED_STATE_MACHINE })] },
    });
  });

  test('grantRedriveExecution permits RedriveExecution on its executions (the action\'s IAM resource), not on the state machine', () => {
    // GIVEN a pipeline of this app, WHEN
    const template = withOwnedPipeline((pipeline, role) => pipeline.grantRedriveExecution(role));
    // THEN
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Caller') }],
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'states:RedriveExecution', Resource: executionsOf(OWNED_STATE_MACHINE) }] },
    });
  });

  test('grantRead permits listing its executions, and describing them and their history', () => {
    // GIVEN a pipeline of this app, WHEN
    const template = withOwnedPipeline((pipeline, role) => pipeline.grantRead(role));
    // THEN
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Caller') }],
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Action: ['states:ListExecutions', 'states:ListStateMachines'], Resource: OWNED_STATE_MACHINE }),
          Match.objectLike({
            Action: ['states:DescribeExecution', 'states:DescribeStateMachineForExecution', 'states:GetExecutionHistory'],
            Resource: executionsOf(OWNED_STATE_MACHINE),
          }),
          Match.objectLike({
            Action: ['states:ListActivities', 'states:DescribeStateMachine', 'states:DescribeActivity'],
            Resource: '*',
          }),
        ],
      },
    });
  });

  test('grantExecution permits the actions asked for on its executions, and only those', () => {
    // GIVEN a pipeline of this app, WHEN
    const template = withOwnedPipeline((pipeline, role) => pipeline.grantExecution(role, 'states:StopExecution', 'states:RedriveExecution'));
    // THEN
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Caller') }],
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: ['states:StopExecution', 'states:RedriveExecution'],
          Resource: executionsOf(OWNED_STATE_MACHINE),
        }],
      },
    });
  });
});

/** Every execution of the state machine `ref`: `arn:...:execution:<its name>:*`. */
function executionsOf(ref: object): object {
  return {
    'Fn::Join': ['', [
      'arn:', { Ref: 'AWS::Partition' }, ':states:us-east-1:123456789012:execution:',
      { 'Fn::Select': [6, { 'Fn::Split': [':', ref] }] }, ':*',
    ]],
  };
}

describe('metrics of a pipeline of this app', () => {
  test.each([
    ['metricFailed', 'ExecutionsFailed', 'Sum'],
    ['metricSucceeded', 'ExecutionsSucceeded', 'Sum'],
    ['metricStarted', 'ExecutionsStarted', 'Sum'],
    ['metricTimedOut', 'ExecutionsTimedOut', 'Sum'],
    ['metricAborted', 'ExecutionsAborted', 'Sum'],
    ['metricTime', 'ExecutionTime', 'Average'],
  ] as const)('%s is AWS/States %s (%s) of its state machine', (method, metricName, statistic) => {
    // GIVEN a pipeline of this app, WHEN
    const template = withOwnedPipeline((pipeline, _, stack) => {
      pipeline[method]().createAlarm(stack, 'Alarm', { threshold: 1, evaluationPeriods: 1 });
    });
    // THEN
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/States',
      MetricName: metricName,
      Dimensions: [{ Name: 'StateMachineArn', Value: OWNED_STATE_MACHINE }],
      Statistic: statistic,
      Period: 300,
    });
  });

  test('metric() gives any AWS/States execution metric by name, with the options asked for', () => {
    // GIVEN a pipeline of this app, WHEN
    const template = withOwnedPipeline((pipeline, _, stack) => {
      pipeline.metric('ExecutionThrottled', { statistic: cloudwatch.Stats.MAXIMUM })
        .createAlarm(stack, 'Alarm', { threshold: 1, evaluationPeriods: 1 });
    });
    // THEN
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/States',
      MetricName: 'ExecutionThrottled',
      Dimensions: [{ Name: 'StateMachineArn', Value: OWNED_STATE_MACHINE }],
      Statistic: 'Maximum',
    });
  });
});

describe('fromPipelineAttributes', () => {
  test('imports a pipeline whose grants name its state machine and executions', () => {
    // GIVEN a stack of another app
    const { stack, role } = consumerStack();
    // WHEN
    const pipeline = GlueOrchestratedPipeline.fromPipelineAttributes(stack, 'Orders', {
      stateMachineArn: STATE_MACHINE_ARN,
      activityArn: ACTIVITY_ARN,
    });
    pipeline.grantStartExecution(role);
    pipeline.grantExecution(role, 'states:StopExecution');
    pipeline.grantRedriveExecution(role);
    // THEN
    const executions = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':states:us-east-1:123456789012:execution:orders-pipeline:*']] };
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Caller') }],
      PolicyDocument: {
        Statement: [
          { Effect: 'Allow', Action: 'states:StartExecution', Resource: STATE_MACHINE_ARN },
          { Effect: 'Allow', Action: 'states:StopExecution', Resource: executions },
          { Effect: 'Allow', Action: 'states:RedriveExecution', Resource: executions },
        ],
      },
    });
  });

  test('an imported pipeline reads like an owned one: grantRead and its metrics name the ARN given', () => {
    // GIVEN
    const { stack, role } = consumerStack();
    const pipeline = GlueOrchestratedPipeline.fromPipelineAttributes(stack, 'Orders', {
      stateMachineArn: STATE_MACHINE_ARN,
      activityArn: ACTIVITY_ARN,
    });
    // WHEN
    pipeline.grantRead(role);
    pipeline.metricFailed().createAlarm(stack, 'Failed', { threshold: 1, evaluationPeriods: 1 });
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['states:ListExecutions', 'states:ListStateMachines'], Resource: STATE_MACHINE_ARN }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsFailed',
      Dimensions: [{ Name: 'StateMachineArn', Value: STATE_MACHINE_ARN }],
    });
    expect(pipeline.stateMachine.stateMachineArn).toEqual(STATE_MACHINE_ARN);
    expect(pipeline.activity.activityArn).toEqual(ACTIVITY_ARN);
  });

  test('accepts ARNs known only at deployment (tokens), e.g. exports of the pipeline\'s stack', () => {
    // GIVEN
    const { stack, role } = consumerStack();
    // WHEN
    const pipeline = GlueOrchestratedPipeline.fromPipelineAttributes(stack, 'Orders', {
      stateMachineArn: Fn.importValue('OrdersPipelineStateMachineArn'),
      activityArn: Fn.importValue('OrdersPipelineActivityArn'),
    });
    pipeline.grantStartExecution(role);
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{ Effect: 'Allow', Action: 'states:StartExecution', Resource: { 'Fn::ImportValue': 'OrdersPipelineStateMachineArn' } }],
      },
    });
  });

  test('accepts the ARNs of another partition', () => {
    const { stack } = consumerStack();
    expect(() => GlueOrchestratedPipeline.fromPipelineAttributes(stack, 'Orders', {
      stateMachineArn: 'arn:aws-cn:states:cn-north-1:123456789012:stateMachine:orders-pipeline',
      activityArn: 'arn:aws-cn:states:cn-north-1:123456789012:activity:orders-activity',
    })).not.toThrow();
  });

  test.each([
    ['a name, not an ARN', 'orders-pipeline'],
    ['an activity\'s ARN', ACTIVITY_ARN],
    ['a version\'s ARN', `${STATE_MACHINE_ARN}:3`],
    ['an execution\'s ARN', 'arn:aws:states:us-east-1:123456789012:execution:orders-pipeline:run-1'],
    ['a short account', 'arn:aws:states:us-east-1:1234:stateMachine:orders-pipeline'],
  ])('rejects a stateMachineArn that is %s, naming it', (_, stateMachineArn) => {
    // GIVEN
    const { stack } = consumerStack();
    // WHEN / THEN
    expect(() => GlueOrchestratedPipeline.fromPipelineAttributes(stack, 'Orders', { stateMachineArn, activityArn: ACTIVITY_ARN }))
      .toThrow(`stateMachineArn "${stateMachineArn}" is not the ARN of a Step Functions state machine; pass the pipeline's `
        + 'pipeline.stateMachine.stateMachineArn, of the form arn:<partition>:states:<region>:<account>:stateMachine:<name>');
  });

  test.each([
    ['a name, not an ARN', 'OrdersPipelineActivity1A2B3C'],
    ['a state machine\'s ARN', STATE_MACHINE_ARN],
    ['a name with a space', 'arn:aws:states:us-east-1:123456789012:activity:orders activity'],
  ])('rejects an activityArn that is %s, naming it', (_, activityArn) => {
    // GIVEN
    const { stack } = consumerStack();
    // WHEN / THEN
    expect(() => GlueOrchestratedPipeline.fromPipelineAttributes(stack, 'Orders', { stateMachineArn: STATE_MACHINE_ARN, activityArn }))
      .toThrow(new RegExp(`^activityArn "${activityArn}" is not the ARN of a Step Functions activity; pass the pipeline's pipeline.activity.activityArn`));
  });

  test('rejects ARNs of two different accounts or regions: they cannot be one pipeline\'s', () => {
    // GIVEN
    const { stack } = consumerStack();
    // WHEN / THEN
    expect(() => GlueOrchestratedPipeline.fromPipelineAttributes(stack, 'Orders', {
      stateMachineArn: STATE_MACHINE_ARN,
      activityArn: 'arn:aws:states:eu-west-1:123456789012:activity:OrdersPipelineActivity1A2B3C',
    })).toThrow(/activityArn "arn:aws:states:eu-west-1:.*" and stateMachineArn "arn:aws:states:us-east-1:.*" are not in the same partition, region and account/);
  });

  test('warns when the pipeline is in another region or account than the importing stack, and only then', () => {
    // GIVEN a stack in eu-west-1, and one in the pipeline's region and account
    const elsewhere = new Stack(new App(), 'Elsewhere', { env: { account: '123456789012', region: 'eu-west-1' } });
    const { stack: beside } = consumerStack();
    // WHEN both import the pipeline of us-east-1
    for (const stack of [elsewhere, beside]) {
      GlueOrchestratedPipeline.fromPipelineAttributes(stack, 'Orders', { stateMachineArn: STATE_MACHINE_ARN, activityArn: ACTIVITY_ARN });
    }
    // THEN
    Annotations.fromStack(elsewhere).hasWarning('/Elsewhere/Orders', Match.stringLikeRegexp(
      '^the pipeline is in us-east-1, account 123456789012, and this stack in eu-west-1, account 123456789012: grantRead, grantExecution and grantRedriveExecution'));
    Annotations.fromStack(beside).hasNoWarning('*', Match.anyValue());
  });
});
