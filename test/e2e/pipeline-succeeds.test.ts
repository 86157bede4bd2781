import { jobOf, simulationPerTest, STEPS } from './e2e-fixture';
import { tokenId } from '../../src/lambda/store/token-id';
import { CORRELATION_ARGUMENT } from '../../src/shared/contract';

jest.setTimeout(60_000);

const sims = simulationPerTest();

test('GIVEN three jobs that succeed WHEN the pipeline runs THEN the execution SUCCEEDS and its output carries each step result', async () => {
  // GIVEN
  const sim = await sims.start();
  // WHEN
  const report = await sim.run({ input: { runDate: '2026-11-24' }, maxSeconds: 3600 });
  // THEN
  expect([report.status, report.error]).toEqual(['SUCCEEDED', undefined]);
  const output = report.output as { runDate: string; results: Record<string, { jobRunId: string; state: string; jobName: string }> };
  expect(output.runDate).toBe('2026-11-24');
  expect(Object.keys(output.results)).toEqual([...STEPS]);
  for (const step of STEPS) {
    const run = sim.glue.runs.find((r) => r.jobName === jobOf(step))!;
    expect(output.results[step]).toMatchObject({ stepName: step, jobName: jobOf(step), jobRunId: run.id, state: 'SUCCEEDED' });
    // Only the declared arguments reach Glue, and the correlation argument naming the task.
    const task = sim.activity.tasks.find((t) => t.stateName === step)!;
    expect(run.request.Arguments).toEqual({ '--step': step, [CORRELATION_ARGUMENT]: tokenId(task.token) });
  }
  // One run per step, in order; no mail; every record closed.
  expect(sim.glue.runs.map((r) => r.jobName)).toEqual(STEPS.map(jobOf));
  expect(await sim.emails()).toEqual([]);
  expect(await sim.trackedRecords()).toBe(0);
});

test('GIVEN a run that WAITS for capacity then RUNS across several check cycles WHEN the pipeline runs THEN it is heartbeated and the step succeeds', async () => {
  // GIVEN transform stays in flight for 400 s, longer than its 300 s heartbeat timeout
  const sim = await sims.start({
    jobs: { [jobOf('transform')]: { phases: [{ state: 'WAITING', seconds: 200 }, { state: 'RUNNING', seconds: 200 }], finalState: 'SUCCEEDED' } },
  });
  // WHEN
  const report = await sim.run({ maxSeconds: 3600 });
  // THEN the task was kept alive by heartbeats (rounds go out every sweep or every other one at
  // this 1-minute interval), never re-dispatched
  expect(report.status).toBe('SUCCEEDED');
  const transformTasks = sim.activity.tasks.filter((t) => t.stateName === 'transform');
  expect(transformTasks).toHaveLength(1);
  expect(transformTasks[0].heartbeats).toBeGreaterThanOrEqual(3);
  expect(report.states.find((s) => s.name === 'transform')!.retries).toBe(0);
});

test('GIVEN a run of the same job started outside the pipeline, which fails WHEN the pipeline runs THEN the pipeline follows only its own run', async () => {
  // GIVEN a foreign transform run that fails fast, started before the pipeline's
  const sim = await sims.start();
  const foreign = sim.glue.startJobRun({ JobName: jobOf('transform') }, {
    phases: [{ state: 'RUNNING', seconds: 10 }], finalState: 'FAILED', errorMessage: 'foreign failure',
  });
  // WHEN
  const report = await sim.run({ maxSeconds: 3600 });
  // THEN
  expect(report.status).toBe('SUCCEEDED');
  const results = (report.output as { results: Record<string, { jobRunId: string }> }).results;
  expect(results.transform.jobRunId).not.toBe(foreign.JobRunId);
  expect(await sim.emails()).toEqual([]);
});
