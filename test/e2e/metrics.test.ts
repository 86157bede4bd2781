import { Duration } from 'aws-cdk-lib';
import { jobOf, simulate, STEPS, synthesizeToCloudAssembly } from './e2e-fixture';
import { Simulation } from '../../simulator/simulation';
import { GlueJob, PipelineStep } from '../../src';
import { RunnerEnv } from '../../src/shared/contract';
import { METRICS_NAMESPACE, PipelineMetrics } from '../../src/shared/operations';

jest.setTimeout(90_000);

/**
 * The runner's metrics as CloudWatch would extract them: the EMF lines the runner writes on
 * stdout, captured by the simulation (`sim.metrics`).
 */
let sim: Simulation | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

/** The lines that carry `metric`, by step. */
function linesWith(s: Simulation, metric: string): Record<string, unknown>[] {
  return s.metrics.map((m) => m.line as Record<string, unknown>).filter((line) => metric in line);
}

function pipelineIdOf(s: Simulation): string {
  return s.pipeline.runnerEnv[RunnerEnv.PIPELINE_ID];
}

/** transform's job retried by Glue (MaxRetries) or not; runs of 90 s, MaxCapacity 10. */
function jobs(transform: { maxRetries?: number; attemptStates?: Array<'FAILED' | 'SUCCEEDED'>; finalState?: 'FAILED' | 'SUCCEEDED' }) {
  return {
    [jobOf('transform')]: { phases: [{ state: 'RUNNING' as const, seconds: 90 }], retryDelaySeconds: 20, errorMessage: 'row 42 has no order id', ...transform },
  };
}

const synthesized = (() => {
  let file: string | undefined;
  return () => file ??= synthesizeToCloudAssembly({
    steps: STEPS.map((step) => PipelineStep.glueJob({ stepName: step, job: GlueJob.fromName(jobOf(step)), maxCapacity: 10 })),
    checkInterval: Duration.minutes(1),
  });
})();

test('GIVEN a sequence whose three steps succeed WHEN it runs THEN each step has one StepSucceeded line with its duration, one attempt and estimated DPU-seconds, and one StepStartLatency line; no failure, no runner error', async () => {
  sim = await simulate(synthesized(), { jobs: jobs({}) });
  const report = await sim.run({ maxSeconds: 3600 });
  expect(report.status).toBe('SUCCEEDED');
  const pipelineId = pipelineIdOf(sim);

  const succeeded = linesWith(sim, PipelineMetrics.STEP_SUCCEEDED);
  expect(succeeded.map((l) => l.Step)).toEqual([...STEPS]);
  for (const line of succeeded) {
    expect(line).toMatchObject({ Pipeline: pipelineId, Kind: 'glue-job', StepSucceeded: 1, StepAttempts: 1 });
    expect(line.StepDuration).toBeGreaterThanOrEqual(1);
    expect(line.StepDpuSecondsEstimated).toBeGreaterThan(0);
    expect((line._aws as { CloudWatchMetrics: { Namespace: string }[] }).CloudWatchMetrics[0].Namespace).toBe(METRICS_NAMESPACE);
  }
  // transform's run ran 90 s at MaxCapacity 10 and took at least that long as a step
  const transform = succeeded.find((l) => l.Step === 'transform')!;
  expect(transform.StepDpuSecondsEstimated).toBeGreaterThanOrEqual(900);
  expect(transform.StepDuration).toBeGreaterThanOrEqual(90);

  const started = linesWith(sim, PipelineMetrics.STEP_START_LATENCY);
  expect(started.map((l) => l.Step)).toEqual([...STEPS]);
  started.forEach((l) => expect(l.StepStartLatency).toBeGreaterThanOrEqual(0));
  expect(linesWith(sim, PipelineMetrics.STEP_FAILED)).toEqual([]);
  expect(linesWith(sim, PipelineMetrics.RUNNER_ERRORS)).toEqual([]);
  // every line's timestamp is the simulated time it was written at (the runner's clock)
  for (const { at, line } of sim.metrics) {
    expect(Math.abs(line._aws.Timestamp / 1000 - sim.clock.epochSeconds(at))).toBeLessThanOrEqual(1);
  }
});

