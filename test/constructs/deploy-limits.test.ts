import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { GlueJob, GlueOrchestratedPipeline, PipelineStep } from '../../src';
import { AwsLimits } from '../../src/constructs/limits/aws-limits';
import { historyBudgetError, worstCaseHistoryEvents } from '../../src/constructs/limits/execution-history';
import { templateLimitErrors } from '../../src/constructs/limits/template-limits';
import { ENV } from '../support/pipeline-fixture';

/** A job name of 40 characters, step `i`'s. */
const jobName = (i: number) => `prod-datalake-orders-transform-reg-${String(i).padStart(5, '0')}`;

type Shape = 'sequence' | 'wide' | 'deep';

/**
 * The steps of a pipeline of `size` job steps: a sequence; a wide graph (every step starts with
 * the execution); a deep graph (two chains side by side).
 */
function stepsOf(shape: Shape, size: number): PipelineStep[] {
  return Array.from({ length: size }, (_, i) => {
    const stepName = `step_${jobName(i).replace(/-/g, '_')}`;
    switch (shape) {
      case 'sequence': return PipelineStep.glueJob({ job: GlueJob.fromName(jobName(i)), stepName });
      case 'wide': return PipelineStep.glueJob({ job: GlueJob.fromName(jobName(i)), stepName, dependsOn: [] });
      case 'deep': return PipelineStep.glueJob({
        job: GlueJob.fromName(jobName(i)),
        stepName,
        dependsOn: i < 2 ? [] : [`step_${jobName(i - 2).replace(/-/g, '_')}`],
      });
    }
  });
}

/** Stand-ins at least as long as any Ref or GetAtt of these templates resolves to (an ARN, a table name...). */
const TOKEN_STAND_IN = 'x'.repeat(200);
const PSEUDO_STAND_INS: Record<string, string> = {
  'AWS::Partition': 'aws-iso-b-future', 'AWS::Region': 'r'.repeat(32), 'AWS::AccountId': '123456789012', 'AWS::URLSuffix': 'u'.repeat(32),
};

/** A string-valued template expression with every token replaced by TOKEN_STAND_IN. */
function worstCaseString(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  const { 'Fn::Join': join, 'Ref': ref } = value as { 'Fn::Join'?: [string, unknown[]]; 'Ref'?: string };
  return join ? join[1].map(worstCaseString).join(join[0]) : PSEUDO_STAND_INS[ref ?? ''] ?? TOKEN_STAND_IN;
}

interface Figures {
  readonly shape: Shape;
  readonly steps: number;
  readonly largestPattern: number;
  readonly rules: number;
  readonly definitionBytes: number;
  readonly templateBytes: number;
  readonly resources: number;
  readonly synthMs: number;
}

const figures: Figures[] = [];

