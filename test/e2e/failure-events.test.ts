import { Duration } from 'aws-cdk-lib';
import { jobOf, simulate, STEPS, synthesizeToCloudAssembly } from './e2e-fixture';
import { SIM_REGION } from '../../simulator/pipeline-template';
import { Simulation } from '../../simulator/simulation';
import { GlueJob, PipelineStep, StepErrors } from '../../src';
import { FAILURE_EVENT_NOT_SENT, RunnerEnv } from '../../src/shared/contract';
import { PIPELINE_EVENT_SOURCE, PipelineEventTypes } from '../../src/shared/operations';
import type { StepFailedDetail } from '../../src/shared/pipeline-events';

jest.setTimeout(60_000);

const PIPELINE_NAME = 'nightly-orders';

let sim: Simulation | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

/** The example pipeline, named, with transform retried `maxAttempts` times on Glue.JobFailed (or not at all). */
function pipeline(maxAttempts?: number): string {
  return synthesizeToCloudAssembly({
    stateMachineName: PIPELINE_NAME,
    steps: STEPS.map((step) => PipelineStep.glueJob({
      stepName: step,
      job: GlueJob.fromName(jobOf(step)),
      retry: step === 'transform' && maxAttempts ? { errors: [StepErrors.JOB_FAILED], maxAttempts, interval: Duration.minutes(1), backoffRate: 1 } : undefined,
    })),
  });
}

/** A job whose every run ends FAILED with `message` after a minute. */
const alwaysFails = (message: string) => ({ phases: [{ state: 'RUNNING' as const, seconds: 60 }], finalState: 'FAILED' as const, errorMessage: message });

function failureEvents(s: Simulation): StepFailedDetail[] {
  return s.pipelineEvents.map((e) => {
    expect(e).toMatchObject({ eventBusName: 'default', source: PIPELINE_EVENT_SOURCE, detailType: PipelineEventTypes.STEP_FAILED });
    return e.detail as StepFailedDetail;
  });
}

/** A console link as the consoles take it: https, the region's console host, the region in the query. */
function expectConsoleLink(link: string | undefined, path: string, fragment: string) {
  const url = new URL(link!);
  expect([url.protocol, url.host, url.pathname, url.searchParams.get('region')]).toEqual(['https:', `${SIM_REGION}.console.aws.amazon.com`, path, SIM_REGION]);
  expect(url.hash).toBe(`#${fragment}`);
}

test('GIVEN a step that fails with no retry WHEN the pipeline runs THEN one failure event with every field and console links of the region, and one mail', async () => {
  // GIVEN
  const message = 'AnalysisException: Table or view not found: orders';
  sim = await simulate(pipeline(), { jobs: { [jobOf('transform')]: alwaysFails(message) } });
  // WHEN
  const report = await sim.run({ maxSeconds: 3600 });
  // THEN
  expect([report.status, report.error]).toEqual(['FAILED', 'Glue.JobFailed']);
  const run = sim.glue.runs.find((r) => r.jobName === jobOf('transform'))!;
  const [event, ...more] = failureEvents(sim);
  expect(more).toEqual([]);
  expect(event).toEqual({
    pipeline: PIPELINE_NAME,
    pipelineId: sim.pipeline.runnerEnv[RunnerEnv.PIPELINE_ID],
    execution: report.executionArn,
    step: 'transform',
    kind: 'glue-job',
    resourceName: jobOf('transform'),
    runId: run.id,
    state: 'FAILED',
    error: 'Glue.JobFailed',
    message,
    attempt: 0,
    redriveCount: 0,
    willRetry: false,
    links: { glue: expect.any(String), execution: expect.any(String), logs: expect.any(String), errorLogs: expect.any(String) },
  });
  expectConsoleLink(event.links.glue, '/gluestudio/home', `/job/${jobOf('transform')}/run/${run.id}`);
  expectConsoleLink(event.links.execution, '/states/home', `/v2/executions/details/${report.executionArn}`);
  expectConsoleLink(event.links.logs, '/cloudwatch/home', `logsV2:log-groups/log-group/$252Faws-glue$252Fjobs$252Foutput/log-events/${run.id}`);
  expectConsoleLink(event.links.errorLogs, '/cloudwatch/home', `logsV2:log-groups/log-group/$252Faws-glue$252Fjobs$252Ferror/log-events/${run.id}`);
  // one mail, naming the pipeline as the user named it, with the same facts and links
  const mail = await sim.emails();
  expect(mail.map((m) => m.subject)).toEqual([`[${PIPELINE_NAME}] step transform failed: Glue.JobFailed (attempt 1, not retried)`]);
  for (const fact of [run.id, message, 'It will not be tried again.', event.links.glue!, event.links.execution!, event.links.logs!]) {
    expect(mail[0].body.text).toContain(fact);
  }
});

test('GIVEN a step retried twice that always fails WHEN the pipeline runs THEN one event and one mail per attempt, the last saying it will not be retried', async () => {
  // GIVEN
  sim = await simulate(pipeline(2), { jobs: { [jobOf('transform')]: alwaysFails('source outage') } });
  // WHEN
  const report = await sim.run({ maxSeconds: 3600 });
  // THEN
  expect([report.status, report.error]).toEqual(['FAILED', 'Glue.JobFailed']);
  const runs = sim.glue.runs.filter((r) => r.jobName === jobOf('transform')).map((r) => r.id);
  expect(runs).toHaveLength(3);
  const events = failureEvents(sim);
  expect(events.map((e) => [e.step, e.runId, e.attempt, e.willRetry])).toEqual([
    ['transform', runs[0], 0, true],
    ['transform', runs[1], 1, true],
    ['transform', runs[2], 2, false],
  ]);
  expect(new Set(events.map((e) => e.execution))).toEqual(new Set([report.executionArn]));
  const subjects = (await sim.emails()).map((m) => m.subject);
  expect(subjects).toEqual([
    `[${PIPELINE_NAME}] step transform failed: Glue.JobFailed (attempt 1, will be retried)`,
    `[${PIPELINE_NAME}] step transform failed: Glue.JobFailed (attempt 2, will be retried)`,
    `[${PIPELINE_NAME}] step transform failed: Glue.JobFailed (attempt 3, not retried)`,
  ]);
});

test('GIVEN EventBridge refuses every PutEvents WHEN a step fails THEN the task failure and the mail stand, and the runner logs the event not sent at ERROR', async () => {
  // GIVEN
  sim = await simulate(pipeline(), {
    jobs: { [jobOf('transform')]: alwaysFails('boom') },
    faults: [{ service: 'events', op: 'PutEvents', action: { kind: 'error', type: 'InternalException', status: 500 }, times: 100 }],
  });
  // WHEN
  const report = await sim.run({ maxSeconds: 3600 });
  // THEN
  expect([report.status, report.error]).toEqual(['FAILED', 'Glue.JobFailed']);
  expect(sim.callsTo('events', 'PutEvents').length).toBeGreaterThan(0);
  expect(sim.pipelineEvents).toEqual([]);
  expect(await sim.emails()).toHaveLength(1);
  const notSent = sim.runners.logs.filter((line) => line.includes(`"message":"${FAILURE_EVENT_NOT_SENT}"`));
  expect(notSent).toHaveLength(1);
  expect(JSON.parse(notSent[0])).toMatchObject({ level: 'ERROR', stepName: 'transform' });
});
