import { jobOf, simulationPerTest, STEPS } from './e2e-fixture';
import { Simulation } from '../../simulator/simulation';

jest.setTimeout(90_000);

const sims = simulationPerTest();

/** Seconds from each step's run ending to the next step's run starting, in step order. */
function transitions(sim: Simulation): number[] {
  const runs = STEPS.map((step) => sim.glue.runs.find((r) => r.jobName === jobOf(step))!);
  return runs.slice(1).map((run, i) => run.startedAt - sim.glue.endedAt(runs[i])!);
}

const POLL_SECONDS = 60;

test('GIVEN Glue and execution events WHEN the pipeline runs THEN each next step starts within seconds of the run before it ending', async () => {
  // GIVEN events delivered 1 s after the change (a 1-minute schedule still sweeps), and a warm
  // container (a node process's start takes its real time, as a cold start does)
  const sim = await sims.start({ events: { delaySeconds: 1 } });
  await sim.invokeRunner();
  // WHEN
  const report = await sim.run({ maxSeconds: 3600 });
  // THEN
  expect(report.status).toBe('SUCCEEDED');
  const gaps = transitions(sim);
  expect(gaps).toHaveLength(2);
  gaps.forEach((gap) => expect(gap).toBeLessThan(10));
  // the first task too, from the moment its execution started
  const started = sim.events.find((e) => e.event['detail-type'] === 'Step Functions Execution Status Change')!;
  expect(sim.glue.runs[0].startedAt - started.at).toBeLessThan(10);
  // Glue's end events reached the runner, which reported both successes from them
  const reported = sim.runners.invocations.map((i) => i.result as { ended?: { outcomes: string[] } } | undefined)
    .filter((r) => r?.ended?.outcomes.includes('succeeded'));
  expect(reported).toHaveLength(3);
  expect(sim.events.filter((e) => e.event['detail-type'] === 'Glue Job State Change').map((e) => e.event.detail.state)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
});

test('GIVEN every event lost WHEN the pipeline runs THEN the sweep carries it: each next step starts within one schedule period of the run before it ending', async () => {
  // GIVEN
  const sim = await sims.start({ events: { deliver: () => false } });
  // WHEN
  const report = await sim.run({ maxSeconds: 3600 });
  // THEN
  expect(report.status).toBe('SUCCEEDED');
  expect(sim.events.length).toBeGreaterThanOrEqual(4);
  expect(sim.events.every((e) => !e.delivered)).toBe(true);
  const gaps = transitions(sim);
  gaps.forEach((gap) => expect(gap).toBeLessThanOrEqual(sim.pipeline.checkIntervalSeconds + 5));
  expect(sim.runners.invocations.every((i) => (i.result as { trigger?: string } | undefined)?.trigger !== 'work-ended')).toBe(true);
});

test('GIVEN each Glue event delivered twice WHEN the pipeline runs THEN every run is reported once and started once', async () => {
  // GIVEN a second delivery of every event (EventBridge delivers at least once)
  const sim = await sims.start({ events: { delaySeconds: 1 } });
  sim.glue.on('ended', (run, state) => sim.clock.after(1, () => void sim.runners.invoke({
    'source': 'aws.glue', 'detail-type': 'Glue Job State Change', 'detail': { jobName: run.jobName, jobRunId: run.id, state },
  })));
  // WHEN
  const report = await sim.run({ maxSeconds: 3600 });
  // THEN
  expect(report.status).toBe('SUCCEEDED');
  expect(sim.glue.runs.map((r) => r.jobName)).toEqual(STEPS.map(jobOf));
  expect(sim.callsTo('sfn', 'SendTaskSuccess')).toHaveLength(3);
  expect(sim.activity.tasks.every((t) => t.status === 'SUCCEEDED')).toBe(true);
  expect(await sim.trackedRecords()).toBe(0);
});

test('GIVEN nothing running WHEN the schedule invokes the runner THEN no invocation long-polls: each ends in a fraction of a poll', async () => {
  // GIVEN
  const sim = await sims.start();
  // WHEN five sweeps pass
  await sim.advance(5 * sim.pipeline.checkIntervalSeconds + 1);
  // THEN
  const sweeps = sim.runners.invocations;
  expect(sweeps.length).toBeGreaterThanOrEqual(5);
  expect(sim.callsTo('sfn', 'GetActivityTask')).toEqual([]);
  expect(sim.callsTo('sfn', 'ListExecutions').length).toBe(sweeps.length);
  sweeps.forEach((i) => expect([i.ok, i.endedAt! - i.startedAt < POLL_SECONDS / 2]).toEqual([true, true]));
});

test('GIVEN a pipeline that ends WHEN its last step is reported THEN the runner does not wait for a next task, then or later', async () => {
  // GIVEN
  const sim = await sims.start({ events: { delaySeconds: 1 } });
  type Result = { ended?: { runId?: string; outcomes: string[] }; check?: { succeeded: number }; start: { polls: number } } | undefined;
  const results = () => sim.runners.invocations.map((i) => i.result as Result);
  // WHEN
  await sim.run({ maxSeconds: 3600 });
  const afterEnd = sim.runners.invocations.length;
  await sim.advance(2 * sim.pipeline.checkIntervalSeconds);
  // THEN the invocation that reported the last run made no poll, nor did any sweep after the end.
  // Its event is the reporter, unless a sweep fell between the run's end and the event: then that sweep.
  const lastRun = sim.glue.runs[sim.glue.runs.length - 1];
  const reporter = results().find((r) => r?.ended?.runId === lastRun.id && r.ended.outcomes.includes('succeeded'))
    ?? results().slice(0, afterEnd).filter((r) => (r?.check?.succeeded ?? 0) > 0).pop();
  expect(reporter).toBeDefined();
  expect(reporter?.start.polls).toBe(0);
  const later = results().slice(afterEnd);
  expect(later.length).toBeGreaterThanOrEqual(1);
  later.forEach((r) => expect(r?.start.polls).toBe(0));
});

describe.each([['ERROR', 'Glue.JobError'], ['EXPIRED', 'Glue.JobExpired']] as const)('GIVEN the transform run ends %s (Glue sends no "Glue Job State Change" for it)', (finalState, errorName) => {
  test(`WHEN the pipeline runs with events THEN no event comes for that run, and a sweep fails the step with ${errorName} within one schedule period`, async () => {
    // GIVEN events delivered 1 s after each change Glue announces
    const sim = await sims.start({
      events: { delaySeconds: 1 },
      jobs: { [jobOf('transform')]: { phases: [{ state: 'RUNNING', seconds: 90 }], finalState, errorMessage: `transform ended ${finalState}` } },
    });
    // WHEN
    const report = await sim.run({ maxSeconds: 3600 });
    // THEN the step still ends, with the state's error name
    expect([report.status, report.error]).toEqual(['FAILED', errorName]);
    // Glue announced extract's end only
    const glueEvents = sim.events.filter((e) => e.event['detail-type'] === 'Glue Job State Change');
    expect(glueEvents.map((e) => e.event.detail.state)).toEqual(['SUCCEEDED']);
    // the runner heard of transform's end from a sweep, within one interval of it
    const transformRun = sim.glue.runs.find((r) => r.jobName === jobOf('transform'))!;
    const results = sim.runners.invocations.map((i) => i.result as { trigger?: string; ended?: { runId?: string } } | undefined);
    expect(results.some((r) => r?.ended?.runId === transformRun.id)).toBe(false);
    const failures = sim.callsTo('sfn', 'SendTaskFailure');
    expect(failures).toHaveLength(1);
    expect(failures[0].at - sim.glue.endedAt(transformRun)!).toBeLessThanOrEqual(sim.pipeline.checkIntervalSeconds + 5);
  });
});
