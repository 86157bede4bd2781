import { Duration } from 'aws-cdk-lib';
import { everyKindOfStep, expectNothingLostOrDuplicated, jobOf, simulate, STEPS, synthesizeToCloudAssembly } from './e2e-fixture';
import { SIM_REGION } from '../../simulator/pipeline-template';
import { SimClock } from '../../simulator/sim-clock';
import { Simulation } from '../../simulator/simulation';
import { GlueJob, PipelineStep, StepErrors } from '../../src';
import { RunnerEnv } from '../../src/shared/contract';
import { PIPELINE_EVENT_SOURCE, PipelineEventTypes, PipelineMetrics } from '../../src/shared/operations';
import type { StepLateDetail } from '../../src/shared/pipeline-events';

jest.setTimeout(90_000);

/**
 * Late steps end to end: extract and transform are expected to take 10 minutes each; the
 * runner sweeps every minute (the fixture's check interval).
 */
const PIPELINE_NAME = 'nightly-orders';
const EXPECTED_SECONDS = 600;

let sim: Simulation | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

/** transform retried once on Glue.JobFailed when `retried`. */
function pipeline(retried = false): string {
  return synthesizeToCloudAssembly({
    stateMachineName: PIPELINE_NAME,
    steps: STEPS.map((step) => PipelineStep.glueJob({
      stepName: step,
      job: GlueJob.fromName(jobOf(step)),
      expectedDuration: step === 'load' ? undefined : Duration.seconds(EXPECTED_SECONDS),
      retry: retried && step === 'transform' ? { errors: [StepErrors.JOB_FAILED], maxAttempts: 1, interval: Duration.minutes(1), backoffRate: 1 } : undefined,
    })),
  });
}

const running = (minutes: number) => [{ state: 'RUNNING' as const, seconds: minutes * 60 }];

function lateEvents(s: Simulation): Array<{ at: number; detail: StepLateDetail }> {
  return s.pipelineEvents.filter((e) => e.detailType === PipelineEventTypes.STEP_LATE).map((e) => {
    expect(e).toMatchObject({ eventBusName: 'default', source: PIPELINE_EVENT_SOURCE });
    return { at: e.at, detail: e.detail as StepLateDetail };
  });
}

/** Simulated seconds of an ISO time the runner wrote (its clock follows the simulation's). */
const simSeconds = (iso: string) => (Date.parse(iso) - SimClock.EPOCH_MS) / 1000;

test('GIVEN transform expected to take 10 minutes and a 40-minute run, extract a 5-minute one WHEN the pipeline runs THEN one late event for transform, with every field, while its run still ran; the StepLate line; the step succeeds', async () => {
  // GIVEN
  sim = await simulate(pipeline(), { jobs: { [jobOf('extract')]: { phases: running(5) }, [jobOf('transform')]: { phases: running(40) } } });
  // WHEN
  const report = await sim.run({ maxSeconds: 4 * 3600 });
  // THEN the execution succeeded, transform with its one run
  expect(report.status).toBe('SUCCEEDED');
  const [run, ...moreRuns] = sim.glue.runs.filter((r) => r.jobName === jobOf('transform'));
  expect(moreRuns).toEqual([]);
  // one late event, for transform (extract ended within its expected duration; load has none)
  const [late, ...more] = lateEvents(sim);
  expect(more).toEqual([]);
  expect(late.detail).toEqual({
    pipeline: PIPELINE_NAME,
    pipelineId: sim.pipeline.runnerEnv[RunnerEnv.PIPELINE_ID],
    execution: report.executionArn,
    step: 'transform',
    kind: 'glue-job',
    resourceName: jobOf('transform'),
    runId: run.id,
    state: 'RUNNING',
    attempt: 0,
    redriveCount: 0,
    expectedSeconds: EXPECTED_SECONDS,
    runningSeconds: expect.any(Number),
    runningSince: expect.any(String),
    links: { glue: expect.any(String), execution: expect.any(String), logs: expect.any(String), errorLogs: expect.any(String) },
  });
  const { links } = late.detail;
  expect(links.glue).toBe(`https://${SIM_REGION}.console.aws.amazon.com/gluestudio/home?region=${SIM_REGION}#/job/${jobOf('transform')}/run/${run.id}`);
  expect(links.execution).toContain(`#/v2/executions/details/${report.executionArn}`);
  // measured from the start the runner sent (just before Glue started the run)
  const since = simSeconds(late.detail.runningSince);
  expect(run.startedAt - since).toBeGreaterThanOrEqual(0);
  expect(run.startedAt - since).toBeLessThan(5);
  // sent while the run still ran, past the expected duration, within one sweep (a minute) and a runner run of it
  expect(late.at).toBeLessThan(sim.glue.endedAt(run)!);
  expect(late.at).toBeLessThan(report.states.find((s) => s.name === 'transform')!.exitedAt!);
  expect(late.at - since).toBeGreaterThan(EXPECTED_SECONDS);
  expect(late.at - since).toBeLessThanOrEqual(EXPECTED_SECONDS + sim.pipeline.checkIntervalSeconds + sim.pipeline.runnerTimeoutSeconds);
  expect(late.detail.runningSeconds).toBeGreaterThan(EXPECTED_SECONDS);
  expect(late.detail.runningSeconds).toBeLessThanOrEqual(Math.ceil(late.at - since));
  // one StepLate metric line, of transform, at the event's time
  const lines = sim.metrics.filter((m) => PipelineMetrics.STEP_LATE in (m.line as object));
  expect(lines.map((m) => m.line)).toEqual([expect.objectContaining({
    Pipeline: sim.pipeline.runnerEnv[RunnerEnv.PIPELINE_ID],
    Step: 'transform',
    Kind: 'glue-job',
    StepLate: 1,
    expectedSeconds: EXPECTED_SECONDS,
    runningSeconds: late.detail.runningSeconds,
  })]);
  expect(Math.abs(lines[0].at - late.at)).toBeLessThan(5);
  // nothing failed, nothing was left behind
  expect(sim.pipelineEvents.filter((e) => e.detailType === PipelineEventTypes.STEP_FAILED)).toEqual([]);
  await expectNothingLostOrDuplicated(sim);
});

