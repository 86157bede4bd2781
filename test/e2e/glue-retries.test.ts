import { expectNothingLostOrDuplicated, jobOf, simulationPerTest } from './e2e-fixture';
import { EventDelivery } from '../../simulator/simulation';
import { CORRELATION_ARGUMENT } from '../../src/shared/contract';

jest.setTimeout(90_000);

/**
 * Glue's own retries (a job's MaxRetries): a failed run is run again by Glue as a new run with a
 * new id, `Attempt` one higher, `PreviousRunId` naming the failed run and the same arguments. The
 * step is the whole chain of attempts: it ends when the job's last attempt ends.
 */
const sims = simulationPerTest();

const TRANSFORM = jobOf('transform');
/** transform's job has MaxRetries 2 (read with GetJob: the steps name their jobs with GlueJob.fromName). */
const retried = (attemptStates: Array<'FAILED' | 'SUCCEEDED'>) => ({
  [TRANSFORM]: { phases: [{ state: 'RUNNING' as const, seconds: 90 }], maxRetries: 2, retryDelaySeconds: 20, errorMessage: 'row 42 has no order id', attemptStates },
});

describe.each<[string, false | EventDelivery]>([
  ['Glue\'s events reach the runner', { delaySeconds: 1 }],
  ['every event is lost (the sweep alone)', { deliver: () => false }],
])('GIVEN %s', (_label, events) => {
  test('AND transform\'s job has MaxRetries 2, its first two attempts fail and the third succeeds WHEN the pipeline runs THEN the execution SUCCEEDS with the third attempt\'s run, one StartJobRun per step and no mail', async () => {
    // GIVEN
    const sim = await sims.start({ jobs: retried(['FAILED', 'FAILED', 'SUCCEEDED']), events });
    // WHEN
    const report = await sim.run({ maxSeconds: 3600 });
    // THEN
    expect([report.status, report.error, report.cause]).toEqual(['SUCCEEDED', undefined, undefined]);
    const attempts = sim.glue.runs.filter((r) => r.jobName === TRANSFORM);
    expect(attempts.map((r) => [r.attempt, sim.glue.stateOf(r)])).toEqual([[0, 'FAILED'], [1, 'FAILED'], [2, 'SUCCEEDED']]);
    const results = (report.output as { results: Record<string, { jobRunId: string }> }).results;
    expect(results.transform.jobRunId).toBe(attempts[2].id);
    // the runner started each step's run once: Glue started the retries
    expect(sim.callsTo('glue', 'StartJobRun')).toHaveLength(3);
    expect(report.states.find((s) => s.name === 'transform')).toMatchObject({ status: 'SUCCEEDED', retries: 0 });
    // load started only once transform's last attempt succeeded
    const load = sim.glue.runs.find((r) => r.jobName === jobOf('load'))!;
    expect(load.startedAt).toBeGreaterThanOrEqual(sim.glue.endedAt(attempts[2])!);
    expect(await sim.emails()).toEqual([]);
    await expectNothingLostOrDuplicated(sim);
  });

  test('AND transform\'s job has MaxRetries 2 and all three attempts fail WHEN the pipeline runs THEN the execution FAILS once, after the third attempt ended, with its run, state and message, one mail, and no attempt left running', async () => {
    // GIVEN
    const sim = await sims.start({ jobs: retried(['FAILED', 'FAILED', 'FAILED']), events });
    // WHEN
    const report = await sim.run({ maxSeconds: 3600 });
    // THEN
    expect([report.status, report.error]).toEqual(['FAILED', 'Glue.JobFailed']);
    const attempts = sim.glue.runs.filter((r) => r.jobName === TRANSFORM);
    expect(attempts.map((r) => [r.attempt, sim.glue.stateOf(r)])).toEqual([[0, 'FAILED'], [1, 'FAILED'], [2, 'FAILED']]);
    expect(JSON.parse(report.cause!)).toEqual({
      stepName: 'transform', jobName: TRANSFORM, jobRunId: attempts[2].id, state: 'FAILED', message: 'row 42 has no order id',
    });
    expect(report.endedAt!).toBeGreaterThanOrEqual(sim.glue.endedAt(attempts[2])!);
    expect(sim.callsTo('sfn', 'SendTaskFailure')).toHaveLength(1);
    const mail = await sim.emails();
    expect(mail).toHaveLength(1);
    expect(mail[0].body.text).toContain(attempts[2].id);
    expect(sim.glue.runs.map((r) => r.jobName)).toEqual([jobOf('extract'), TRANSFORM, TRANSFORM, TRANSFORM]);
    await expectNothingLostOrDuplicated(sim);
    expect(sim.glue.runs.every((r) => sim.glue.endedAt(r) !== undefined)).toBe(true);
  });
});

test('GIVEN transform\'s first attempt failed and Glue has not started its retry yet WHEN the execution is stopped THEN the retry Glue starts afterwards is stopped too, and nothing is left running', async () => {
  // GIVEN attempt 0 fails at about 95 s after transform starts; Glue retries it 20 s later
  const sim = await sims.start({ jobs: retried(['FAILED', 'FAILED', 'SUCCEEDED']) });
  let stopAt: number | undefined;
  sim.glue.on('ended', (run) => {
    if (run.jobName === TRANSFORM && run.attempt === 0) {
      stopAt = sim.clock.now() + 5;
      // WHEN the execution is stopped between the attempts
      sim.clock.after(5, () => sim.stopExecutions());
    }
  });
  const report = await sim.run({ maxSeconds: 3600 });
  await sim.advance(10 * sim.pipeline.checkIntervalSeconds);
  // THEN
  expect(report.status).toBe('ABORTED');
  const attempts = sim.glue.runs.filter((r) => r.jobName === TRANSFORM);
  expect(attempts.map((r) => r.attempt)).toEqual([0, 1]);
  expect(attempts[1].startedAt).toBeGreaterThan(stopAt!);
  expect(attempts.map((r) => sim.glue.stateOf(r))).toEqual(['FAILED', 'STOPPED']);
  expect(attempts.every((r) => r.request.Arguments?.[CORRELATION_ARGUMENT] === attempts[0].request.Arguments?.[CORRELATION_ARGUMENT])).toBe(true);
  expect(await sim.emails()).toEqual([]);
  expect(await sim.trackedRecords()).toBe(0);
});
