import { Duration } from 'aws-cdk-lib';
import { expectNothingLostOrDuplicated, simulate, synthesizeToCloudAssembly } from './e2e-fixture';
import { SimRun } from '../../simulator/local-aws/glue-service';
import { Simulation } from '../../simulator/simulation';
import { GlueJob, PipelineStep, StepValue } from '../../src';

jest.setTimeout(120_000);

/** A job step named `name`, running job `<name>-job`, waiting for `dependsOn`. */
const job = (name: string, dependsOn: string[], args: Record<string, string> = {}) =>
  PipelineStep.glueJob({ stepName: name, job: GlueJob.fromName(`${name}-job`), dependsOn, arguments: { '--step': name, ...args } });

const run = (seconds: number, finalState: 'SUCCEEDED' | 'FAILED' = 'SUCCEEDED') =>
  ({ phases: [{ state: 'RUNNING' as const, seconds }], finalState, errorMessage: finalState === 'FAILED' ? 'scripted failure' : undefined });

function runOf(sim: Simulation, step: string): SimRun {
  const found = sim.glue.runs.find((r) => r.jobName === `${step}-job`);
  if (!found) {
    throw new Error(`no run of step ${step}; runs: ${sim.glue.runs.map((r) => r.jobName).join(', ')}`);
  }
  return found;
}

const endOf = (sim: Simulation, step: string) => sim.glue.endedAt(runOf(sim, step))!;

describe('a diamond: a -> b, a -> c, b and c -> d', () => {
  let templateFile: string;
  let sim: Simulation | undefined;
  beforeAll(() => {
    templateFile = synthesizeToCloudAssembly({
      steps: [
        job('a', []),
        job('b', ['a']),
        job('c', ['a']),
        job('d', ['b', 'c'], { '--from-b': StepValue.fromStepResult('b', 'jobRunId'), '--date': StepValue.fromExecutionInput('runDate') }),
      ],
    });
  });
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });

  test('GIVEN b slower than c WHEN the pipeline runs THEN b and c run at the same time and d starts only after both, within seconds of the later', async () => {
    // GIVEN (and a warm container: a cold start takes its real time)
    sim = await simulate(templateFile, { jobs: { 'a-job': run(60), 'b-job': run(300), 'c-job': run(120), 'd-job': run(60) } });
    await sim.invokeRunner();
    // WHEN
    const report = await sim.run({ input: { runDate: '2026-11-24' }, maxSeconds: 3600 });
    // THEN
    expect(report.status).toBe('SUCCEEDED');
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((s) => runOf(sim!, s));
    expect(b.startedAt).toBeGreaterThanOrEqual(endOf(sim, 'a'));
    expect(c.startedAt).toBeGreaterThanOrEqual(endOf(sim, 'a'));
    // b and c overlap
    expect(b.startedAt).toBeLessThan(endOf(sim, 'c'));
    expect(c.startedAt).toBeLessThan(endOf(sim, 'b'));
    // d after both, promptly after the later one (b)
    expect(d.startedAt).toBeGreaterThanOrEqual(endOf(sim, 'b'));
    expect(d.startedAt - endOf(sim, 'b')).toBeLessThan(10);
    expect(b.startedAt - endOf(sim, 'a')).toBeLessThan(10);
    expect(a.startedAt).toBeLessThan(b.startedAt);
    // every step's result is in the execution output, as in a sequence
    const results = (report.output as { results: Record<string, { jobRunId: string }> }).results;
    expect(Object.keys(results).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(results.b.jobRunId).toBe(b.id);
    // d's arguments got the execution input and b's result
    expect(d.request.Arguments).toMatchObject({ '--from-b': b.id, '--date': '2026-11-24' });
    await expectNothingLostOrDuplicated(sim);
  });

  test('GIVEN b fails WHEN the pipeline runs THEN the execution fails with b\'s error, d never starts, and c\'s run in flight is stopped', async () => {
    // GIVEN
    sim = await simulate(templateFile, { jobs: { 'a-job': run(60), 'b-job': run(60, 'FAILED'), 'c-job': run(1800), 'd-job': run(60) } });
    // WHEN
    const report = await sim.run({ input: { runDate: '2026-11-24' }, maxSeconds: 3600 });
    // THEN
    expect(report.status).toBe('FAILED');
    expect(report.error).toBe('Glue.JobFailed');
    expect(sim.glue.runs.some((r) => r.jobName === 'd-job')).toBe(false);
    // c's task died with the execution; the next sweep finds it closed and stops its run
    await sim.advance(2 * sim.pipeline.checkIntervalSeconds + 30);
    const c = runOf(sim, 'c');
    expect(sim.glue.stateOf(c)).toBe('STOPPED');
    expect(c.stoppedAt! - report.endedAt!).toBeLessThanOrEqual(2 * sim.pipeline.checkIntervalSeconds + 10);
    const mails = await sim.emails();
    expect(mails.map((m) => m.subject)).toEqual([expect.stringContaining('step b failed: Glue.JobFailed')]);
    await expectNothingLostOrDuplicated(sim);
  });
});

