import { Duration, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as glue from 'aws-cdk-lib/aws-glue';
import {
  GlueCrawlerStep, GlueJob, GlueOrchestratedPipeline, GlueTriggerStep, GlueWorkflowStep, PipelineStep, StepErrors, StepRetry,
} from '../../src';
import { GLUE_CRAWLER_STATE_CHANGE, GLUE_JOB_STATE_CHANGE, RunnerEnv } from '../../src/shared/contract';
import { definitionOf, emptyStack } from '../support/pipeline-fixture';

// Timing as documented in src/constructs/step-timing.ts: heartbeat = 2 check intervals + the
// runner's 3-minute timeout; task = own wait + 30 minutes start allowance + the heartbeat.
const HEARTBEAT = 2 * 300 + 180;
const taskSeconds = (minutes: number) => minutes * 60 + 30 * 60 + HEARTBEAT;

interface State {
  readonly Type: string;
  readonly Comment?: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly TimeoutSeconds?: number;
  readonly HeartbeatSeconds?: number;
  readonly ResultPath?: string;
  readonly Parameters?: Record<string, unknown>;
}

/** The steps' states: the Task states, the re-run Choice and Pass at the start left out. */
function statesOf(template: Template): Record<string, State> {
  return Object.fromEntries(Object.entries(definitionOf(template).States).filter(([, s]) => s.Type === 'Task')) as unknown as Record<string, State>;
}

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

interface Policy {
  readonly Properties: { readonly Roles: unknown[]; readonly PolicyDocument: { readonly Statement: Statement[] } };
}

/** The runner role's policies, by logical id. */
function runnerPolicies(template: Template): Array<[string, Policy]> {
  return Object.entries(template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^PipelineRunnerRole') }] },
  })) as Array<[string, Policy]>;
}

/** The policy of the reads that tell whether a trigger fired (only with a trigger step). */
const isFiringReads = (logicalId: string) => /TriggerFiringReads/.test(logicalId);

/** All statements of the runner role's policies but the trigger firing reads. */
function runnerStatements(template: Template): Statement[] {
  return runnerPolicies(template).filter(([id]) => !isFiringReads(id)).flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
}

/** The statements of the TriggerFiringReads policy, each as its sorted actions and its resources as text. */
function firingReads(template: Template): Array<{ actions: string[]; resources: string[] }> {
  return runnerPolicies(template).filter(([id]) => isFiringReads(id)).flatMap(([, p]) => p.Properties.PolicyDocument.Statement)
    .map((st) => {
      expect(st.Effect).toBe('Allow');
      return { actions: actionsOf(st).sort(), resources: resourcesOf(st) };
    });
}

function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

/** A CloudFormation value as text: the partition reads "aws", other Refs `{Ref:<id>}`. */
function textOf(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  const v = value as { 'Ref'?: string; 'Fn::Join'?: [string, unknown[]] };
  if (v['Fn::Join']) {
    return v['Fn::Join'][1].map(textOf).join(v['Fn::Join'][0]);
  }
  if (v.Ref === 'AWS::Partition') {
    return 'aws';
  }
  return v.Ref ? `{Ref:${v.Ref}}` : JSON.stringify(value);
}

function resourcesOf(statement: Statement): string[] {
  return (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]).map(textOf);
}

/** The runner's Glue statements, each as its sorted actions and its resources as text. */
/** The runner's per-kind Glue statements (not the trigger firing reads), each as its sorted actions and its resources as text. */
function glueAccess(template: Template): Array<{ actions: string[]; resources: string[] }> {
  return runnerStatements(template)
    .filter((s) => actionsOf(s).some((a) => a.startsWith('glue:')))
    .map((s) => {
      expect(s.Effect).toBe('Allow');
      return { actions: actionsOf(s).sort(), resources: resourcesOf(s) };
    });
}

const arn = (type: string, name: string) => `arn:aws:glue:us-east-1:123456789012:${type}/${name}`;

