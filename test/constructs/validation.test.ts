import { Duration, Token } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import { GlueJob, GlueJobStepProps, GlueOrchestratedPipeline, PipelineStep, WorkerType } from '../../src';
import { emptyStack } from '../support/pipeline-fixture';

const job = GlueJob.fromName('my-job');
const step = (props: Partial<GlueJobStepProps>) => PipelineStep.glueJob({ job, ...props });

describe('synth-time validation', () => {
  test('an empty steps list', () => {
    expect(() => new GlueOrchestratedPipeline(emptyStack(), 'P', { steps: [] }))
      .toThrow(/steps is empty: a pipeline needs at least one step/);
  });

  test('duplicate step names, named in the error', () => {
    expect(() => new GlueOrchestratedPipeline(emptyStack(), 'P', {
      steps: [step({ stepName: 'load' }), step({ stepName: 'load' })],
    })).toThrow(/step name "load" is used more than once; give each step a unique stepName/);
  });

  test('the same job twice without step names collides on the default name', () => {
    expect(() => new GlueOrchestratedPipeline(emptyStack(), 'P', { steps: [step({}), step({})] }))
      .toThrow(/step name "my_job" is used more than once/);
  });

  test.each([
    ['day', /argument key "day" must start with "--" followed by a name, e.g. "--day"/],
    ['-day', /argument key "-day" must start with "--"/],
    ['--', /argument key "--" must start with "--" followed by a name/],
  ])('argument key %s without a -- prefix', (key, message) => {
    expect(() => step({ arguments: { [key]: 'x' } })).toThrow(message);
  });

  test.each(['--conf', '--debug', '--mode', '--JOB_NAME', '--glue-orchestrated-pipeline-task'])('argument key %s reserved by Glue or the pipeline', (key) => {
    expect(() => step({ stepName: 's', arguments: { [key]: 'x' } }))
      .toThrow(new RegExp(`step "s": argument key "${key}" is reserved`));
  });

  test('a non-string argument value (from a language without static types)', () => {
    expect(() => step({ arguments: { '--n': 5 as unknown as string } })).toThrow(/argument "--n" must be a string, got number/);
  });

  test('maxCapacity combined with worker settings', () => {
    expect(() => step({ stepName: 's', maxCapacity: 2, workerType: WorkerType.G_1X, numberOfWorkers: 2 }))
      .toThrow(/step "s": maxCapacity \(2\) cannot be combined with workerType\/numberOfWorkers/);
    expect(() => step({ maxCapacity: 2, numberOfWorkers: 2 })).toThrow(/cannot be combined/);
  });

  test('workerType without numberOfWorkers and the reverse', () => {
    expect(() => step({ workerType: WorkerType.G_1X })).toThrow(/workerType and numberOfWorkers go together.*numberOfWorkers=undefined/);
    expect(() => step({ numberOfWorkers: 3 })).toThrow(/workerType and numberOfWorkers go together.*workerType=undefined/);
  });

  test.each([0, -1, 2.5])('numberOfWorkers %p is not a positive whole number', (n) => {
    expect(() => step({ workerType: WorkerType.G_1X, numberOfWorkers: n }))
      .toThrow(new RegExp(`numberOfWorkers must be a positive whole number, got ${n}`));
  });

  test.each([0, -0.5])('maxCapacity %p is not positive', (n) => {
    expect(() => step({ maxCapacity: n })).toThrow(new RegExp(`maxCapacity must be a positive number, got ${n}`));
  });

  test.each([
    [Duration.seconds(90), '1 minute 30 seconds'],
    [Duration.minutes(0), '0 minutes'],
    [Duration.days(7), '7 days'],
  ])('run timeout %p', (timeout, shown) => {
    expect(() => step({ timeout })).toThrow(new RegExp(`timeout must be a whole number of minutes from 1 to 10079, got ${shown}`));
  });

  test('a run timeout that is a token (it would reach neither Glue nor the state\'s timeout)', () => {
    expect(() => step({ stepName: 'load', timeout: Duration.minutes(Token.asNumber({ Ref: 'Minutes' })) }))
      .toThrow(/step "load": timeout must be a concrete duration, not a token/);
    expect(step({ timeout: Duration.days(7).minus(Duration.minutes(1)) }).runTimeoutMinutes).toBe(10_079);
  });

  test.each(['has space', '1starts_with_digit', 'dash-ed', 'x'.repeat(65)])('step name %p', (name) => {
    expect(() => step({ stepName: name })).toThrow(new RegExp(`step name "${name}" is not valid`));
  });

  test('a job name Glue would refuse', () => {
    expect(() => GlueJob.fromName('bad/name')).toThrow(/glue job name "bad\/name" is not valid/);
  });

  test('a worker type that is not one', () => {
    expect(() => WorkerType.of('big')).toThrow(/worker type "big" is not a Glue worker type name/);
    expect(WorkerType.of('G.12X').name).toBe('G.12X');
  });

  test.each([
    [Duration.seconds(30), '30 seconds'],
    [Duration.seconds(90), '1 minute 30 seconds'],
  ])('check interval %p', (checkInterval, shown) => {
    expect(() => new GlueOrchestratedPipeline(emptyStack(), 'P', { steps: [step({})], checkInterval }))
      .toThrow(new RegExp(`checkInterval must be a whole number of minutes, at least 1, got ${shown}`));
  });

  test('failure email sender that is not an address', () => {
    expect(() => new GlueOrchestratedPipeline(emptyStack(), 'P', {
      steps: [step({})], failureEmail: { sender: 'pipelines', recipients: ['a@example.com'] },
    })).toThrow(/failure email sender "pipelines" is not an email address/);
  });

  test('failure email without recipients, or with a bad one', () => {
    expect(() => new GlueOrchestratedPipeline(emptyStack(), 'P', {
      steps: [step({})], failureEmail: { sender: 'p@example.com', recipients: [] },
    })).toThrow(/failure email has no recipients/);
    expect(() => new GlueOrchestratedPipeline(emptyStack(), 'P', {
      steps: [step({})], failureEmail: { sender: 'p@example.com', recipients: ['team'] },
    })).toThrow(/failure email recipient "team" is not an email address/);
  });

  test('tokens are accepted where only the deployment knows the value', () => {
    const stack = emptyStack();
    expect(() => new GlueOrchestratedPipeline(stack, 'P', {
      steps: [PipelineStep.glueJob({
        stepName: 'tokens',
        job: GlueJob.fromName(Token.asString({ Ref: 'JobNameParam' })),
        workerType: WorkerType.G_1X,
        numberOfWorkers: Token.asNumber({ Ref: 'Workers' }),
      })],
    })).not.toThrow();
  });
});

