import { Simulation } from '../../../simulator/simulation';
import { expectNothingLostOrDuplicated, jobOf, simulationPerTest, STEPS } from '../e2e-fixture';

jest.setTimeout(90_000);

const sims = simulationPerTest();

/** Task tokens of every call of `op`, in order. */
function tokensSentWith(s: Simulation, op: string): string[] {
  return s.callsTo('sfn', op).map((c) => JSON.parse(c.body).taskToken as string);
}

test('GIVEN three runner invocations overlapping on every tick WHEN the pipeline runs THEN no run starts twice and no task is reported twice', async () => {
  // GIVEN the schedule, plus two more invocations at each tick (an event and a Lambda retry)
  const sim = await sims.start({ maxContainers: 6 });
  const extra = sim.clock.every(sim.pipeline.checkIntervalSeconds, () => {
    void sim.invokeRunner();
    void sim.invokeRunner();
  });
  // WHEN
  const report = await sim.run({ maxSeconds: 3600 });
  extra.cancel();
  // THEN
  expect(report.status).toBe('SUCCEEDED');
  expect(sim.runners.invocations.length).toBeGreaterThanOrEqual(9);
  expect(sim.glue.runs.map((r) => r.jobName)).toEqual(STEPS.map(jobOf));
  const successes = tokensSentWith(sim, 'SendTaskSuccess');
  expect(successes).toHaveLength(3);
  expect(new Set(successes).size).toBe(3);
  expect(tokensSentWith(sim, 'SendTaskFailure')).toEqual([]);
  await expectNothingLostOrDuplicated(sim);
});

describe.each(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken'])('GIVEN SendTaskHeartbeat answers %s for one execution\'s task', (errorType) => {
  test('WHEN two executions run THEN that record is closed and its run stopped, the other execution goes on, and both end', async () => {
    // GIVEN two executions; the second heartbeat sent for the first transform task is refused
    const sim = await sims.start({
      jobs: { [jobOf('transform')]: { phases: [{ state: 'RUNNING', seconds: 200 }], finalState: 'SUCCEEDED' } },
    });
    // (its first heartbeat goes out as it is recorded, before its run starts; the second is the
    // first of a heartbeat round, while the run is in flight)
    const firstTransform = () => sim.activity.tasks.find((t) => t.stateName === 'transform');
    let heartbeats = 0;
    sim.faults.push({
      service: 'sfn',
      op: 'SendTaskHeartbeat',
      action: { kind: 'error', type: errorType },
      when: (call) => JSON.parse(call.body).taskToken === firstTransform()?.token && ++heartbeats === 2,
    });
    // WHEN
    const [a, b] = await Promise.all([sim.run({ maxSeconds: 3600 }), sim.run({ maxSeconds: 3600 })]);
    // THEN the refused task's record was closed and its run stopped
    const refused = firstTransform()!;
    const stoppedRuns = sim.callsTo('glue', 'BatchStopJobRun').flatMap((c) => JSON.parse(c.body).JobRunIds as string[]);
    expect(stoppedRuns).toHaveLength(1);
    expect(sim.glue.stateOf(sim.glue.runs.find((r) => r.id === stoppedRuns[0])!)).toBe('STOPPED');
    // both executions still end: the refused one after its heartbeat timeout and a retry
    expect([a.status, b.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(refused.error).toBe('States.HeartbeatTimeout');
    expect([a, b].map((r) => r.states.find((s) => s.name === 'transform')!.retries).sort()).toEqual([0, 1]);
    await expectNothingLostOrDuplicated(sim);
  });
});