test('GIVEN every step within its expected duration WHEN the pipeline runs THEN no late event and no StepLate line', async () => {
  sim = await simulate(pipeline(), { jobs: { [jobOf('extract')]: { phases: running(9) }, [jobOf('transform')]: { phases: running(2) } } });
  const report = await sim.run({ maxSeconds: 3600 });
  expect(report.status).toBe('SUCCEEDED');
  expect(sim.pipelineEvents).toEqual([]);
  expect(sim.metrics.filter((m) => PipelineMetrics.STEP_LATE in (m.line as object))).toEqual([]);
});

test('GIVEN transform retried once, and both its attempts run 20 minutes WHEN the pipeline runs THEN one late event per attempt, each while it ran, with its attempt and run', async () => {
  // GIVEN the first attempt fails after 20 minutes, the second succeeds after 20
  sim = await simulate(pipeline(true), {
    jobs: {
      [jobOf('extract')]: { phases: running(1) },
      [jobOf('transform')]: {
        phases: running(20),
        finalState: 'FAILED',
        errorMessage: 'source outage',
        next: { phases: running(20), finalState: 'SUCCEEDED' },
      },
    },
  });
  // WHEN
  const report = await sim.run({ maxSeconds: 4 * 3600 });
  // THEN
  expect(report.status).toBe('SUCCEEDED');
  const runs = sim.glue.runs.filter((r) => r.jobName === jobOf('transform'));
  expect(runs).toHaveLength(2);
  const late = lateEvents(sim);
  expect(late.map((e) => [e.detail.step, e.detail.attempt, e.detail.runId])).toEqual([['transform', 0, runs[0].id], ['transform', 1, runs[1].id]]);
  late.forEach((e, i) => {
    expect(e.at).toBeLessThan(sim!.glue.endedAt(runs[i])!);
    expect(e.at - simSeconds(e.detail.runningSince)).toBeGreaterThan(EXPECTED_SECONDS);
  });
  expect(sim.metrics.filter((m) => PipelineMetrics.STEP_LATE in (m.line as object))).toHaveLength(2);
  // the failed attempt's failure event sits between them
  expect(sim.pipelineEvents.map((e) => e.detailType))
    .toEqual([PipelineEventTypes.STEP_LATE, PipelineEventTypes.STEP_FAILED, PipelineEventTypes.STEP_LATE]);
  await expectNothingLostOrDuplicated(sim);
});

