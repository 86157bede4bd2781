import { expectNothingLostOrDuplicated, jobOf, simulationPerTest, STEPS } from './e2e-fixture';

jest.setTimeout(90_000);

/**
 * AWS does not document whether a task's `HeartbeatSeconds` clock starts when the state schedules
 * the task or when a worker takes it. These scenarios run the activity with the clock from
 * scheduling, the conservative reading, so a task taken late has less time before its first
 * heartbeat is due than the runner would plan from the moment it took it.
 */
const sims = simulationPerTest();

test('GIVEN heartbeat clocks that start at scheduling, and a first task taken four minutes late WHEN the pipeline runs THEN no task times out: the runner heartbeats as soon as it records a task', async () => {
  // GIVEN the execution's start event lost and ListExecutions lagging 200 s behind it, so the
  // first sweep to see the execution (at 240 s) takes its task; HeartbeatSeconds is 300 s at a
  // 1-minute interval, and extract runs 10 minutes
  const sim = await sims.start({
    activityClocks: 'scheduling',
    listExecutionsLagSeconds: 200,
    events: { deliver: () => false },
    jobs: { [jobOf('extract')]: { phases: [{ state: 'RUNNING', seconds: 600 }] } },
  });
  // WHEN
  const report = await sim.run({ maxSeconds: 3600 });
  // THEN the first task was taken late
  const [extract] = sim.activity.tasks;
  expect(extract.startedAt! - extract.scheduledAt).toBeGreaterThan(180);
  // and still no task timed out: one task and one run per step, no retry
  expect(sim.activity.tasks.map((t) => [t.stateName, t.status, t.error])).toEqual(STEPS.map((s) => [s, 'SUCCEEDED', undefined]));
  expect([report.status, report.error]).toEqual(['SUCCEEDED', undefined]);
  expect(report.states.map((s) => s.retries)).toEqual([0, 0, 0]);
  expect(sim.glue.runs.map((r) => r.jobName)).toEqual(STEPS.map(jobOf));
  // the first heartbeat went out within seconds of the task being taken
  const firstHeartbeat = sim.callsTo('sfn', 'SendTaskHeartbeat')[0];
  expect(firstHeartbeat.at - extract.startedAt!).toBeLessThan(10);
  await expectNothingLostOrDuplicated(sim);
});
