import * as fs from 'fs';
import { builtinModules } from 'module';
import * as path from 'path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { GlueJob, PipelineStep, SenderIdentityScope } from '../../src';
import { EXECUTION_STATUS_CHANGE, GLUE_JOB_STATE_CHANGE, RunnerEnv } from '../../src/shared/contract';
import { synthPipeline } from '../support/pipeline-fixture';

const MAIL = { sender: 'pipelines@example.com', recipients: ['a@example.com', 'b@example.com'] };

/** All statements of the runner role's policies. */
function runnerStatements(template: Template): Array<{ Action: string | string[]; Resource: unknown }> {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^PipelineRunnerRole') }] },
  });
  return Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
}

function actionsOf(statement: { Action: string | string[] }): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

describe('activity', () => {
  test('one activity is created and exposed', () => {
    const { template, pipeline } = synthPipeline();
    template.resourceCountIs('AWS::StepFunctions::Activity', 1);
    expect(pipeline.activity.activityArn).toBeDefined();
  });
});

describe('tracking table', () => {
  test('is on-demand, with PITR, encryption, TTL and a pk/sk key', () => {
    const { template } = synthPipeline();
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, KMSMasterKeyId: Match.absent() },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  test('is retained by default and follows the removal policy asked for', () => {
    synthPipeline().template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
    synthPipeline({ trackingTableRemovalPolicy: RemovalPolicy.DESTROY })
      .template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
  });

  test('uses a customer key when given one, and the runner may use the key', () => {
    const { template } = synthPipeline((stack) => ({ encryptionKey: new kms.Key(stack, 'Key') }));
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, KMSMasterKeyId: Match.anyValue() },
    });
    expect(runnerStatements(template).flatMap(actionsOf)).toContain('kms:Decrypt');
  });
});

describe('runner function', () => {
  test('runs Node.js 22 on ARM64 with room for a full long poll', () => {
    const { template } = synthPipeline();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: 180,
    });
  });

  test('gets the activity, table and pipeline id through the shared env names', () => {
    const { template } = synthPipeline();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          [RunnerEnv.ACTIVITY_ARN]: { Ref: Match.stringLikeRegexp('^PipelineActivity') },
          [RunnerEnv.TRACKING_TABLE]: { Ref: Match.stringLikeRegexp('^PipelineTrackingTable') },
          [RunnerEnv.PIPELINE_ID]: Match.stringLikeRegexp('^TestStackPipeline'),
          [RunnerEnv.STATE_MACHINE_ARN]: { Ref: Match.stringLikeRegexp('^PipelineStateMachine') },
          [RunnerEnv.CHECK_INTERVAL_SECONDS]: '300',
          [RunnerEnv.NOTIFY_SENDER]: Match.absent(),
        },
      },
    });
  });

  test('ships the asset bundled at build time, with the SDK inside, not an external SDK', () => {
    // GIVEN the asset the package ships (built by the bundle task before the tests)
    const bundle = fs.readFileSync(path.join(__dirname, '../../assets/lambda/runner.lambda/index.js'), 'utf8');
    // THEN it needs nothing from node_modules at run time, but for the SDK's optional CRT
    // signer (SigV4a, loaded in a try/catch), and it carries the runner and its SDK clients
    const required = new Set([...bundle.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]));
    const external = [...required].filter((m) => !m.startsWith('node:') && !builtinModules.includes(m));
    expect(external).toEqual(['@aws-sdk/signature-v4-crt']);
    expect(bundle).toContain('GetActivityTask');
    expect(bundle).toContain('StartJobRun');
    // and the function points at that asset
    const { template } = synthPipeline();
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0];
    expect(fn.Properties.Code.S3Key).toMatch(/^[0-9a-f]{64}\.zip$/);
  });
});

describe('schedule', () => {
  test('invokes the runner every 5 minutes by default', () => {
    const { template } = synthPipeline();
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PipelineRunner'), 'Arn'] } })],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', { Principal: 'events.amazonaws.com' });
  });

  test('follows the check interval', () => {
    synthPipeline({ checkInterval: Duration.minutes(1) })
      .template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)' });
  });
});