describe('retry policy validation', () => {
  test.each<[Partial<GlueJobStepProps['retry']>, RegExp]>([
    [{ errors: [] }, /retry.errors must list at least one error name/],
    [{ errors: ['Glue.JobFailed'], maxAttempts: 0 }, /retry.maxAttempts must be a whole number from 1 to 99999999, got 0/],
    [{ errors: ['Glue.JobFailed'], backoffRate: 0.5 }, /retry.backoffRate must be at least 1, got 0.5/],
    [{ errors: ['Glue.JobFailed'], interval: Duration.millis(1500) }, /retry.interval must be a whole number of seconds, at least 1/],
  ])('%p', (retry, message) => {
    expect(() => step({ stepName: 's', retry: retry as GlueJobStepProps['retry'] })).toThrow(message);
  });
});

describe('retry error names a step can never fail with', () => {
  test('GIVEN a job step retrying on "Glue.JobFailure" WHEN created THEN the error names it and suggests Glue.JobFailed', () => {
    expect(() => step({ stepName: 's', retry: { errors: ['Glue.JobFailure'] } }))
      .toThrow(/step "s": retry.errors has "Glue.JobFailure", which a glue-job step never fails with, so the retry could never match; did you mean "Glue.JobFailed"\?/);
  });

  test('GIVEN a crawler step retrying on a job\'s error WHEN created THEN the error lists what a crawler step fails with', () => {
    expect(() => PipelineStep.glueCrawler({ crawlerName: 'raw', retry: { errors: ['Glue.JobFailed'] } }))
      .toThrow(/retry.errors has "Glue.JobFailed", which a glue-crawler step never fails with.*A glue-crawler step fails with Glue.CrawlerFailed, Glue.CrawlerCancelled/);
  });

  test('GIVEN a made-up States error WHEN created THEN it is refused', () => {
    expect(() => step({ stepName: 's', retry: { errors: ['States.Everything'] } })).toThrow(/retry.errors has "States.Everything"/);
  });

  test.each([
    ['glue-job', () => step({ retry: { errors: ['Glue.JobFailed', 'Glue.JobTimeout', 'Glue.StartFailed', 'States.HeartbeatTimeout'] } })],
    ['glue-crawler', () => PipelineStep.glueCrawler({ crawlerName: 'raw', retry: { errors: ['Glue.CrawlerFailed', 'States.ALL'] } })],
    ['glue-trigger', () => PipelineStep.glueTrigger({ triggerName: 't', retry: { errors: ['Glue.StartFailed', 'States.Timeout'] } })],
    ['glue-workflow', () => PipelineStep.glueWorkflow({ workflowName: 'w', retry: { errors: ['Glue.WorkflowActionsFailed', 'States.TaskFailed'] } })],
  ])('GIVEN a %s step retrying on errors it can fail with WHEN created THEN it is accepted', (_kind, make) => {
    expect(make).not.toThrow();
  });
});

