import { Duration } from 'aws-cdk-lib';
import { expectNothingLostOrDuplicated, jobOf, simulate, STEPS, synthesizeToCloudAssembly } from './e2e-fixture';
import { Simulation } from '../../simulator/simulation';
import { GlueJob, PipelineStep, StepErrors } from '../../src';

jest.setTimeout(60_000);

let sim: Simulation | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

test('GIVEN transform retries on Glue.JobFailed and its first run fails WHEN the pipeline runs THEN a second run starts and the execution SUCCEEDS', async () => {
  // GIVEN
  const templateFile = synthesizeToCloudAssembly({
    steps: STEPS.map((step) => PipelineStep.glueJob({
      stepName: step,
      job: GlueJob.fromName(jobOf(step)),
      retry: step === 'transform' ? { errors: [StepErrors.JOB_FAILED], maxAttempts: 2, interval: Duration.minutes(1) } : undefined,
    })),
  });
  sim = await simulate(templateFile, {
    jobs: {
      [jobOf('transform')]: {
        phases: [{ state: 'RUNNING', seconds: 30 }],
        finalState: 'FAILED',
        errorMessage: 'transient source outage',
        next: { phases: [{ state: 'RUNNING', seconds: 30 }], finalState: 'SUCCEEDED' },
      },
    },
  });
  // WHEN
  const report = await sim.run({ maxSeconds: 3600 });
  // THEN
  expect([report.status, report.error]).toEqual(['SUCCEEDED', undefined]);
  expect(report.states.find((s) => s.name === 'transform')!.retries).toBe(1);
  const transformRuns = sim.glue.runs.filter((r) => r.jobName === jobOf('transform'));
  expect(transformRuns.map((r) => sim!.glue.stateOf(r))).toEqual(['FAILED', 'SUCCEEDED']);
  const results = (report.output as { results: Record<string, { jobRunId: string }> }).results;
  expect(results.transform.jobRunId).toBe(transformRuns[1].id);
  // The failed try still mailed the team, saying the step will be tried again.
  expect((await sim.emails()).map((m) => m.subject)).toEqual([expect.stringContaining('step transform failed: Glue.JobFailed (attempt 1, will be retried)')]);
  await expectNothingLostOrDuplicated(sim);
});

test('GIVEN no retry policy and a failing transform WHEN the pipeline runs THEN the execution fails on the first failure', async () => {
  sim = await simulate(synthesizeToCloudAssembly(), {
    jobs: { [jobOf('transform')]: { phases: [{ state: 'RUNNING', seconds: 30 }], finalState: 'FAILED', next: { finalState: 'SUCCEEDED' } } },
  });
  const report = await sim.run({ maxSeconds: 3600 });
  expect([report.status, report.error]).toEqual(['FAILED', 'Glue.JobFailed']);
  expect(sim.glue.runs.filter((r) => r.jobName === jobOf('transform'))).toHaveLength(1);
});