describe('events', () => {
  const runnerTarget = Match.objectLike({
    Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PipelineRunner'), 'Arn'] },
    RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
  });

  test('a run of any of the pipeline\'s jobs reaching a final state invokes the runner, each job named once', () => {
    const steps = ['extract', 'transform', 'reextract'].map((stepName) =>
      PipelineStep.glueJob({ stepName, job: GlueJob.fromName(stepName === 'transform' ? 'transform-orders' : 'extract-orders') }));
    const { template } = synthPipeline({ steps });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.glue'],
        'detail-type': [GLUE_JOB_STATE_CHANGE],
        'detail': {
          jobName: ['extract-orders', 'transform-orders'],
          state: ['SUCCEEDED', 'FAILED', 'TIMEOUT', 'STOPPED'],
        },
      },
      Targets: [runnerTarget],
    });
  });

  test('an execution of this state machine starting invokes the runner', () => {
    synthPipeline().template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.states'],
        'detail-type': [EXECUTION_STATUS_CHANGE],
        'detail': { stateMachineArn: [{ Ref: Match.stringLikeRegexp('^PipelineStateMachine') }], status: ['RUNNING'] },
      },
      Targets: [runnerTarget],
    });
  });

  test('three rules invoke the runner, and EventBridge may invoke it', () => {
    const { template } = synthPipeline();
    expect(Object.keys(template.findResources('AWS::Events::Rule'))).toHaveLength(3);
    expect(Object.keys(template.findResources('AWS::Lambda::Permission', { Properties: { Principal: 'events.amazonaws.com' } }))).toHaveLength(3);
  });
});

describe('failure email', () => {
  test('no identity and no mail settings unless asked for', () => {
    synthPipeline().template.resourceCountIs('AWS::SES::EmailIdentity', 0);
  });

  test('creates an identity for the sender address and passes sender and recipients to the runner', () => {
    const { template, pipeline } = synthPipeline({ failureEmail: MAIL });
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'pipelines@example.com' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          [RunnerEnv.NOTIFY_SENDER]: 'pipelines@example.com',
          [RunnerEnv.NOTIFY_RECIPIENTS]: 'a@example.com,b@example.com',
        },
      },
    });
    expect(pipeline.emailIdentity).toBeDefined();
  });

  test('with a configuration set: the identity uses it, the runner names it and may send with it', () => {
    const { template } = synthPipeline({ failureEmail: { ...MAIL, configurationSetName: 'pipeline-mail' } });
    template.hasResourceProperties('AWS::SES::EmailIdentity', { ConfigurationSetAttributes: { ConfigurationSetName: 'pipeline-mail' } });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [RunnerEnv.NOTIFY_CONFIGURATION_SET]: 'pipeline-mail' }) },
    });
    const mail = runnerStatements(template).filter((s) => actionsOf(s).includes('ses:SendEmail'));
    expect(mail.map((s) => JSON.stringify(s.Resource))).toEqual([
      expect.stringMatching(/identity\/.*PipelineSenderIdentity/),
      expect.stringContaining(':ses:us-east-1:123456789012:configuration-set/pipeline-mail'),
    ]);
  });

  test.each([
    { count: 50, error: undefined },
    { count: 51, error: /failure email has 51 recipients, more than the 50 SES sends one message to; list a mailing list address/ },
  ])('$count recipients', ({ count, error }) => {
    const recipients = Array.from({ length: count }, (_, i) => `r${i}@example.com`);
    const synth = () => synthPipeline({ failureEmail: { sender: 'pipelines@example.com', recipients } });
    if (error) {
      expect(synth).toThrow(error);
    } else {
      expect(synth).not.toThrow();
    }
  });

  test('verifies the sender domain when asked for', () => {
    synthPipeline({ failureEmail: { ...MAIL, identityScope: SenderIdentityScope.DOMAIN } })
      .template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'example.com' });
  });
});