test('GIVEN an uneven graph (a -> fast -> next, a -> slow) WHEN it runs THEN the fast branch\'s next step starts before the slow sibling ends', async () => {
  // GIVEN
  const templateFile = synthesizeToCloudAssembly({
    checkInterval: Duration.minutes(1),
    steps: [job('a', []), job('fast', ['a']), job('slow', ['a']), job('next', ['fast'])],
  });
  const sim = await simulate(templateFile, { jobs: { 'a-job': run(30), 'fast-job': run(30), 'slow-job': run(900), 'next-job': run(30) } });
  try {
    await sim.invokeRunner();
    // WHEN
    const report = await sim.run({ input: { runDate: '2026-11-24' }, maxSeconds: 3600 });
    // THEN
    expect(report.status).toBe('SUCCEEDED');
    const next = runOf(sim, 'next');
    expect(next.startedAt).toBeLessThan(endOf(sim, 'slow'));
    expect(next.startedAt - endOf(sim, 'fast')).toBeLessThan(10);
    expect(endOf(sim, 'next')).toBeLessThan(endOf(sim, 'slow'));
    await expectNothingLostOrDuplicated(sim);
  } finally {
    await sim.stop();
  }
});

test('GIVEN a graph whose events are all lost WHEN it runs THEN the sweeps alone start each step once its dependencies are done', async () => {
  // GIVEN
  const templateFile = synthesizeToCloudAssembly({ steps: [job('a', []), job('b', ['a']), job('c', ['a']), job('d', ['b', 'c'])] });
  const sim = await simulate(templateFile, { events: false, jobs: { 'a-job': run(60), 'b-job': run(200), 'c-job': run(60), 'd-job': run(60) } });
  try {
    // WHEN
    const report = await sim.run({ input: { runDate: '2026-11-24' }, maxSeconds: 3600 });
    // THEN
    expect(report.status).toBe('SUCCEEDED');
    const period = sim.pipeline.checkIntervalSeconds;
    expect(runOf(sim, 'b').startedAt - endOf(sim, 'a')).toBeLessThanOrEqual(period + 5);
    expect(runOf(sim, 'd').startedAt - endOf(sim, 'b')).toBeLessThanOrEqual(period + 5);
    expect(runOf(sim, 'd').startedAt).toBeGreaterThanOrEqual(endOf(sim, 'b'));
    await expectNothingLostOrDuplicated(sim);
  } finally {
    await sim.stop();
  }
});

test('GIVEN a step held for six heartbeat timeouts WHEN its dependency ends THEN its one task is still alive (heartbeated while held) and it runs once', async () => {
  // GIVEN b waits 30 simulated minutes for a; a 1-minute interval gives a 5-minute HeartbeatSeconds
  const templateFile = synthesizeToCloudAssembly({ steps: [job('a', []), job('b', ['a']), job('c', [])] });
  const sim = await simulate(templateFile, { jobs: { 'a-job': run(1800), 'b-job': run(60), 'c-job': run(60) } });
  try {
    // WHEN
    const report = await sim.run({ maxSeconds: 4 * 3600 });
    // THEN
    expect(report.status).toBe('SUCCEEDED');
    const bTasks = sim.activity.tasks.filter((t) => t.stateName === 'b');
    expect(bTasks).toHaveLength(1);
    expect(bTasks[0].heartbeats).toBeGreaterThanOrEqual(1800 / bTasks[0].heartbeatSeconds! - 1);
    expect(runOf(sim, 'b').startedAt).toBeGreaterThanOrEqual(endOf(sim, 'a'));
    await expectNothingLostOrDuplicated(sim);
  } finally {
    await sim.stop();
  }
});