test('GIVEN three runner invocations overlapping on every tick WHEN transform runs past its expected duration THEN still one late event and one StepLate line', async () => {
  // GIVEN the schedule, plus two more invocations at each tick (an event and a Lambda retry)
  sim = await simulate(pipeline(), { jobs: { [jobOf('extract')]: { phases: running(1) }, [jobOf('transform')]: { phases: running(15) } }, maxContainers: 6 });
  const extra = sim.clock.every(sim.pipeline.checkIntervalSeconds, () => {
    void sim!.invokeRunner();
    void sim!.invokeRunner();
  });
  // WHEN
  const report = await sim.run({ maxSeconds: 3600 });
  extra.cancel();
  // THEN
  expect(report.status).toBe('SUCCEEDED');
  expect(lateEvents(sim).map((e) => e.detail.step)).toEqual(['transform']);
  expect(sim.metrics.filter((m) => PipelineMetrics.STEP_LATE in (m.line as object))).toHaveLength(1);
  await expectNothingLostOrDuplicated(sim);
});

test('GIVEN a crawler and a workflow step past their expected durations WHEN the pipeline runs THEN one late event each, with the crawl\'s and the workflow run\'s id and state', async () => {
  // GIVEN every kind of step; the crawl and the workflow run take 20 minutes, expected to take 10
  const steps = everyKindOfStep().map((step) => {
    switch (step.stepName) {
      case 'crawl': return PipelineStep.glueCrawler({ stepName: 'crawl', crawlerName: 'raw-crawler', expectedDuration: Duration.seconds(EXPECTED_SECONDS) });
      case 'report': return PipelineStep.glueWorkflow({
        stepName: 'report', workflowName: 'reporting-workflow', runProperties: { day: 'today' }, expectedDuration: Duration.seconds(EXPECTED_SECONDS),
      });
      default: return step;
    }
  });
  sim = await simulate(synthesizeToCloudAssembly({ steps }), {
    crawlers: { 'raw-crawler': { seconds: 20 * 60 } },
    workflows: { 'reporting-workflow': { seconds: 20 * 60 } },
  });
  // WHEN
  const report = await sim.run({ maxSeconds: 4 * 3600 });
  // THEN
  expect(report.status).toBe('SUCCEEDED');
  const late = lateEvents(sim);
  expect(late.map((e) => [e.detail.step, e.detail.kind, e.detail.state])).toEqual([
    ['crawl', 'glue-crawler', 'RUNNING'],
    ['report', 'glue-workflow', 'RUNNING'],
  ]);
  const results = (report.output as { results: Record<string, { crawlId?: string; workflowRunId?: string }> }).results;
  expect(late.map((e) => e.detail.runId)).toEqual([results.crawl.crawlId, results.report.workflowRunId]);
  for (const e of late) {
    expect(e.at - simSeconds(e.detail.runningSince)).toBeGreaterThan(EXPECTED_SECONDS);
    expect(e.at).toBeLessThan(report.states.find((s) => s.name === e.detail.step)!.exitedAt!);
  }
});

test('GIVEN transform\'s job retried by Glue (MaxRetries), each attempt 8 minutes WHEN the step runs past 10 minutes in its second Glue attempt THEN one late event, naming that attempt\'s run', async () => {
  // GIVEN Glue's first attempt fails after 8 minutes; its retry succeeds after 8 more
  sim = await simulate(pipeline(), {
    jobs: {
      [jobOf('extract')]: { phases: running(1) },
      [jobOf('transform')]: { phases: running(8), maxRetries: 1, attemptStates: ['FAILED', 'SUCCEEDED'], retryDelaySeconds: 20 },
    },
  });
  // WHEN
  const report = await sim.run({ maxSeconds: 3600 });
  // THEN one task, two Glue attempts, one late event: the step's time counts across Glue's attempts
  expect(report.status).toBe('SUCCEEDED');
  const runs = sim.glue.runs.filter((r) => r.jobName === jobOf('transform'));
  expect(runs.map((r) => r.attempt)).toEqual([0, 1]);
  const [late, ...more] = lateEvents(sim);
  expect(more).toEqual([]);
  expect([late.detail.step, late.detail.attempt, late.detail.runId, late.detail.state]).toEqual(['transform', 0, runs[1].id, 'RUNNING']);
  expect(late.at).toBeLessThan(sim.glue.endedAt(runs[1])!);
  expect(simSeconds(late.detail.runningSince)).toBeLessThanOrEqual(runs[0].startedAt);
});