const JOB_ACTIONS = ['glue:BatchStopJobRun', 'glue:GetJob', 'glue:GetJobRun', 'glue:GetJobRuns', 'glue:StartJobRun'];
const CRAWLER_ACTIONS = ['glue:ListCrawls', 'glue:StartCrawler', 'glue:StopCrawler'];
const TRIGGER_ACTIONS = ['glue:GetTrigger', 'glue:StartTrigger'];
/** Whether a trigger fired is read from the runs and crawls it started: any job's, any crawler's. */
const FIRING_READS = [{ actions: ['glue:GetJobRuns', 'glue:ListCrawls'], resources: [arn('job', '*'), arn('crawler', '*')] }];
const WORKFLOW_ACTIONS = ['glue:GetWorkflowRun', 'glue:GetWorkflowRuns', 'glue:StartWorkflowRun', 'glue:StopWorkflowRun'];

/** One step of each kind. */
const oneOf = {
  'glue-job': () => PipelineStep.glueJob({ stepName: 'extract', job: GlueJob.fromName('extract-orders') }),
  'glue-crawler': () => PipelineStep.glueCrawler({ stepName: 'crawl', crawlerName: 'raw-crawler' }),
  'glue-trigger': () => PipelineStep.glueTrigger({ stepName: 'fire', triggerName: 'on-demand-trigger' }),
  'glue-workflow': () => PipelineStep.glueWorkflow({ stepName: 'flow', workflowName: 'nightly-workflow' }),
};

function synth(steps: PipelineStep[]): { template: Template; pipeline: GlueOrchestratedPipeline } {
  const stack = emptyStack();
  const pipeline = new GlueOrchestratedPipeline(stack, 'Pipeline', { steps });
  return { template: Template.fromStack(stack), pipeline };
}

/** Every kind, in a sequence; the crawler is listed twice (another step on the same crawler). */
function mixedPipeline() {
  return synth([
    PipelineStep.glueJob({ stepName: 'extract', job: GlueJob.fromName('extract-orders') }),
    PipelineStep.glueCrawler({ stepName: 'crawl_raw', crawlerName: 'raw-crawler' }),
    PipelineStep.glueCrawler({ stepName: 'crawl_curated', crawlerName: 'curated-crawler', timeout: Duration.minutes(45) }),
    PipelineStep.glueCrawler({ stepName: 'crawl_raw_again', crawlerName: 'raw-crawler' }),
    PipelineStep.glueTrigger({ stepName: 'fire', triggerName: 'on-demand-trigger' }),
    PipelineStep.glueWorkflow({
      stepName: 'flow',
      workflowName: 'nightly-workflow',
      runProperties: { day: '2026-01-01', mode: 'full' },
      timeout: Duration.hours(3),
    }),
  ]);
}

describe('the step objects', () => {
  test('each factory returns its kind, with the resource it drives and its own wait', () => {
    const crawler = PipelineStep.glueCrawler({ crawlerName: 'raw-crawler' });
    expect(crawler).toBeInstanceOf(GlueCrawlerStep);
    expect(crawler).toMatchObject({ kind: 'glue-crawler', crawlerName: 'raw-crawler', resourceName: 'raw-crawler', label: 'raw-crawler', waitMinutes: 12 * 60 });

    const trigger = PipelineStep.glueTrigger({ triggerName: 'on-demand' });
    expect(trigger).toBeInstanceOf(GlueTriggerStep);
    expect(trigger).toMatchObject({ kind: 'glue-trigger', triggerName: 'on-demand', resourceName: 'on-demand', waitMinutes: 0 });

    const workflow = PipelineStep.glueWorkflow({ workflowName: 'nightly', runProperties: { a: 'b' }, timeout: Duration.hours(2) });
    expect(workflow).toBeInstanceOf(GlueWorkflowStep);
    expect(workflow).toMatchObject({ kind: 'glue-workflow', workflowName: 'nightly', resourceName: 'nightly', waitMinutes: 120, runProperties: { a: 'b' } });
    expect(PipelineStep.glueWorkflow({ workflowName: 'w' }).waitMinutes).toBe(2880);
    expect(PipelineStep.glueWorkflow({ workflowName: 'w' }).runProperties).toEqual({});

    expect(PipelineStep.glueJob({ job: GlueJob.fromName('j') }).kind).toBe('glue-job');
  });

  test.each([
    ['crawler', () => PipelineStep.glueCrawler({ crawlerName: 'raw.orders-crawler' }), 'raw_orders_crawler'],
    ['trigger', () => PipelineStep.glueTrigger({ triggerName: '9am trigger' }), 'step_9am_trigger'],
    ['workflow', () => PipelineStep.glueWorkflow({ workflowName: 'nightly-flow' }), 'nightly_flow'],
  ])('a %s step is named after its resource by default', (_kind, make, expected) => {
    expect(make().stepName).toBe(expected);
  });

  test('steps whose resource is a token are named after their kind', () => {
    const name = Token.asString({ Ref: 'NameParam' });
    expect(PipelineStep.glueCrawler({ crawlerName: name }).stepName).toBe('crawler');
    expect(PipelineStep.glueTrigger({ triggerName: name }).stepName).toBe('trigger');
    expect(PipelineStep.glueWorkflow({ workflowName: name }).stepName).toBe('workflow');
  });

  test('run properties are copied: a later change to the object passed in does not reach the step', () => {
    const runProperties: Record<string, string> = { a: '1' };
    const step = PipelineStep.glueWorkflow({ workflowName: 'w', runProperties });
    runProperties.b = '2';
    expect(step.runProperties).toEqual({ a: '1' });
  });
});