describe('least privilege', () => {
  test('the runner may use this activity only, with the four activity-worker actions, and list this state machine\'s executions', () => {
    const statements = runnerStatements(synthPipeline().template);
    const sfn = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('states:')));
    expect(sfn).toHaveLength(2);
    const [activity, machine] = [sfn.find((s) => actionsOf(s).includes('states:GetActivityTask'))!, sfn.find((s) => actionsOf(s).includes('states:ListExecutions'))!];
    expect(actionsOf(activity).sort()).toEqual(
      ['states:GetActivityTask', 'states:SendTaskFailure', 'states:SendTaskHeartbeat', 'states:SendTaskSuccess']);
    expect(activity.Resource).toEqual({ Ref: expect.stringMatching(/^PipelineActivity/) });
    expect(actionsOf(machine)).toEqual(['states:ListExecutions']);
    expect(machine.Resource).toEqual({ Ref: expect.stringMatching(/^PipelineStateMachine/) });
  });

  test('the runner may read the history of this state machine\'s executions, and nothing else, in a managed policy of its own (a re-run reads the earlier execution\'s)', () => {
    const template = synthPipeline().template;
    const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy'));
    expect(policies).toHaveLength(1);
    const [policy] = policies;
    expect(policy.Properties.Roles).toEqual([{ Ref: expect.stringMatching(/^PipelineRunnerRole/) }]);
    expect(policy.Properties.PolicyDocument.Statement).toHaveLength(1);
    const [statement] = policy.Properties.PolicyDocument.Statement;
    expect(statement.Action).toBe('states:GetExecutionHistory');
    const [, parts] = statement.Resource['Fn::Join'];
    const arn = parts.map((p: unknown) => (typeof p === 'string' ? p : JSON.stringify(p))).join('');
    // the state machine's name, taken from its ARN, then ":*": its executions, no other machine's
    expect(arn).toMatch(/^arn:\{"Ref":"AWS::Partition"\}:states:us-east-1:123456789012:execution:\{"Fn::Select":\[6,\{"Fn::Split":\[":",\{"Ref":"PipelineStateMachine[0-9A-F]+"\}\]\}\]\}:\*$/);
  });

  test('the runner may touch only the listed jobs', () => {
    const statements = runnerStatements(synthPipeline().template);
    const glue = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('glue:')));
    expect(glue).toHaveLength(1);
    expect(actionsOf(glue[0]).sort()).toEqual(['glue:BatchStopJobRun', 'glue:GetJob', 'glue:GetJobRun', 'glue:GetJobRuns', 'glue:StartJobRun']);
    const arns = (glue[0].Resource as Array<{ 'Fn::Join': [string, unknown[]] }>).map((r) => r['Fn::Join'][1].map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(''));
    expect(arns).toEqual(['extract-orders', 'transform-orders', 'load-orders'].map(
      (job) => `arn:${JSON.stringify({ Ref: 'AWS::Partition' })}:glue:us-east-1:123456789012:job/${job}`));
  });

  test('the runner may read and write items of its table, nothing table-wide', () => {
    const statements = runnerStatements(synthPipeline().template);
    const ddb = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    expect(ddb.flatMap(actionsOf).sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
    expect(statements.flatMap(actionsOf)).not.toContain('dynamodb:Scan');
  });

  test('the runner may send mail only from its identity', () => {
    const statements = runnerStatements(synthPipeline({ failureEmail: MAIL }).template);
    const mail = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('ses:')));
    expect(mail).toHaveLength(1);
    expect(JSON.stringify(mail[0].Resource)).toContain(':ses:us-east-1:123456789012:identity/');
    expect(JSON.stringify(mail[0].Resource)).toMatch(/"Ref":"PipelineSenderIdentity[0-9A-F]+"/);
  });

  test('no statement grants a wildcard resource', () => {
    const statements = runnerStatements(synthPipeline({ failureEmail: MAIL }).template);
    for (const s of statements) {
      expect(s.Resource).not.toEqual('*');
    }
  });

  test('the runner role has no managed policies', () => {
    synthPipeline().template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
      }),
      ManagedPolicyArns: Match.absent(),
    });
  });

  test('grantStartExecution lets a principal start this state machine', () => {
    const { template } = synthPipeline({}, (stack, pipeline) => {
      pipeline.grantStartExecution(new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() }));
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Caller') }],
      PolicyDocument: {
        Statement: [Match.objectLike({
          Action: 'states:StartExecution',
          Resource: { Ref: Match.stringLikeRegexp('^PipelineStateMachine') },
        })],
      },
    });
  });
});

describe('state machine', () => {
  test('logs ALL to its own log group, without execution data, and is traced', () => {
    synthPipeline().template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
      TracingConfiguration: { Enabled: true },
    });
  });
});
