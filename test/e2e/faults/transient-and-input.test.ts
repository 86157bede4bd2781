import { TaskFailedError } from '../../../simulator/local-aws/activity-service';
import { expectNothingLostOrDuplicated, jobOf, simulationPerTest, STEPS } from '../e2e-fixture';

jest.setTimeout(90_000);

const sims = simulationPerTest();

test('GIVEN StartJobRun refuses with ConcurrentRunsExceeded and throttling WHEN the pipeline runs THEN the step waits, heartbeating, and starts once the job is free', async () => {
  // GIVEN transform is refused three times, over several minutes of back-off
  const sim = await sims.start({
    jobs: { [jobOf('transform')]: { startErrors: ['ConcurrentRunsExceededException', 'ThrottlingException', 'ConcurrentRunsExceededException'] } },
  });
  // WHEN
  const report = await sim.run({ maxSeconds: 3600 });
  // THEN it never failed for a transient reason, and its token was kept alive meanwhile
  expect([report.status, report.error]).toEqual(['SUCCEEDED', undefined]);
  const refusals = sim.callsTo('glue', 'StartJobRun').filter((c) => JSON.parse(c.body).JobName === jobOf('transform'));
  expect(refusals.length).toBeGreaterThanOrEqual(4);
  const transform = sim.activity.tasks.filter((t) => t.stateName === 'transform');
  expect(transform).toHaveLength(1);
  expect(transform[0].heartbeats).toBeGreaterThanOrEqual(2);
  expect(sim.glue.runs.map((r) => r.jobName)).toEqual(STEPS.map(jobOf));
  await expectNothingLostOrDuplicated(sim);
});

test('GIVEN GetJobRun and SendTaskSuccess are throttled WHEN the pipeline runs THEN the calls are retried and the pipeline succeeds', async () => {
  // GIVEN
  const sim = await sims.start({
    faults: [
      { service: 'glue', op: 'GetJobRun', action: { kind: 'error', type: 'ThrottlingException', message: 'Rate exceeded' }, times: 6 },
      { service: 'sfn', op: 'SendTaskSuccess', action: { kind: 'error', type: 'ThrottlingException', message: 'Rate exceeded' }, times: 4 },
    ],
  });
  // WHEN
  const report = await sim.run({ maxSeconds: 3600 });
  // THEN every throttle was met, and none failed a step
  expect(sim.proxies.get('glue')!.hits).toHaveLength(6);
  expect(sim.proxies.get('sfn')!.hits).toHaveLength(4);
  expect([report.status, report.error]).toEqual(['SUCCEEDED', undefined]);
  await expectNothingLostOrDuplicated(sim);
});

test.each([
  ['not JSON', 'this is not json', 'task input is not JSON'],
  ['no job name', JSON.stringify({ version: 2, kind: 'glue-job', stepName: 'x', taskTimeoutSeconds: 600, heartbeatSeconds: 300, executionId: 'e' }), 'task input has no jobName'],
  ['a non-string argument', JSON.stringify({ version: 2, kind: 'glue-job', stepName: 'x', jobName: 'j', arguments: { '--n': 5 }, taskTimeoutSeconds: 600, heartbeatSeconds: 300, executionId: 'e' }), 'argument "--n" must be a string, got number'],
])('GIVEN a task whose input has %s WHEN the runner takes it THEN it fails with Pipeline.InvalidInput, and the pipeline beside it is untouched', async (_what, input, message) => {
  // GIVEN a bad task on the pipeline's activity, next to a normal execution
  const sim = await sims.start();
  const bad = sim.activity.schedule(sim.pipeline.activityArn, 'foreign', input, 300, 3600).then(() => undefined, (e: TaskFailedError) => e);
  // WHEN
  const [report, failure] = await Promise.all([sim.run({ maxSeconds: 3600 }), bad]);
  // THEN
  expect(failure).toMatchObject({ name: 'Pipeline.InvalidInput' });
  expect(JSON.parse(failure!.cause).message).toBe(message);
  expect(report.status).toBe('SUCCEEDED');
  expect(sim.glue.runs.map((r) => r.jobName)).toEqual(STEPS.map(jobOf));
  await expectNothingLostOrDuplicated(sim);
});

test('GIVEN an execution stopped while its Glue run is in flight WHEN the runner next checks THEN the run is stopped and its record closed', async () => {
  // GIVEN a long transform run
  const sim = await sims.start({
    jobs: { [jobOf('transform')]: { phases: [{ state: 'RUNNING', seconds: 1200 }], finalState: 'SUCCEEDED' } },
  });
  const transformStarted = new Promise<void>((resolve) => sim.glue.on('run', (run) => run.jobName === jobOf('transform') && resolve()));
  const running = sim.run({ maxSeconds: 3600 });
  await transformStarted;
  // WHEN the execution is stopped a minute into the run
  await sim.clock.sleep(60);
  sim.stopExecutions();
  const report = await running;
  await sim.advance(3 * sim.pipeline.checkIntervalSeconds);
  // THEN
  expect(report.status).toBe('ABORTED');
  const transformRun = sim.glue.runs.find((r) => r.jobName === jobOf('transform'))!;
  expect(sim.glue.stateOf(transformRun)).toBe('STOPPED');
  expect(sim.callsTo('glue', 'BatchStopJobRun').map((c) => JSON.parse(c.body).JobRunIds)).toEqual([[transformRun.id]]);
  expect(await sim.trackedRecords()).toBe(0);
});