describe('state of each kind', () => {
  test('a crawler step passes its crawler and nothing of a job', () => {
    const states = statesOf(mixedPipeline().template);
    expect(states.crawl_raw.Parameters).toEqual({
      'version': 2,
      'follows': 'extract',
      'rerunFrom.$': '$.rerunFrom',
      'kind': 'glue-crawler',
      'stepName': 'crawl_raw',
      'crawlerName': 'raw-crawler',
      'taskTimeoutSeconds': taskSeconds(12 * 60),
      'heartbeatSeconds': HEARTBEAT,
      'executionId.$': '$$.Execution.Id',
      'attempt.$': '$$.State.RetryCount',
      'redriveCount.$': '$$.Execution.RedriveCount',
      'pipelineName.$': '$$.StateMachine.Name',
      'retry': [{ errors: ['States.HeartbeatTimeout'], maxAttempts: 2 }],
    });
    expect(states.crawl_raw).toMatchObject({
      Type: 'Task',
      Comment: 'Runs Glue crawler raw-crawler',
      TimeoutSeconds: taskSeconds(12 * 60),
      HeartbeatSeconds: HEARTBEAT,
      ResultPath: '$.results.crawl_raw',
      Next: 'crawl_curated',
    });
    // the crawler's own timeout bounds its state
    expect(states.crawl_curated.TimeoutSeconds).toBe(taskSeconds(45));
    expect(states.crawl_curated.Parameters!.taskTimeoutSeconds).toBe(taskSeconds(45));
  });

  test('a trigger step passes its trigger; its state waits for nothing but the start', () => {
    const states = statesOf(mixedPipeline().template);
    expect(states.fire.Parameters).toEqual({
      'version': 2,
      'follows': 'crawl_raw_again',
      'rerunFrom.$': '$.rerunFrom',
      'kind': 'glue-trigger',
      'stepName': 'fire',
      'triggerName': 'on-demand-trigger',
      'taskTimeoutSeconds': taskSeconds(0),
      'heartbeatSeconds': HEARTBEAT,
      'executionId.$': '$$.Execution.Id',
      'attempt.$': '$$.State.RetryCount',
      'redriveCount.$': '$$.Execution.RedriveCount',
      'pipelineName.$': '$$.StateMachine.Name',
      'retry': [{ errors: ['States.HeartbeatTimeout'], maxAttempts: 2 }],
    });
    expect(states.fire).toMatchObject({
      Comment: 'Fires Glue trigger on-demand-trigger', TimeoutSeconds: taskSeconds(0), ResultPath: '$.results.fire', Next: 'flow',
    });
  });

  test('a workflow step passes its workflow and run properties, and as the last step is final', () => {
    const states = statesOf(mixedPipeline().template);
    expect(states.flow.Parameters).toEqual({
      'version': 2,
      'follows': 'fire',
      'rerunFrom.$': '$.rerunFrom',
      'kind': 'glue-workflow',
      'stepName': 'flow',
      'workflowName': 'nightly-workflow',
      'runProperties': { day: '2026-01-01', mode: 'full' },
      'taskTimeoutSeconds': taskSeconds(180),
      'heartbeatSeconds': HEARTBEAT,
      'final': true,
      'executionId.$': '$$.Execution.Id',
      'attempt.$': '$$.State.RetryCount',
      'redriveCount.$': '$$.Execution.RedriveCount',
      'pipelineName.$': '$$.StateMachine.Name',
      'retry': [{ errors: ['States.HeartbeatTimeout'], maxAttempts: 2 }],
    });
    expect(states.flow).toMatchObject({ Comment: 'Runs Glue workflow nightly-workflow', ResultPath: '$.results.flow', End: true });
  });

  test('a workflow without run properties passes an empty map; without a timeout it waits 2,880 minutes', () => {
    const states = statesOf(synth([oneOf['glue-workflow']()]).template);
    expect(states.flow.Parameters).toMatchObject({ runProperties: {}, taskTimeoutSeconds: taskSeconds(2880) });
    expect(states.flow.TimeoutSeconds).toBe(taskSeconds(2880));
  });

  test('only the last step of the sequence is final, whatever its kind', () => {
    const states = statesOf(mixedPipeline().template);
    const finals = Object.entries(states).filter(([, s]) => s.Parameters!.final !== undefined).map(([name]) => name);
    expect(finals).toEqual(['flow']);
    expect(Object.keys(states)).toEqual(['extract', 'crawl_raw', 'crawl_curated', 'crawl_raw_again', 'fire', 'flow']);
  });

  test('a step of any kind retries a lost token, then its own policy', () => {
    const states = statesOf(synth([
      PipelineStep.glueCrawler({ stepName: 'crawl', crawlerName: 'c', retry: { errors: [StepErrors.CRAWLER_FAILED], maxAttempts: 1 } }),
      PipelineStep.glueTrigger({ stepName: 'fire', triggerName: 't' }),
    ]).template) as Record<string, State & { Retry?: unknown[] }>;
    expect(states.crawl.Retry).toEqual([
      { ErrorEquals: ['States.HeartbeatTimeout'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 1 },
      { ErrorEquals: ['Glue.CrawlerFailed'], IntervalSeconds: 60, MaxAttempts: 1, BackoffRate: 2 },
    ]);
    expect(states.fire.Retry).toEqual([{ ErrorEquals: ['States.HeartbeatTimeout'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 1 }]);
  });

  test('names that are tokens reach the state, the rule and the policy as references', () => {
    const stack = emptyStack();
    const crawler = new glue.CfnCrawler(stack, 'Crawler', { role: 'arn:aws:iam::123456789012:role/crawler', targets: {} });
    const workflow = new glue.CfnWorkflow(stack, 'Workflow', {});
    const trigger = new glue.CfnTrigger(stack, 'Trigger', { type: 'ON_DEMAND', actions: [{ jobName: 'j' }] });
    new GlueOrchestratedPipeline(stack, 'Pipeline', {
      steps: [
        PipelineStep.glueCrawler({ crawlerName: crawler.ref }),
        PipelineStep.glueTrigger({ triggerName: trigger.ref }),
        PipelineStep.glueWorkflow({ workflowName: workflow.ref }),
      ],
    });
    const template = Template.fromStack(stack);
    const states = statesOf(template);
    const id = (type: string) => Object.keys(template.findResources(type))[0];
    // each step is named after its resource's construct (the resources set no name)
    expect(Object.keys(states)).toEqual(['Crawler', 'Trigger', 'Workflow']);
    expect(states.Crawler.Parameters!.crawlerName).toBe(id('AWS::Glue::Crawler'));
    expect(states.Crawler.Comment).toBe('Runs Glue crawler Crawler');
    expect(states.Trigger.Parameters!.triggerName).toBe(id('AWS::Glue::Trigger'));
    expect(states.Workflow.Parameters!.workflowName).toBe(id('AWS::Glue::Workflow'));
    expect(glueAccess(template)).toEqual([
      { actions: CRAWLER_ACTIONS, resources: [arn('crawler', `{Ref:${id('AWS::Glue::Crawler')}}`)] },
      { actions: TRIGGER_ACTIONS, resources: [arn('trigger', `{Ref:${id('AWS::Glue::Trigger')}}`)] },
      { actions: WORKFLOW_ACTIONS, resources: [arn('workflow', `{Ref:${id('AWS::Glue::Workflow')}}`)] },
    ]);
    expect(firingReads(template)).toEqual(FIRING_READS);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ detail: { crawlerName: [{ Ref: id('AWS::Glue::Crawler') }], state: ['Succeeded', 'Failed'] } }),
    });
  });
});

