import { Fault } from '../../../simulator/local-aws/fault-proxy';
import { expectNothingLostOrDuplicated, jobOf, simulationPerTest, STEPS } from '../e2e-fixture';

/**
 * The runner process dies at each point of the start path, and on the check path between
 * reporting a success and removing its record. Every execution still completes, with exactly
 * one Glue run per task attempt and nothing left in the table.
 */
jest.setTimeout(90_000);

const sims = simulationPerTest();

test('GIVEN the runner dies after GetActivityTask, before any write WHEN the pipeline runs THEN the lost token times out, the state retries, and one run starts', async () => {
  // GIVEN the first tracking write never happens: the container dies as it sends it
  const sim = await sims.start({ faults: [{ service: 'dynamodb', op: 'PutItem', action: { kind: 'kill-caller' } }] });
  // WHEN
  const report = await sim.run({ maxSeconds: 3600 });
  // THEN the heartbeat timeout and the state's Retry dispatched extract again
  expect([report.status, report.error]).toEqual(['SUCCEEDED', undefined]);
  expect(sim.proxies.get('dynamodb')!.hits).toHaveLength(1);
  expect(report.states.find((s) => s.name === 'extract')!.retries).toBe(1);
  expect(sim.activity.tasks.filter((t) => t.stateName === 'extract').map((t) => t.error)).toEqual(['States.HeartbeatTimeout', undefined]);
  expect(sim.glue.runs.map((r) => r.jobName)).toEqual(STEPS.map(jobOf));
  await expectNothingLostOrDuplicated(sim);
});

test.each<[string, Fault]>([
  ['after the tracking write, before StartJobRun', { service: 'glue', op: 'StartJobRun', action: { kind: 'kill-caller' } }],
  ['after StartJobRun, before the run id is recorded', { service: 'glue', op: 'StartJobRun', action: { kind: 'kill-caller-after' } }],
  ['on the check path, after SendTaskSuccess, before the record is removed', { service: 'dynamodb', op: 'DeleteItem', action: { kind: 'kill-caller' } }],
])('GIVEN the runner dies %s WHEN the pipeline runs THEN a later cycle finishes the job: one run per task, no retry, nothing left', async (_point, fault) => {
  // GIVEN
  const sim = await sims.start({ faults: [fault] });
  // WHEN
  const report = await sim.run({ maxSeconds: 3600 });
  // THEN the fault struck, and the pipeline went on without losing or repeating anything
  expect(sim.proxies.get(fault.service)!.hits).toHaveLength(1);
  expect(sim.runners.invocations.filter((i) => i.crashed)).toHaveLength(1);
  expect([report.status, report.error]).toEqual(['SUCCEEDED', undefined]);
  expect(report.states.map((s) => s.retries)).toEqual([0, 0, 0]);
  expect(sim.glue.runs.map((r) => r.jobName)).toEqual(STEPS.map(jobOf));
  await expectNothingLostOrDuplicated(sim);
});
