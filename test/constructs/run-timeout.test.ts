import { Duration } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import { GlueJob, PipelineStep } from '../../src';
import { definitionOf, synthPipeline } from '../support/pipeline-fixture';

const ROLE = 'arn:aws:iam::123456789012:role/glue';

describe('the run timeout Glue applies and the state\'s timeout agree', () => {
  test.each([
    { what: 'a job by name, no timeout', job: () => GlueJob.fromName('extract-orders'), timeout: undefined, minutes: 2_880 },
    { what: 'a job by name with a timeout', job: () => GlueJob.fromName('extract-orders'), timeout: Duration.minutes(90), minutes: 90 },
    { what: 'a job by name with the longest timeout', job: () => GlueJob.fromName('extract-orders'), timeout: Duration.minutes(10_079), minutes: 10_079 },
  ])('$what: Glue is told $minutes minutes', ({ job, timeout, minutes }) => {
    const { template } = synthPipeline({ steps: [PipelineStep.glueJob({ stepName: 'step', job: job(), timeout })] });
    const state = definitionOf(template).States.step;
    // THEN the run timeout is always passed to StartJobRun...
    expect(state.Parameters?.runTimeoutMinutes).toBe(minutes);
    // ...and the state outlives it
    expect(state.TimeoutSeconds).toBeGreaterThan(minutes * 60);
  });

  test.each([
    { glueVersion: '5.0', timeout: undefined, minutes: 480 },
    { glueVersion: '4.0', timeout: undefined, minutes: 2_880 },
    { glueVersion: undefined, timeout: undefined, minutes: 2_880 },
    { glueVersion: '5.0', timeout: 600, minutes: 600 },
  ])('a CfnJob of Glue $glueVersion with timeout $timeout runs with $minutes minutes', ({ glueVersion, timeout, minutes }) => {
    const { template } = synthPipeline((stack) => ({
      steps: [PipelineStep.glueJob({
        stepName: 'step',
        job: GlueJob.fromCfnJob(new glue.CfnJob(stack, 'Job', { name: 'job', role: ROLE, command: { name: 'glueetl' }, glueVersion, timeout })),
      })],
    }));
    const state = definitionOf(template).States.step;
    expect(state.Parameters?.runTimeoutMinutes).toBe(minutes);
    expect(state.TimeoutSeconds).toBeGreaterThan(minutes * 60);
  });
});

describe('Glue\'s own retries (a job\'s MaxRetries)', () => {
  test('GIVEN a CfnJob with maxRetries 2 WHEN synthesized THEN the task input tells the runner, and the state outlives three attempts of the run timeout', () => {
    // GIVEN
    const { template } = synthPipeline((stack) => ({
      steps: [PipelineStep.glueJob({
        stepName: 'step',
        job: GlueJob.fromCfnJob(new glue.CfnJob(stack, 'Job', { name: 'job', role: ROLE, command: { name: 'glueetl' }, timeout: 60, maxRetries: 2 })),
      })],
    }));
    // WHEN
    const state = definitionOf(template).States.step;
    // THEN
    expect(state.Parameters).toMatchObject({ maxRetries: 2, runTimeoutMinutes: 60 });
    expect(state.TimeoutSeconds).toBeGreaterThan(3 * 60 * 60);
  });

  test('GIVEN a job by name, or a CfnJob without maxRetries WHEN synthesized THEN the task input carries none: the runner asks Glue (GetJob) when a run fails', () => {
    const { template } = synthPipeline((stack) => ({
      steps: [
        PipelineStep.glueJob({ stepName: 'named', job: GlueJob.fromName('extract-orders') }),
        PipelineStep.glueJob({ stepName: 'defined', job: GlueJob.fromCfnJob(new glue.CfnJob(stack, 'Job', { name: 'job', role: ROLE, command: { name: 'glueetl' } })) }),
      ],
    }));
    const states = definitionOf(template).States;
    expect(states.named.Parameters).not.toHaveProperty('maxRetries');
    expect(states.defined.Parameters).not.toHaveProperty('maxRetries');
  });
});

describe('GlueJob.fromName with the job\'s MaxRetries', () => {
  test('GIVEN a job named with maxRetries 2 WHEN synthesized THEN the task input carries it and the state waits for three attempts', () => {
    const once = definitionOf(synthPipeline({ steps: [PipelineStep.glueJob({ stepName: 'j', job: GlueJob.fromName('j-job') })] }).template).States.j;
    const thrice = definitionOf(synthPipeline({ steps: [PipelineStep.glueJob({ stepName: 'j', job: GlueJob.fromName('j-job', { maxRetries: 2 }) })] }).template).States.j;
    expect(thrice.Parameters).toMatchObject({ maxRetries: 2 });
    expect(once.Parameters).not.toHaveProperty('maxRetries');
    expect(thrice.TimeoutSeconds! - once.TimeoutSeconds!).toBe(2 * 2_880 * 60);
  });

  test.each([-1, 1.5])('GIVEN maxRetries %p WHEN the job is named THEN it is refused, naming the job', (maxRetries) => {
    expect(() => GlueJob.fromName('j-job', { maxRetries })).toThrow(/glue job "j-job": maxRetries must be a whole number, 0 or more/);
  });
});