describe('runner access per kind', () => {
  test.each<[keyof typeof oneOf, string[], string]>([
    ['glue-job', JOB_ACTIONS, arn('job', 'extract-orders')],
    ['glue-crawler', CRAWLER_ACTIONS, arn('crawler', 'raw-crawler')],
    ['glue-trigger', TRIGGER_ACTIONS, arn('trigger', 'on-demand-trigger')],
    ['glue-workflow', WORKFLOW_ACTIONS, arn('workflow', 'nightly-workflow')],
  ])('a pipeline of one %s step may use exactly that resource, with that kind\'s actions only', (kind, actions, resource) => {
    const { template } = synth([oneOf[kind]()]);
    expect(glueAccess(template)).toEqual([{ actions, resources: [resource] }]);
    // only a trigger's firing is looked for in the runs and crawls it started
    expect(firingReads(template)).toEqual(kind === 'glue-trigger' ? FIRING_READS : []);
  });

  test('one statement per kind present, each on exactly the resources of that kind, each named once', () => {
    const { template } = mixedPipeline();
    expect(glueAccess(template)).toEqual([
      { actions: JOB_ACTIONS, resources: [arn('job', 'extract-orders')] },
      { actions: CRAWLER_ACTIONS, resources: [arn('crawler', 'raw-crawler'), arn('crawler', 'curated-crawler')] },
      { actions: TRIGGER_ACTIONS, resources: [arn('trigger', 'on-demand-trigger')] },
      { actions: WORKFLOW_ACTIONS, resources: [arn('workflow', 'nightly-workflow')] },
    ]);
    expect(firingReads(template)).toEqual(FIRING_READS);
  });

  test('no Glue action or resource of the per-kind grants is a wildcard, and no action is granted twice there', () => {
    const statements = runnerStatements(mixedPipeline().template);
    for (const s of statements) {
      for (const action of actionsOf(s)) {
        expect(action).not.toContain('*');
      }
      for (const resource of resourcesOf(s)) {
        expect(resource).not.toBe('*');
        expect(resource).not.toMatch(/:glue:.*\*/);
      }
    }
    const glueActions = statements.flatMap(actionsOf).filter((a) => a.startsWith('glue:'));
    expect(new Set(glueActions).size).toBe(glueActions.length);
  });

  test('the only Glue wildcards are the trigger firing reads: read-only, in a policy of their own attached to the runner role alone', () => {
    const { template } = mixedPipeline();
    const policies = runnerPolicies(template).filter(([id]) => isFiringReads(id));
    expect(policies).toHaveLength(1);
    const [, policy] = policies[0];
    expect(policy.Properties.Roles).toHaveLength(1);
    const statements = policy.Properties.PolicyDocument.Statement;
    for (const action of statements.flatMap(actionsOf)) {
      expect(action).toMatch(/^glue:(Get|List)/);
    }
    const wildcards = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[])
      .flatMap(resourcesOf)
      .filter((r) => /:glue:.*\*/.test(r));
    expect(wildcards.sort()).toEqual([arn('crawler', '*'), arn('job', '*')]);
  });

  test('a kind that is not in the pipeline gets no access', () => {
    const { template } = synth([oneOf['glue-crawler'](), oneOf['glue-trigger']()]);
    const actions = glueAccess(template).flatMap((s) => s.actions);
    expect(actions.sort()).toEqual([...CRAWLER_ACTIONS, ...TRIGGER_ACTIONS].sort());
    expect(actions.filter((a) => JOB_ACTIONS.includes(a) || WORKFLOW_ACTIONS.includes(a))).toEqual([]);
  });

  test('several trigger steps share one TriggerFiringReads policy', () => {
    const { template } = synth([
      PipelineStep.glueTrigger({ stepName: 'fire_a', triggerName: 'trigger-a' }),
      PipelineStep.glueTrigger({ stepName: 'fire_b', triggerName: 'trigger-b' }),
    ]);
    expect(firingReads(template)).toEqual(FIRING_READS);
    expect(glueAccess(template)).toEqual([{ actions: TRIGGER_ACTIONS, resources: [arn('trigger', 'trigger-a'), arn('trigger', 'trigger-b')] }]);
  });
});

