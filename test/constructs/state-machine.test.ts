import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as glue from 'aws-cdk-lib/aws-glue';
import { ExecutionClass, GlueJob, GlueOrchestratedPipeline, PipelineStep, StepErrors, WorkerType } from '../../src';
import { definitionOf, emptyStack, firstStepOf, stepStatesOf, synthPipeline } from '../support/pipeline-fixture';

// asl-validator ships CommonJS without typings.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const aslValidator = require('asl-validator') as (definition: unknown) => { isValid: boolean; errorsText: (sep?: string) => string };

describe('state machine definition', () => {
  test('is valid Amazon States Language', () => {
    // GIVEN / WHEN
    const { template } = synthPipeline();
    // THEN
    const result = aslValidator(definitionOf(template));
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  test('the validator used above does reject a broken definition', () => {
    const asl = definitionOf(synthPipeline().template);
    const broken = { ...asl, States: { ...asl.States, extract: { ...asl.States.extract, Next: 'nowhere' } } };
    expect(aslValidator(broken).isValid).toBe(false);
  });

  test('is a Standard state machine with one activity state per step, in the order given', () => {
    const { template } = synthPipeline();
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineType: 'STANDARD' });

    const asl = definitionOf(template);
    expect(Object.keys(asl.States).sort()).toEqual(['Rerun from a step?', 'Rerun from which step?', 'Not a step of this pipeline', 'Not a rerun', 'extract', 'transform', 'load'].sort());
    expect(asl.States.extract.Next).toBe('transform');
    expect(asl.States.transform.Next).toBe('load');
    expect(asl.States.load.End).toBe(true);
    for (const state of stepStatesOf(asl)) {
      expect(state.Type).toBe('Task');
      expect(state.Resource).toMatch(/^arn:aws:states:us-east-1:123456789012:activity:PipelineActivity/);
    }
  });

  test('the first states give every task the execution input\'s rerunFrom, or "none" when it has none', () => {
    const asl = definitionOf(synthPipeline().template);
    expect(asl.StartAt).toBe('Rerun from a step?');
    expect(asl.States['Rerun from a step?']).toEqual({
      Type: 'Choice',
      Comment: expect.any(String),
      Choices: [{ Variable: '$.rerunFrom', IsPresent: true, Next: 'Rerun from which step?' }],
      Default: 'Not a rerun',
    });
    expect(asl.States['Not a rerun']).toEqual({ Type: 'Pass', Comment: expect.any(String), Result: 'none', ResultPath: '$.rerunFrom', Next: 'extract' });
    for (const state of stepStatesOf(asl)) {
      expect(state.Parameters).toEqual(expect.objectContaining({ 'rerunFrom.$': '$.rerunFrom' }));
    }
  });

  test('a re-run naming no step of the pipeline fails at once with Pipeline.InvalidInput, listing the steps; one without a string step goes on for the runner to refuse', () => {
    const asl = definitionOf(synthPipeline().template);
    expect(asl.States['Rerun from which step?']).toEqual({
      Type: 'Choice',
      Comment: expect.any(String),
      Choices: [
        { Not: { Variable: '$.rerunFrom.step', IsPresent: true }, Next: 'extract' },
        { Not: { Variable: '$.rerunFrom.step', IsString: true }, Next: 'extract' },
        { Or: ['extract', 'transform', 'load'].map((step) => ({ Variable: '$.rerunFrom.step', StringEquals: step })), Next: 'extract' },
      ],
      Default: 'Not a step of this pipeline',
    });
    expect(asl.States['Not a step of this pipeline']).toEqual({
      Type: 'Fail',
      Error: 'Pipeline.InvalidInput',
      Cause: 'rerunFrom.step names no step of this pipeline; name one of its steps: extract, transform, load',
    });
  });

  test('the cause lists 20 steps at most', () => {
    const stack = emptyStack();
    new GlueOrchestratedPipeline(stack, 'Pipeline', { steps: Array.from({ length: 25 }, (_, i) => PipelineStep.glueJob({ stepName: `s${i}`, job: GlueJob.fromName(`j${i}`) })) });
    const cause = (definitionOf(Template.fromStack(stack)).States['Not a step of this pipeline'] as { Cause?: string }).Cause;
    expect(cause).toBe(`rerunFrom.step names no step of this pipeline; name one of its steps: ${Array.from({ length: 20 }, (_, i) => `s${i}`).join(', ')} and 5 more`);
  });

  test('every activity state has HeartbeatSeconds below TimeoutSeconds and retries a lost token', () => {
    const asl = definitionOf(synthPipeline().template);
    for (const state of stepStatesOf(asl)) {
      expect(state.HeartbeatSeconds).toBeGreaterThan(0);
      expect(state.TimeoutSeconds).toBeGreaterThan(state.HeartbeatSeconds!);
      expect(state.Retry).toEqual([expect.objectContaining({ ErrorEquals: ['States.HeartbeatTimeout'], MaxAttempts: 2 })]);
    }
  });

  test('a failed step is not caught: the execution ends FAILED', () => {
    const asl = definitionOf(synthPipeline().template);
    for (const state of stepStatesOf(asl)) {
      expect(state.Catch).toBeUndefined();
      expect(state.Retry!.flatMap((r) => r.ErrorEquals)).not.toContain('States.ALL');
    }
    expect(Object.values(asl.States).map((s) => s.Type)).not.toContain('Succeed');
  });

  test('each state passes its step parameters and stores its result under $.results.<step>', () => {
    // GIVEN
    const stack = emptyStack();
    new GlueOrchestratedPipeline(stack, 'Pipeline', {
      steps: [
        PipelineStep.glueJob({
          stepName: 'big',
          job: GlueJob.fromName('big-job'),
          arguments: { '--day': '2026-01-01' },
          workerType: WorkerType.G_2X,
          numberOfWorkers: 10,
          executionClass: ExecutionClass.FLEX,
          timeout: Duration.minutes(90),
        }),
        PipelineStep.glueJob({ stepName: 'shell', job: GlueJob.fromName('shell-job'), maxCapacity: 0.0625 }),
      ],
    });
    // WHEN
    const asl = definitionOf(Template.fromStack(stack));
    // THEN
    expect(asl.States.big.ResultPath).toBe('$.results.big');
    expect(asl.States.big.Parameters).toEqual({
      'version': 2,
      'kind': 'glue-job',
      'stepName': 'big',
      'jobName': 'big-job',
      'arguments': { '--day': '2026-01-01' },
      'workerType': 'G.2X',
      'numberOfWorkers': 10,
      'executionClass': 'FLEX',
      'runTimeoutMinutes': 90,
      'taskTimeoutSeconds': asl.States.big.TimeoutSeconds,
      'heartbeatSeconds': asl.States.big.HeartbeatSeconds,
      'retry': [{ errors: ['States.HeartbeatTimeout'], maxAttempts: 2 }],
      'executionId.$': '$$.Execution.Id',
      'rerunFrom.$': '$.rerunFrom',
      'attempt.$': '$$.State.RetryCount',
      'redriveCount.$': '$$.Execution.RedriveCount',
      'pipelineName.$': '$$.StateMachine.Name',
    });
    expect(asl.States.shell.Parameters).toEqual(expect.objectContaining({ maxCapacity: 0.0625, arguments: {} }));
    expect(asl.States.shell.Parameters).not.toHaveProperty('workerType');
    // only the last step is marked final: the runner waits for no task after its success
    expect(asl.States.shell.Parameters).toEqual(expect.objectContaining({ final: true }));
    // every step but the first names the step before it: a re-run runs a step when that one ran
    expect(asl.States.shell.Parameters).toEqual(expect.objectContaining({ follows: 'big' }));
  });

  test('heartbeat and timeout follow the check interval and the run timeout', () => {
    // GIVEN a 2-minute interval and a 60-minute run timeout
    const stack = emptyStack();
    new GlueOrchestratedPipeline(stack, 'Pipeline', {
      checkInterval: Duration.minutes(2),
      steps: [PipelineStep.glueJob({ stepName: 'a', job: GlueJob.fromName('a'), timeout: Duration.minutes(60) })],
    });
    // THEN heartbeat = 2 intervals + runner timeout (3 min); timeout = run + 30 min start allowance + heartbeat
    const { States } = definitionOf(Template.fromStack(stack));
    expect(States.a.HeartbeatSeconds).toBe(2 * 120 + 180);
    expect(States.a.TimeoutSeconds).toBe(3600 + 1800 + 420);
  });

  test('a step from a CfnJob uses the job name and its timeout', () => {
    // GIVEN
    const stack = emptyStack();
    const job = new glue.CfnJob(stack, 'Job', {
      name: 'defined-here', role: 'arn:aws:iam::123456789012:role/glue', command: { name: 'glueetl' }, timeout: 10,
    });
    new GlueOrchestratedPipeline(stack, 'Pipeline', { steps: [PipelineStep.glueJob({ job: GlueJob.fromCfnJob(job) })] });
    // THEN the default step name comes from the job name, the run timeout from the job
    const asl = definitionOf(Template.fromStack(stack));
    const { States } = asl;
    expect(firstStepOf(asl)).toBe('defined_here');
    expect(States.defined_here.Parameters!.jobName).toBe('Job');
    expect(States.defined_here.TimeoutSeconds).toBe(600 + 1800 + 780);
  });

  test('the execution timeout is set when asked for', () => {
    const { template } = synthPipeline({ executionTimeout: Duration.hours(6) });
    expect(definitionOf(template).TimeoutSeconds).toBe(6 * 3600);
  });

  test('a step named like a sibling construct does not clash with it', () => {
    const stack = emptyStack();
    expect(() => new GlueOrchestratedPipeline(stack, 'Pipeline', {
      steps: [PipelineStep.glueJob({ stepName: 'Runner', job: GlueJob.fromName('r') })],
    })).not.toThrow();
  });
});