/** What each size and shape gives: within every limit, or the limits whose errors fail synth. */
const CASES: Array<{ shape: Shape; size: number; fails?: RegExp[] }> = [
  ...[1, 10, 100, 300].flatMap((size) => (['sequence', 'wide', 'deep'] as const).map((shape) => ({ shape, size }))),
  { shape: 'sequence', size: 1000, fails: [/managed policies per role: the runner role needs \d+ managed policies/, /template size: the stack's template has \d+ bytes/] },
  { shape: 'wide', size: 1000, fails: [/managed policies per role/, /template size/] },
  { shape: 'deep', size: 1000, fails: [/would need a TimeoutSeconds of \d+ .* more than Step Functions' maximum of 99999999/] },
];

describe('deployable at any size', () => {
  test.each(CASES)('$size steps, $shape', ({ shape, size, fails }) => {
    // GIVEN a pipeline of `size` steps with 40-character job names and 60-character step names
    const stack = new Stack(new App(), 'Sized', { env: ENV });
    const started = Date.now();
    const synth = () => {
      new GlueOrchestratedPipeline(stack, 'Pipeline', { steps: stepsOf(shape, size) });
      return Template.fromStack(stack).toJSON();
    };
    if (fails) {
      // THEN synth fails, naming each limit it would break
      let message = '';
      try {
        synth();
      } catch (err) {
        message = String(err);
      }
      for (const limit of fails) {
        expect(message).toMatch(limit);
      }
      return;
    }
    // WHEN it synthesizes
    const template = synth();
    const synthMs = Date.now() - started;
    const resources: Record<string, { Type: string; Properties: Record<string, any> }> = template.Resources;
    const ofType = (type: string) => Object.values(resources).filter((r) => r.Type === type);

    // THEN every limit holds on the template itself
    const patterns = ofType('AWS::Events::Rule').map((r) => r.Properties.EventPattern).filter(Boolean);
    for (const pattern of patterns) {
      expect(JSON.stringify(pattern).length).toBeLessThanOrEqual(AwsLimits.EVENT_PATTERN_CHARACTERS);
    }
    for (const rule of ofType('AWS::Events::Rule')) {
      expect(rule.Properties.Targets.length).toBeLessThanOrEqual(AwsLimits.TARGETS_PER_RULE);
    }
    const jobNames = patterns.flatMap((p) => p.detail?.jobName ?? []);
    expect(jobNames.sort()).toEqual(Array.from({ length: size }, (_, i) => jobName(i)).sort());
    const [machine] = ofType('AWS::StepFunctions::StateMachine');
    const definition = worstCaseString(machine.Properties.DefinitionString);
    expect(Buffer.byteLength(definition)).toBeLessThanOrEqual(AwsLimits.DEFINITION_BYTES);
    for (const state of Object.values(JSON.parse(definition.replace(/x{200}/g, 'arn')).States ?? {}) as Array<Record<string, number>>) {
      expect(state.TimeoutSeconds ?? 0).toBeLessThanOrEqual(99_999_999);
    }
    const templateBytes = Buffer.byteLength(JSON.stringify(template, undefined, 1));
    expect(templateBytes).toBeLessThanOrEqual(AwsLimits.TEMPLATE_BYTES);
    expect(Object.keys(resources).length).toBeLessThanOrEqual(AwsLimits.STACK_RESOURCES);
    expect(worstCaseHistoryEvents(Array.from({ length: size }, () => ({ name: 's', attempts: 3 })), shape !== 'sequence'))
      .toBeLessThanOrEqual(AwsLimits.EXECUTION_HISTORY_EVENTS);
    const [runner] = ofType('AWS::Lambda::Function').filter((f) => f.Properties.Environment);
    const env = Object.entries(runner.Properties.Environment.Variables as Record<string, unknown>)
      .reduce((sum, [k, v]) => sum + k.length + worstCaseString(v).length, 0);
    expect(env).toBeLessThanOrEqual(AwsLimits.LAMBDA_ENVIRONMENT_BYTES);
    const policySize = (doc: unknown) => JSON.stringify(doc, (_, v) => (v && typeof v === 'object' && !Array.isArray(v)
      && (v.Ref || v['Fn::GetAtt'] || v['Fn::Join']) ? worstCaseString(v) : v)).length;
    const managed = ofType('AWS::IAM::ManagedPolicy');
    expect(managed.length).toBeLessThanOrEqual(AwsLimits.MANAGED_POLICIES_PER_ROLE);
    for (const policy of managed) {
      expect(policySize(policy.Properties.PolicyDocument)).toBeLessThanOrEqual(AwsLimits.MANAGED_POLICY_CHARACTERS);
    }
    const inline = ofType('AWS::IAM::Policy').filter((p) => JSON.stringify(p.Properties.Roles).includes('PipelineRunnerRole'));
    expect(inline.reduce((sum, p) => sum + policySize(p.Properties.PolicyDocument), 0)).toBeLessThanOrEqual(AwsLimits.ROLE_INLINE_POLICY_CHARACTERS);

    figures.push({
      shape,
      steps: size,
      rules: patterns.length - 1,
      largestPattern: Math.max(...patterns.map((p) => JSON.stringify(p).length)),
      definitionBytes: Buffer.byteLength(definition),
      templateBytes,
      resources: Object.keys(resources).length,
      synthMs,
    });
  }, 120_000);

  test('a 100-job pipeline with 40-character job names synthesizes within every limit', () => {
    const stack = new Stack(new App(), 'Hundred', { env: ENV });
    new GlueOrchestratedPipeline(stack, 'Pipeline', { steps: stepsOf('sequence', 100) });
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  afterAll(() => {
    // The README's "Limits" table is made from these lines.
    const rows = figures.map((f) => `| ${f.steps} | ${f.shape} | ${f.rules} | ${f.largestPattern} | ${f.definitionBytes} | ${f.templateBytes} | ${f.resources} | ${f.synthMs} |`);
    process.stdout.write(`\n${rows.join('\n')}\n`);
  });
});

describe('execution history budget', () => {
  test.each([
    { steps: 1, attempts: 3, graph: false, events: 21 },
    { steps: 1000, attempts: 3, graph: false, events: 15_006 },
    { steps: 1000, attempts: 3, graph: true, events: 15_011 },
    { steps: 1000, attempts: 5, graph: false, events: 25_006 },
  ])('$steps steps of $attempts attempts (graph: $graph) can record $events events', ({ steps, attempts, graph, events }) => {
    const list = Array.from({ length: steps }, (_, i) => ({ name: `s${i}`, attempts }));
    expect(worstCaseHistoryEvents(list, graph)).toBe(events);
    expect(historyBudgetError(list, graph) !== undefined).toBe(events > AwsLimits.EXECUTION_HISTORY_EVENTS);
  });

  test('a pipeline whose retries could outgrow the history fails synth, naming the limit and the count', () => {
    const stack = new Stack(new App(), 'Retries', { env: ENV });
    expect(() => new GlueOrchestratedPipeline(stack, 'Pipeline', {
      steps: Array.from({ length: 1000 }, (_, i) => PipelineStep.glueJob({
        job: GlueJob.fromName(`job-${i}`), retry: { errors: ['Glue.JobFailed'], maxAttempts: 2 },
      })),
    })).toThrow(/execution history: one execution of this pipeline can record up to 25006 events \(1000 steps, 5000 attempts.*more than Step Functions' 25000/);
  });
});

describe('templateLimitErrors', () => {
  const ids = { rules: ['Rule'], stateMachine: 'Machine', runner: 'Runner', runnerRole: 'Role', resourceCount: 3 };
  const bound = () => 255;
  const base = {
    Rule: { Type: 'AWS::Events::Rule', Properties: { EventPattern: { detail: { jobName: ['a'] } }, Targets: [{}] } },
    Machine: { Type: 'AWS::StepFunctions::StateMachine', Properties: { DefinitionString: '{}' } },
    Runner: { Type: 'AWS::Lambda::Function', Properties: { Environment: { Variables: { A: 'b' } } } },
  };
  const policy = (chars: number, type = 'AWS::IAM::Policy') => ({ Type: type, Properties: { Roles: [{ Ref: 'Role' }], PolicyDocument: { S: 'x'.repeat(chars) } } });

  test.each([
    { what: 'nothing', change: {}, bytes: 100, error: undefined },
    {
      what: 'a long pattern',
      change: { Rule: { Type: 'AWS::Events::Rule', Properties: { EventPattern: { detail: { jobName: Array(8).fill({ Ref: 'Job' }) } } } } },
      bytes: 100,
      error: /event pattern size: rule Rule has a pattern of up to 2\d{3} characters once deployed, more than EventBridge's 2048/,
    },
    { what: 'six targets', change: { Rule: { Type: 'AWS::Events::Rule', Properties: { Targets: Array(6).fill({}) } } }, bytes: 100, error: /targets per rule: rule Rule has 6 targets, more than EventBridge's 5/ },
    {
      what: 'a large definition',
      change: { Machine: { Type: 'AWS::StepFunctions::StateMachine', Properties: { DefinitionString: 'x'.repeat(1_048_577) } } },
      bytes: 100,
      error: /state machine definition size: up to 1048577 bytes once deployed, more than Step Functions' 1048576/,
    },
    {
      what: 'a large environment',
      change: { Runner: { Type: 'AWS::Lambda::Function', Properties: { Environment: { Variables: { R: 'x'.repeat(4100) } } } } },
      bytes: 100,
      error: /lambda environment size: the runner's environment variables take up to 4101 bytes once deployed, more than Lambda's 4096/,
    },
    { what: 'a large inline policy', change: { P: policy(10_300) }, bytes: 100, error: /role policy size: .* more than IAM's 10240/ },
    { what: 'a large managed policy', change: { P: policy(6_200, 'AWS::IAM::ManagedPolicy') }, bytes: 100, error: /managed policy size: P takes up to \d+ characters once deployed, more than IAM's 6144/ },
    {
      what: 'eleven managed policies',
      change: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`P${i}`, policy(10, 'AWS::IAM::ManagedPolicy')])),
      bytes: 100,
      error: /managed policies per role: the runner role needs 11 managed policies .* default quota of 10/,
    },
    {
      what: '501 resources',
      change: Object.fromEntries(Array.from({ length: 498 }, (_, i) => [`Q${i}`, { Type: 'AWS::SNS::Topic' }])),
      bytes: 100,
      error: /resources per stack: the stack declares 501 resources \(3 of them this pipeline's\), more than CloudFormation's 500/,
    },
    { what: 'a large template', change: {}, bytes: 1_000_001, error: /template size: the stack's template has 1000001 bytes, more than the 1000000 CloudFormation accepts from S3/ },
  ])('$what', ({ change, bytes, error }) => {
    const errors = templateLimitErrors({ Resources: { ...base, ...change } }, bytes, ids, bound);
    if (error) {
      expect(errors).toEqual([expect.stringMatching(error)]);
    } else {
      expect(errors).toEqual([]);
    }
  });
});