describe('rules per kind', () => {
  /** The event patterns of the template's rules, by detail-type; the schedule under "schedule". */
  function rulesOf(template: Template): Record<string, unknown> {
    return Object.fromEntries(Object.values(template.findResources('AWS::Events::Rule')).map((r) => {
      const pattern = r.Properties.EventPattern;
      return pattern ? [pattern['detail-type'][0], pattern] : ['schedule', r.Properties.ScheduleExpression];
    }));
  }

  test.each<[keyof typeof oneOf, boolean, boolean]>([
    ['glue-job', true, false],
    ['glue-crawler', false, true],
    ['glue-trigger', false, false],
    ['glue-workflow', false, false],
  ])('a pipeline of one %s step: run-ended rule %p, crawl-ended rule %p', (kind, runEnded, crawlEnded) => {
    const { template, pipeline } = synth([oneOf[kind]()]);
    const rules = rulesOf(template);
    expect(Object.keys(rules).sort()).toEqual([
      'Step Functions Execution Status Change',
      ...(runEnded ? [GLUE_JOB_STATE_CHANGE] : []),
      ...(crawlEnded ? [GLUE_CRAWLER_STATE_CHANGE] : []),
      'schedule',
    ].sort());
    expect(pipeline.runEndedRule !== undefined).toBe(runEnded);
    expect(pipeline.crawlEndedRule !== undefined).toBe(crawlEnded);
    // each rule may invoke the runner, and only those
    const permissions = template.findResources('AWS::Lambda::Permission', { Properties: { Principal: 'events.amazonaws.com' } });
    expect(Object.keys(permissions)).toHaveLength(Object.keys(rules).length);
  });

  test('the crawl-ended rule names each crawler once and the run-ended rule only the jobs', () => {
    const { template, pipeline } = mixedPipeline();
    const rules = rulesOf(template);
    expect(rules[GLUE_CRAWLER_STATE_CHANGE]).toEqual({
      'source': ['aws.glue'],
      'detail-type': [GLUE_CRAWLER_STATE_CHANGE],
      'detail': { crawlerName: ['raw-crawler', 'curated-crawler'], state: ['Succeeded', 'Failed'] },
    });
    expect(rules[GLUE_JOB_STATE_CHANGE]).toEqual({
      'source': ['aws.glue'],
      'detail-type': [GLUE_JOB_STATE_CHANGE],
      'detail': { jobName: ['extract-orders'], state: ['SUCCEEDED', 'FAILED', 'TIMEOUT', 'STOPPED'] },
    });
    expect(pipeline.crawlEndedRule).toBeDefined();
    expect(pipeline.runEndedRule).toBeDefined();
  });

  test('the crawl-ended rule invokes the runner with the same retry policy as the other events', () => {
    const { template } = synth([oneOf['glue-crawler']()]);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ 'detail-type': [GLUE_CRAWLER_STATE_CHANGE] }),
      Targets: [Match.objectLike({
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PipelineRunner'), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
      })],
    });
  });

  test('a sequence of any kinds sets no graph size on the runner', () => {
    mixedPipeline().template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { [RunnerEnv.GRAPH_STEPS]: Match.absent() } },
    });
  });
});