describe('per-step retry policy', () => {
  test('a step with a retry policy retries its errors after the lost-token retry; others only that', () => {
    // GIVEN
    const stack = emptyStack();
    new GlueOrchestratedPipeline(stack, 'Pipeline', {
      steps: [
        PipelineStep.glueJob({
          stepName: 'flaky',
          job: GlueJob.fromName('flaky'),
          retry: { errors: [StepErrors.JOB_FAILED, StepErrors.START_FAILED], maxAttempts: 3, interval: Duration.minutes(10), backoffRate: 1.5 },
        }),
        PipelineStep.glueJob({ stepName: 'steady', job: GlueJob.fromName('steady') }),
      ],
    });
    // THEN
    const { States } = definitionOf(Template.fromStack(stack));
    expect(States.flaky.Retry).toEqual([
      { ErrorEquals: ['States.HeartbeatTimeout'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 1 },
      { ErrorEquals: ['Glue.JobFailed', 'Glue.StartFailed'], IntervalSeconds: 600, MaxAttempts: 3, BackoffRate: 1.5 },
    ]);
    expect(States.steady.Retry).toHaveLength(1);
  });

  test('each task input carries the state\'s Retry (error names, max attempts), the retry count and the state machine\'s name, for failure mail and events', () => {
    // GIVEN
    const stack = emptyStack();
    new GlueOrchestratedPipeline(stack, 'Pipeline', {
      steps: [
        PipelineStep.glueJob({ stepName: 'flaky', job: GlueJob.fromName('flaky'), retry: { errors: [StepErrors.JOB_FAILED], maxAttempts: 3 } }),
        PipelineStep.glueJob({ stepName: 'steady', job: GlueJob.fromName('steady') }),
      ],
    });
    // THEN
    const { States } = definitionOf(Template.fromStack(stack));
    expect(States.flaky.Parameters).toMatchObject({
      'retry': [{ errors: ['States.HeartbeatTimeout'], maxAttempts: 2 }, { errors: ['Glue.JobFailed'], maxAttempts: 3 }],
      'attempt.$': '$$.State.RetryCount',
      'redriveCount.$': '$$.Execution.RedriveCount',
      'pipelineName.$': '$$.StateMachine.Name',
    });
    expect(States.steady.Parameters?.retry).toEqual([{ errors: ['States.HeartbeatTimeout'], maxAttempts: 2 }]);
  });

  test('defaults: 2 attempts, 1 minute, backoff 2', () => {
    const stack = emptyStack();
    new GlueOrchestratedPipeline(stack, 'Pipeline', {
      steps: [PipelineStep.glueJob({ stepName: 's', job: GlueJob.fromName('s'), retry: { errors: ['States.ALL'] } })],
    });
    expect(definitionOf(Template.fromStack(stack)).States.s.Retry![1]).toEqual(
      { ErrorEquals: ['States.ALL'], IntervalSeconds: 60, MaxAttempts: 2, BackoffRate: 2 });
  });
});
