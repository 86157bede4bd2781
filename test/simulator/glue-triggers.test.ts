import { EntityNotFoundException, GetTriggerCommand, GlueClient, StartTriggerCommand } from '@aws-sdk/client-glue';
import { ActivityService } from '../../simulator/local-aws/activity-service';
import { AwsJsonEndpoint } from '../../simulator/local-aws/aws-json-endpoint';
import { GlueService } from '../../simulator/local-aws/glue-service';
import { TriggerScript } from '../../simulator/local-aws/glue-triggers';
import { SimClock } from '../../simulator/sim-clock';

/** Trigger steps fire through this fake: a firing must start its jobs' runs, like any other run. */
let clock: SimClock;
beforeEach(() => {
  clock = new SimClock();
});

const withTriggers = (triggers: Record<string, TriggerScript>) => new GlueService(clock, {}, undefined, { triggers });

test('GIVEN an on-demand trigger with jobs WHEN started THEN it answers its name, starts a run of each job without arguments, and is recorded', () => {
  const glue = withTriggers({ nightly: { jobs: ['extract', 'load'] } });
  expect(glue.triggers.startTrigger('nightly')).toEqual({ Name: 'nightly' });
  expect(glue.runs.map((r) => [r.jobName, r.request.Arguments])).toEqual([['extract', undefined], ['load', undefined]]);
  expect(glue.triggers.firings).toEqual([{ triggerName: 'nightly', at: expect.any(Number), jobRunIds: glue.runs.map((r) => r.id) }]);
  expect(glue.triggers.getTrigger('nightly').Trigger).toEqual({ Name: 'nightly', Type: 'ON_DEMAND', State: 'CREATED', Actions: [{ JobName: 'extract' }, { JobName: 'load' }] });
  glue.dispose();
});

test('GIVEN a job that cannot start WHEN its trigger fires THEN the firing still succeeds, without that run', () => {
  const glue = new GlueService(clock, { extract: { startErrors: ['ConcurrentRunsExceededException'] } }, undefined, { triggers: { nightly: { jobs: ['extract', 'load'] } } });
  glue.triggers.startTrigger('nightly');
  expect(glue.runs.map((r) => r.jobName)).toEqual(['load']);
  glue.dispose();
});

test('GIVEN scripted start errors, a scheduled trigger and a missing one WHEN started THEN errors are thrown, the scheduled one is activated, not fired; unscripted names are on-demand triggers', () => {
  const glue = withTriggers({ flaky: { startErrors: ['ThrottlingException'] }, cron: { type: 'SCHEDULED' }, gone: { missing: true } });
  expect(() => glue.triggers.startTrigger('flaky')).toThrow(expect.objectContaining({ code: 'ThrottlingException' }));
  expect(glue.triggers.startTrigger('flaky')).toEqual({ Name: 'flaky' });
  expect(glue.triggers.getTrigger('cron').Trigger).toMatchObject({ Type: 'SCHEDULED', State: 'CREATED' });
  expect(glue.triggers.startTrigger('cron')).toEqual({ Name: 'cron' });
  expect(glue.triggers.getTrigger('cron').Trigger).toMatchObject({ Type: 'SCHEDULED', State: 'ACTIVATED' });
  expect(() => glue.triggers.startTrigger('gone')).toThrow(expect.objectContaining({ code: 'EntityNotFoundException' }));
  expect(() => glue.triggers.getTrigger('gone')).toThrow(expect.objectContaining({ code: 'EntityNotFoundException' }));
  expect(glue.triggers.startTrigger('anything')).toEqual({ Name: 'anything' });
  expect(glue.triggers.firings.map((f) => f.triggerName)).toEqual(['flaky', 'anything']);
});

test('GIVEN the endpoint WHEN the real Glue client drives triggers THEN the answers parse and errors come back typed', async () => {
  const glue = withTriggers({ nightly: { jobs: ['extract'] }, cron: { type: 'CONDITIONAL' }, gone: { missing: true } });
  const endpoint = new AwsJsonEndpoint(new ActivityService(clock), glue, { arn: 'arn:aws:states:us-east-1:111111111111:stateMachine:p', executions: () => [] });
  const client = new GlueClient({ endpoint: await endpoint.start(), region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  try {
    expect(await client.send(new StartTriggerCommand({ Name: 'nightly' }))).toMatchObject({ Name: 'nightly' });
    expect((await client.send(new GetTriggerCommand({ Name: 'nightly' }))).Trigger).toMatchObject({ Name: 'nightly', Type: 'ON_DEMAND', Actions: [{ JobName: 'extract' }] });
    expect(await client.send(new StartTriggerCommand({ Name: 'cron' }))).toMatchObject({ Name: 'cron' });
    await expect(client.send(new GetTriggerCommand({ Name: 'gone' }))).rejects.toBeInstanceOf(EntityNotFoundException);
    expect(glue.runs.map((r) => r.jobName)).toEqual(['extract']);
  } finally {
    client.destroy();
    glue.dispose();
    await endpoint.stop();
  }
});