describe('validation of each kind', () => {
  test.each<[string, (name: string) => PipelineStep, string]>([
    ['crawler', (crawlerName) => PipelineStep.glueCrawler({ crawlerName }), 'glue crawler'],
    ['trigger', (triggerName) => PipelineStep.glueTrigger({ triggerName }), 'glue trigger'],
    ['workflow', (workflowName) => PipelineStep.glueWorkflow({ workflowName }), 'glue workflow'],
  ])('a %s name Glue would refuse is named in the error', (_kind, make, what) => {
    for (const bad of ['bad/name', '', 'x'.repeat(256), 'semi;colon']) {
      const escaped = bad.replace(/[/]/g, '\\/');
      expect(() => make(bad)).toThrow(new RegExp(`^${what} name "${escaped}" is not valid: use 1 to 255 letters`));
    }
    expect(() => make('ok name_with-every.kind 1')).not.toThrow();
    expect(() => make('x'.repeat(255))).not.toThrow();
  });

  test('a name that is not a string (from a language without static types)', () => {
    expect(() => PipelineStep.glueCrawler({ crawlerName: 5 as unknown as string })).toThrow(/glue crawler name "5" is not valid/);
  });

  test.each<[string, (timeout: Duration) => PipelineStep]>([
    ['crawler', (timeout) => PipelineStep.glueCrawler({ stepName: 'slow', crawlerName: 'c', timeout })],
    ['workflow', (timeout) => PipelineStep.glueWorkflow({ stepName: 'slow', workflowName: 'w', timeout })],
  ])('a %s timeout that is not whole minutes, or a token', (_kind, make) => {
    expect(() => make(Duration.seconds(90))).toThrow(/step "slow": timeout must be a whole number of minutes, at least 1, got 1 minute 30 seconds/);
    expect(() => make(Duration.minutes(0))).toThrow(/step "slow": timeout must be a whole number of minutes, at least 1, got 0 minutes/);
    expect(() => make(Duration.minutes(Token.asNumber({ Ref: 'Minutes' }))))
      .toThrow(/step "slow": timeout must be a concrete duration, not a token/);
    expect(make(Duration.hours(1)).waitMinutes).toBe(60);
  });

  test.each<[string, (timeout: Duration) => PipelineStep]>([
    ['crawler', (timeout) => PipelineStep.glueCrawler({ stepName: 'slow', crawlerName: 'c', timeout })],
    ['workflow', (timeout) => PipelineStep.glueWorkflow({ stepName: 'slow', workflowName: 'w', timeout })],
  ])('a %s timeout longer than Step Functions allows a state is a synth error, in a sequence too', (_kind, make) => {
    // 99,999,999 s is the largest TimeoutSeconds; the state adds 30 min + the heartbeat to the timeout
    const largest = Math.floor((99_999_999 - 30 * 60 - HEARTBEAT) / 60);
    expect(() => new GlueOrchestratedPipeline(emptyStack(), 'P', { steps: [make(Duration.minutes(largest + 1))] }))
      .toThrow(/step "slow" would need a TimeoutSeconds of \d+ .*more than Step Functions' maximum of 99999999; shorten the step's timeout/);
    const states = statesOf(synth([make(Duration.minutes(largest))]).template);
    expect(states.slow.TimeoutSeconds).toBe(taskSeconds(largest));
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    ['an empty key', { '': 'x' }, /step "flow": a run property key is empty; name every run property/],
    ['the reserved key', { 'glue-orchestrated-pipeline-task': 'x' },
      /step "flow": run property key "glue-orchestrated-pipeline-task" is reserved for the pipeline's run correlation/],
    ['a value that is not a string', { count: 5 }, /step "flow": run property "count" must be a string, got number/],
  ])('workflow run properties with %s', (_what, runProperties, message) => {
    expect(() => PipelineStep.glueWorkflow({ stepName: 'flow', workflowName: 'w', runProperties: runProperties as Record<string, string> }))
      .toThrow(message);
  });

  test('workflow run property keys that are not argument-like are fine', () => {
    expect(() => PipelineStep.glueWorkflow({ workflowName: 'w', runProperties: { 'day': 'x', '--conf': 'y', 'a b': 'z' } })).not.toThrow();
  });

  test.each<[string, (stepName: string) => PipelineStep]>([
    ['crawler', (stepName) => PipelineStep.glueCrawler({ stepName, crawlerName: 'c' })],
    ['trigger', (stepName) => PipelineStep.glueTrigger({ stepName, triggerName: 't' })],
    ['workflow', (stepName) => PipelineStep.glueWorkflow({ stepName, workflowName: 'w' })],
  ])('a %s step name that is not a state name', (_kind, make) => {
    for (const bad of ['has space', '1st', 'dash-ed', 'x'.repeat(65)]) {
      expect(() => make(bad)).toThrow(new RegExp(`step name "${bad}" is not valid: use 1 to 64 letters, digits and underscores`));
    }
  });

  test.each<[string, (dependsOn: string[]) => PipelineStep]>([
    ['crawler', (dependsOn) => PipelineStep.glueCrawler({ stepName: 's', crawlerName: 'c', dependsOn })],
    ['trigger', (dependsOn) => PipelineStep.glueTrigger({ stepName: 's', triggerName: 't', dependsOn })],
    ['workflow', (dependsOn) => PipelineStep.glueWorkflow({ stepName: 's', workflowName: 'w', dependsOn })],
  ])('a %s dependsOn entry that is not a step name', (_kind, make) => {
    expect(() => make(['ok', 'not-ok'])).toThrow(/step "s": dependsOn entry "not-ok" is not a step name/);
    expect(() => make('ok' as unknown as string[])).toThrow(/step "s": dependsOn must be a list of step names, got "ok"/);
  });

  test('the dependsOn list given is copied', () => {
    const dependsOn = ['a'];
    const step = PipelineStep.glueTrigger({ triggerName: 't', dependsOn });
    dependsOn.push('b');
    expect(step.dependsOn).toEqual(['a']);
  });

  test.each<[string, (retry: StepRetry) => PipelineStep]>([
    ['crawler', (retry) => PipelineStep.glueCrawler({ stepName: 's', crawlerName: 'c', retry })],
    ['trigger', (retry) => PipelineStep.glueTrigger({ stepName: 's', triggerName: 't', retry })],
    ['workflow', (retry) => PipelineStep.glueWorkflow({ stepName: 's', workflowName: 'w', retry })],
  ])('a %s step validates its retry policy', (_kind, make) => {
    expect(() => make({ errors: [] })).toThrow(/step "s": retry.errors must list at least one error name/);
    expect(() => make({ errors: ['States.ALL'], backoffRate: 0.5 })).toThrow(/step "s": retry.backoffRate must be at least 1, got 0.5/);
    expect(() => make({ errors: ['States.ALL'], maxAttempts: 1.5 })).toThrow(/step "s": retry.maxAttempts must be a whole number/);
  });

  test('a step of a kind the pipeline cannot run is refused, naming the step and the kind', () => {
    const real = PipelineStep.glueCrawler({ stepName: 'brew', crawlerName: 'c' });
    const alien = Object.assign(Object.create(Object.getPrototypeOf(real)), real, { kind: 'glue-databrew' }) as PipelineStep;
    expect(() => synth([alien])).toThrow(/step "brew" is of kind "glue-databrew", which this pipeline cannot run/);
    const plain = { stepName: 'plain', kind: 'glue-job' } as unknown as PipelineStep;
    expect(() => synth([plain])).toThrow(/step "plain" is of kind "glue-job", which this pipeline cannot run; create steps with PipelineStep.glueJob\(\)/);
  });

  test('two steps of different kinds may not share a name', () => {
    expect(() => synth([
      PipelineStep.glueCrawler({ stepName: 'same', crawlerName: 'c' }),
      PipelineStep.glueWorkflow({ stepName: 'same', workflowName: 'w' }),
    ])).toThrow(/step name "same" is used more than once/);
  });

  test('two steps on the same crawler collide on their default name', () => {
    expect(() => synth([oneOf['glue-crawler'](), PipelineStep.glueCrawler({ crawlerName: 'raw-crawler' }), oneOf['glue-crawler']()]))
      .toThrow(/step name "crawl" is used more than once/);
    expect(() => synth([PipelineStep.glueTrigger({ triggerName: 't-1' }), PipelineStep.glueTrigger({ triggerName: 't_1' })]))
      .toThrow(/step name "t_1" is used more than once/);
  });
});