test('GIVEN transform fails WHEN the sequence runs THEN one StepFailed line for transform with its error name, and no success after extract', async () => {
  sim = await simulate(synthesized(), { jobs: jobs({ finalState: 'FAILED' }) });
  const report = await sim.run({ maxSeconds: 3600 });
  expect([report.status, report.error]).toEqual(['FAILED', 'Glue.JobFailed']);

  const failed = linesWith(sim, PipelineMetrics.STEP_FAILED);
  expect(failed).toEqual([expect.objectContaining({
    Pipeline: pipelineIdOf(sim), Step: 'transform', Kind: 'glue-job', ErrorName: 'Glue.JobFailed', StepFailed: 1, StepAttempts: 1,
  })]);
  expect(failed[0].StepDuration).toBeGreaterThanOrEqual(90);
  expect(linesWith(sim, PipelineMetrics.STEP_SUCCEEDED).map((l) => l.Step)).toEqual(['extract']);
});

test('GIVEN transform\'s job retries on its own (MaxRetries 2) and its second attempt succeeds WHEN the sequence runs THEN transform succeeds with StepAttempts 2 and no StepFailed', async () => {
  sim = await simulate(synthesized(), { jobs: jobs({ maxRetries: 2, attemptStates: ['FAILED', 'SUCCEEDED'] }) });
  const report = await sim.run({ maxSeconds: 3600 });
  expect(report.status).toBe('SUCCEEDED');

  const transform = linesWith(sim, PipelineMetrics.STEP_SUCCEEDED).filter((l) => l.Step === 'transform');
  expect(transform).toEqual([expect.objectContaining({ StepSucceeded: 1, StepAttempts: 2 })]);
  expect(linesWith(sim, PipelineMetrics.STEP_FAILED)).toEqual([]);
});

test('GIVEN a diamond (a -> b and c -> d) WHEN it runs THEN a has a StepStartLatency, and b, c and d a StepTransitionLatency: the seconds from their last dependency\'s end (Glue\'s completedOn) to their start', async () => {
  const job = (name: string, dependsOn: string[]) => PipelineStep.glueJob({ stepName: name, job: GlueJob.fromName(`${name}-job`), dependsOn });
  const run = (seconds: number) => ({ phases: [{ state: 'RUNNING' as const, seconds }], finalState: 'SUCCEEDED' as const });
  sim = await simulate(synthesizeToCloudAssembly({ steps: [job('a', []), job('b', ['a']), job('c', ['a']), job('d', ['b', 'c'])] }), {
    jobs: { 'a-job': run(60), 'b-job': run(300), 'c-job': run(120), 'd-job': run(60) },
  });
  const report = await sim.run({ maxSeconds: 3600 });
  expect(report.status).toBe('SUCCEEDED');

  expect(linesWith(sim, PipelineMetrics.STEP_START_LATENCY).map((l) => l.Step)).toEqual(['a']);
  const transitions = linesWith(sim, PipelineMetrics.STEP_TRANSITION_LATENCY);
  expect(transitions.map((l) => l.Step).sort()).toEqual(['b', 'c', 'd']);
  const runOf = (step: string) => sim!.glue.runs.find((r) => r.jobName === `${step}-job`)!;
  for (const line of transitions) {
    const lastDependency = line.Step === 'd' ? 'b' : 'a';
    // Glue's clock and the runner's are the simulation's: the latency is the start less the dependency's end
    const expected = runOf(String(line.Step)).startedAt - sim.glue.endedAt(runOf(lastDependency))!;
    expect(Math.abs(Number(line.StepTransitionLatency) - expected)).toBeLessThanOrEqual(1);
  }
});
