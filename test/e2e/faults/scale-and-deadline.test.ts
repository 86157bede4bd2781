import { Invocation } from '../../../simulator/runner-pool';
import { Simulation } from '../../../simulator/simulation';
import { simulationPerTest } from '../e2e-fixture';

jest.setTimeout(180_000);

const BULK_JOB = 'bulk-job';
/**
 * The HeartbeatSeconds of the bulk tasks: the state's at a 1-minute check interval (2
 * intervals + the runner's 3 minutes), from which the runner plans its heartbeat rounds.
 */
const HEARTBEAT_SECONDS = 300;

const sims = simulationPerTest();

/** A valid task input for one long run of the bulk job, as the state machine would send. */
function bulkInput(n: number): string {
  return JSON.stringify({
    version: 2,
    kind: 'glue-job',
    stepName: `bulk_${n}`,
    jobName: BULK_JOB,
    arguments: { '--part': String(n) },
    taskTimeoutSeconds: 100_000,
    heartbeatSeconds: HEARTBEAT_SECONDS,
    executionId: `arn:aws:states:us-east-1:123456789012:execution:bulk:${n}`,
  });
}

/**
 * Puts `n` runs in flight: `n` tasks on the activity, each of its own running execution, and
 * runner invocations until all have started. Then lets 70 s pass, so the next sweep finds a
 * heartbeat round due.
 */
async function fillInFlight(s: Simulation, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    void s.scheduleTask(`bulk_${i}`, bulkInput(i), HEARTBEAT_SECONDS, 100_000).catch(() => undefined);
  }
  for (let i = 0; i < 20 && s.glue.runs.length < n; i++) {
    await s.invokeRunner();
  }
  expect(s.glue.runs).toHaveLength(n);
  await s.advance(70);
}

type Summary = { check: Record<string, number>; start: { polled: number; outOfTime: boolean } };

test('GIVEN 800 runs in flight, more than one table page holds WHEN the runner runs once THEN every run is checked in that one cycle', async () => {
  // GIVEN (schedule off: only the invocations this test makes)
  const sim = await sims.start({
    schedule: false,
    jobs: { [BULK_JOB]: { phases: [{ state: 'RUNNING', seconds: 1_000_000 }], finalState: 'SUCCEEDED' } },
  });
  await fillInFlight(sim, 800);
  // WHEN
  const cycle = await sim.invokeRunner();
  // THEN
  const summary = cycle.result as Summary;
  expect(cycle.ok).toBe(true);
  expect(summary.check.pages).toBeGreaterThanOrEqual(2);
  expect(summary.check.heartbeat).toBe(800);
  expect(summary.check.error).toBe(0);
  expect(new Set(sim.activity.tasks.filter((t) => t.heartbeats > 0).map((t) => t.token)).size).toBe(800);
});

test('GIVEN a check phase slowed to outlast the function WHEN the runner runs THEN it stops taking records in time, starts no long poll it cannot finish, and is not killed', async () => {
  // GIVEN 300 runs in flight, then every heartbeat held 10 simulated seconds (less than the 15 s
  // the check keeps back, as any one call should be): 19 batches of 16 at once, about 190 s of checks
  const total = 300;
  const sim = await sims.start({
    schedule: false,
    jobs: { [BULK_JOB]: { phases: [{ state: 'RUNNING', seconds: 1_000_000 }], finalState: 'SUCCEEDED' } },
  });
  await fillInFlight(sim, total);
  sim.faults.push({ service: 'sfn', op: 'SendTaskHeartbeat', action: { kind: 'delay', seconds: 10 }, times: 10_000 });
  // and one more execution's task pending, so the start phase expects a task and wants to poll
  void sim.scheduleTask('late', bulkInput(999), HEARTBEAT_SECONDS, 100_000).catch(() => undefined);
  const pollsBefore = sim.callsTo('sfn', 'GetActivityTask').length;
  // WHEN
  const cycle: Invocation = await sim.invokeRunner();
  // THEN it ended by itself, having postponed what did not fit
  const summary = cycle.result as Summary;
  expect([cycle.ok, cycle.timedOut]).toEqual([true, undefined]);
  expect(summary.check.postponed).toBeGreaterThan(0);
  expect(summary.check.heartbeat + summary.check.postponed).toBe(total);
  expect(summary.start.outOfTime).toBe(true);
  // and no long poll began less than a full poll before its deadline
  const deadline = cycle.startedAt + sim.pipeline.runnerTimeoutSeconds;
  const polls = sim.callsTo('sfn', 'GetActivityTask').slice(pollsBefore);
  expect(polls.every((p) => p.at <= deadline - 60)).toBe(true);
});
