import { jobOf, simulationPerTest } from './e2e-fixture';
import { JobRunState } from '../../simulator/local-aws/glue-service';

jest.setTimeout(60_000);

const sims = simulationPerTest();

describe.each<[JobRunState, string]>([
  ['FAILED', 'Glue.JobFailed'],
  ['TIMEOUT', 'Glue.JobTimeout'],
  ['ERROR', 'Glue.JobError'],
  ['STOPPED', 'Glue.JobStopped'],
  ['EXPIRED', 'Glue.JobExpired'],
])('GIVEN the transform run ends %s', (finalState, errorName) => {
  test(`WHEN the pipeline runs THEN the execution FAILS with ${errorName}, load never starts, and one mail carries Glue's message`, async () => {
    // GIVEN
    const message = `transform ended ${finalState}: row 42 has no order id`;
    const sim = await sims.start({
      jobs: { [jobOf('transform')]: { phases: [{ state: 'RUNNING', seconds: 90 }], finalState, errorMessage: message } },
    });
    // WHEN
    const report = await sim.run({ maxSeconds: 3600 });
    // THEN the execution fails with the runner's error name, never SUCCEEDED
    expect([report.status, report.error]).toEqual(['FAILED', errorName]);
    const cause = JSON.parse(report.cause!);
    const transformRun = sim.glue.runs.find((r) => r.jobName === jobOf('transform'))!;
    expect(cause).toEqual({ stepName: 'transform', jobName: jobOf('transform'), jobRunId: transformRun.id, state: finalState, message });
    // later steps never start
    expect(report.states.map((s) => s.name)).toEqual(['extract', 'transform']);
    expect(sim.glue.runs.map((r) => r.jobName)).toEqual([jobOf('extract'), jobOf('transform')]);
    // exactly one mail, with job name, run id, final state and Glue's message
    const mail = await sim.emails();
    expect(mail).toHaveLength(1);
    expect(mail[0].destination.to).toEqual(['data-team@example.com']);
    expect(mail[0].subject).toContain(`step transform failed: ${errorName} (attempt 1, not retried)`);
    for (const fact of [jobOf('transform'), transformRun.id, finalState, errorName, message]) {
      expect(mail[0].body.text).toContain(fact);
    }
    // and nothing left tracked
    expect(await sim.trackedRecords()).toBe(0);
  });
});

test('GIVEN StartJobRun refuses the first step WHEN the pipeline runs THEN the execution FAILS with Glue.StartFailed naming Glue\'s error', async () => {
  // GIVEN
  const sim = await sims.start({ jobs: { [jobOf('extract')]: { startErrors: ['EntityNotFoundException'] } } });
  // WHEN
  const report = await sim.run({ maxSeconds: 3600 });
  // THEN
  expect([report.status, report.error]).toEqual(['FAILED', 'Glue.StartFailed']);
  expect(JSON.parse(report.cause!).message).toContain('EntityNotFoundException');
  expect(sim.glue.runs).toEqual([]);
  expect(await sim.emails()).toHaveLength(1);
});