describe('dependsOn naming a Glue resource instead of its step', () => {
  test('GIVEN dependsOn "extract-orders", the job of step extract_orders WHEN created THEN the error gives the step name to use', () => {
    expect(() => step({ stepName: 'load', dependsOn: ['extract-orders'] }))
      .toThrow(/step "load": dependsOn entry "extract-orders" is not a step name.*a step named after Glue resource "extract-orders" is called "extract_orders" unless it sets stepName/);
  });
});

describe('Glue resources defined in the app, named by their ref', () => {
  test('GIVEN two crawler steps named by CfnCrawler refs WHEN the pipeline is made THEN each step is named after its crawler, and they do not collide', () => {
    // GIVEN
    const stack = emptyStack();
    const props = { role: 'arn:aws:iam::123456789012:role/glue', targets: {} };
    const raw = new glue.CfnCrawler(stack, 'RawCrawler', { ...props, name: 'raw-orders' });
    const curated = new glue.CfnCrawler(stack, 'CuratedCrawler', props);
    // WHEN
    const steps = [PipelineStep.glueCrawler({ crawlerName: raw.ref }), PipelineStep.glueCrawler({ crawlerName: curated.ref })];
    new GlueOrchestratedPipeline(stack, 'Pipeline', { steps: steps });
    // THEN the named crawler gives its name; the unnamed one its construct id
    expect(steps.map((s) => s.stepName)).toEqual(['raw_orders', 'CuratedCrawler']);
  });

  test('GIVEN a workflow and a trigger named by their refs WHEN created THEN each step is named after its resource', () => {
    const stack = emptyStack();
    const workflow = new glue.CfnWorkflow(stack, 'Reporting', { name: 'reporting-wf' });
    const trigger = new glue.CfnTrigger(stack, 'Notify', { type: 'ON_DEMAND', actions: [{ jobName: 'notify' }] });
    expect(PipelineStep.glueWorkflow({ workflowName: workflow.ref }).stepName).toBe('reporting_wf');
    expect(PipelineStep.glueTrigger({ triggerName: trigger.ref }).stepName).toBe('Notify');
  });
});
