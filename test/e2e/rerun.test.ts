import { Duration } from 'aws-cdk-lib';
import { expectNothingLostOrDuplicated, inOneInvocation, jobOf, scriptedRun, simulationPerTest, startsOf } from './e2e-fixture';
import { Simulation } from '../../simulator/simulation';
import { GlueJob, PipelineStep } from '../../src';

jest.setTimeout(180_000);

const DAY = 24 * 3600;

const run = scriptedRun;

const runIdsOf = (sim: Simulation, step: string) => sim.glue.runs.filter((r) => r.jobName === jobOf(step)).map((r) => r.id);
type Results = Record<string, { jobRunId: string; reusedFrom?: string }>;
const resultsOf = (report: { output?: unknown }) => (report.output as { results: Results }).results;
/** A result with these fields (a job's result has more: its state, times...). */
const resultWith = (fields: object) => expect.objectContaining(fields);
/** The message of a failure's cause (a JSON object the runner writes). */
const messageOf = (cause: string | undefined) => (JSON.parse(cause ?? '{}') as { message?: string }).message;

describe('re-run a sequence extract -> transform -> load from transform', () => {
  const STEPS = ['extract', 'transform', 'load'];
  const job = (name: string, args: Record<string, string> = {}) =>
    PipelineStep.glueJob({ stepName: name, job: GlueJob.fromName(jobOf(name)), arguments: args, timeout: Duration.hours(1) });
  // load refers to extract's result: a re-run from transform must still resolve it.
  const { start } = simulationPerTest({ steps: [job('extract'), job('transform'), job('load', { '--extracted-by': '{{steps.extract.jobRunId}}' })] });

  test('GIVEN an execution that SUCCEEDED WHEN an execution with rerunFrom transform starts a day later THEN extract is not run again: its '
    + 'result is the earlier one, with reusedFrom, load\'s reference to it resolves to it, and transform and load run once more', async () => {
    // GIVEN
    const sim = await start();
    const first = await sim.run({ input: { day: '2026-11-01' }, maxSeconds: 3600 });
    expect(first.status).toBe('SUCCEEDED');
    await sim.idle(DAY);
    // WHEN
    const rerun = await sim.run({ input: { day: '2026-11-01', rerunFrom: { step: 'transform', execution: first.executionArn } }, maxSeconds: 3600 });
    // THEN
    expect(rerun.status).toBe('SUCCEEDED');
    expect(startsOf(sim, STEPS)).toEqual([1, 2, 2]);
    const [extractRun] = runIdsOf(sim, 'extract');
    expect(resultsOf(rerun).extract).toEqual(resultWith({ jobRunId: extractRun, stepName: 'extract', reusedFrom: first.executionArn }));
    expect(resultsOf(rerun).transform.jobRunId).toBe(runIdsOf(sim, 'transform')[1]);
    expect(resultsOf(rerun).transform.reusedFrom).toBeUndefined();
    const loadRuns = sim.glue.runs.filter((r) => r.jobName === jobOf('load'));
    expect(loadRuns.map((r) => r.request.Arguments?.['--extracted-by'])).toEqual([extractRun, extractRun]);
    await expectNothingLostOrDuplicated(sim);
  });

  test('GIVEN an execution that FAILED at transform WHEN re-run from transform THEN only transform and load run, and a re-run of that re-run from '
    + 'load reuses extract and transform from it', async () => {
    // GIVEN
    const sim = await start({ jobs: { 'transform-job': run(60, 'FAILED', run(60)) } });
    const failed = await sim.run({ maxSeconds: 3600 });
    expect(failed.status).toBe('FAILED');
    // WHEN
    const second = await sim.run({ input: { rerunFrom: { step: 'transform', execution: failed.executionArn.split(':').pop() } }, maxSeconds: 3600 });
    // THEN
    expect(second.status).toBe('SUCCEEDED');
    expect(startsOf(sim, STEPS)).toEqual([1, 2, 1]);
    // WHEN re-run again, from load, of the second execution
    const third = await sim.run({ input: { rerunFrom: { step: 'load', execution: second.executionArn } }, maxSeconds: 3600 });
    // THEN
    expect(third.status).toBe('SUCCEEDED');
    expect(startsOf(sim, STEPS)).toEqual([1, 2, 2]);
    expect(resultsOf(third).extract).toEqual(resultWith({ jobRunId: runIdsOf(sim, 'extract')[0], stepName: 'extract', reusedFrom: second.executionArn }));
    expect(resultsOf(third).transform).toEqual(resultWith({ jobRunId: runIdsOf(sim, 'transform')[1], stepName: 'transform', reusedFrom: second.executionArn }));
    await expectNothingLostOrDuplicated(sim);
  });

  test.each([
    ['a step the earlier execution never reached', { step: 'load' }, /never reached a step "load": a re-run starts from a step the earlier execution reached/],
    ['an execution Step Functions does not know', { step: 'load', execution: 'run-1999-01-01' }, /which Step Functions does not know/],
  ])('GIVEN a re-run naming %s THEN it FAILED with Pipeline.InvalidInput saying why, and no Glue run started', async (_what, request, cause) => {
    // GIVEN an execution that failed at transform
    const sim = await start({ jobs: { 'transform-job': run(60, 'FAILED') } });
    const failed = await sim.run({ maxSeconds: 3600 });
    const runsBefore = sim.glue.runs.length;
    // WHEN
    const rerun = await sim.run({ input: { rerunFrom: { execution: failed.executionArn, ...request } }, maxSeconds: 3600 });
    // THEN
    expect(rerun.status).toBe('FAILED');
    expect(rerun.error).toBe('Pipeline.InvalidInput');
    expect(messageOf(rerun.cause)).toMatch(cause);
    expect(sim.glue.runs.length).toBe(runsBefore);
    await expectNothingLostOrDuplicated(sim);
  });
  test.each<[string, unknown, RegExp]>([
    ['a number', 5, /rerunFrom must be an object, got 5/],
    ['a list', ['transform'], /rerunFrom must be an object/],
    ['a step that is a number', { step: 5, execution: 'x' }, /rerunFrom\.step must be the name of a step of the pipeline, got 5/],
    ['no step', { execution: 'x' }, /rerunFrom\.step must be the name of a step of the pipeline, got undefined/],
  ])('GIVEN a rerunFrom that is %s THEN the first task fails with Pipeline.InvalidInput showing the shape to write, before any Glue run', async (_what, rerunFrom, cause) => {
    const sim = await start();
    const rerun = await sim.run({ input: { rerunFrom }, maxSeconds: 3600 });
    expect([rerun.status, rerun.error]).toEqual(['FAILED', 'Pipeline.InvalidInput']);
    expect(messageOf(rerun.cause)).toMatch(cause);
    expect(messageOf(rerun.cause)).toMatch(/write rerunFrom as \{"step": /);
    expect(sim.glue.runs).toHaveLength(0);
  });

  test.each([['"none"', 'none'], ['null', null], ['false', false]])('GIVEN rerunFrom %s THEN it is no re-run: every step runs', async (_what, rerunFrom) => {
    const sim = await start();
    const report = await sim.run({ input: { rerunFrom }, maxSeconds: 3600 });
    expect(report.status).toBe('SUCCEEDED');
    expect(startsOf(sim, STEPS)).toEqual([1, 1, 1]);
  });

  test('GIVEN a re-run naming no step of the pipeline THEN the state machine fails it before any task: Pipeline.InvalidInput, its steps listed', async () => {
    // GIVEN
    const sim = await start();
    const first = await sim.run({ maxSeconds: 3600 });
    const tasksBefore = sim.activity.tasks.length;
    // WHEN
    const rerun = await sim.run({ input: { rerunFrom: { step: 'transfrom', execution: first.executionArn } }, maxSeconds: 3600 });
    // THEN
    expect(rerun.status).toBe('FAILED');
    expect(rerun.error).toBe('Pipeline.InvalidInput');
    expect(rerun.cause).toBe('rerunFrom.step names no step of this pipeline; name one of its steps: extract, transform, load');
    expect(sim.activity.tasks.length).toBe(tasksBefore);
  });
});

describe('re-run a diamond a -> (b, c) -> d from c', () => {
  const STEPS = ['a', 'b', 'c', 'd'];
  const job = (name: string, dependsOn: string[], args: Record<string, string> = {}) =>
    PipelineStep.glueJob({ stepName: name, job: GlueJob.fromName(jobOf(name)), dependsOn, arguments: args, timeout: Duration.hours(1) });
  const { start } = simulationPerTest({
    steps: [job('a', []), job('b', ['a']), job('c', ['a']), job('d', ['b', 'c'], { '--b-run': '{{steps.b.jobRunId}}' })],
  });

  test('GIVEN an execution that SUCCEEDED WHEN re-run from c THEN a and b are reused, c and d run once more, d finds b\'s earlier result', async () => {
    // GIVEN
    const sim = await start();
    const first = await sim.run({ maxSeconds: 3600 });
    expect(first.status).toBe('SUCCEEDED');
    // WHEN
    const rerun = await sim.run({ input: { rerunFrom: { step: 'c', execution: first.executionArn } }, maxSeconds: 3600 });
    // THEN
    expect(rerun.status).toBe('SUCCEEDED');
    expect(startsOf(sim, STEPS)).toEqual([1, 1, 2, 2]);
    expect(resultsOf(rerun).a.reusedFrom).toBe(first.executionArn);
    expect(resultsOf(rerun).b).toEqual(resultWith({ jobRunId: runIdsOf(sim, 'b')[0], stepName: 'b', reusedFrom: first.executionArn }));
    expect(resultsOf(rerun).d.reusedFrom).toBeUndefined();
    expect(sim.glue.runs.filter((r) => r.jobName === jobOf('d')).map((r) => r.request.Arguments?.['--b-run'])).toEqual([runIdsOf(sim, 'b')[0], runIdsOf(sim, 'b')[0]]);
    await expectNothingLostOrDuplicated(sim);
  });

  test('GIVEN a re-run from the root a naming an execution Step Functions does not know THEN it FAILED with Pipeline.InvalidInput, and a, '
    + 'the step it would run, never started', async () => {
    const sim = await start();
    const rerun = await sim.run({ input: { rerunFrom: { step: 'a', execution: 'run-1999-01-01' } }, maxSeconds: 3600 });
    expect(rerun.status).toBe('FAILED');
    expect(rerun.error).toBe('Pipeline.InvalidInput');
    expect(messageOf(rerun.cause)).toMatch(/which Step Functions does not know/);
    expect(sim.glue.runs).toHaveLength(0);
    await expectNothingLostOrDuplicated(sim);
  });

  test('GIVEN an execution whose c FAILED while b still ran (b aborted with it) WHEN re-run from c THEN b, which has no result to reuse, '
    + 'runs again too, then d: a alone is reused', async () => {
    // GIVEN
    const sim = await start({ jobs: { 'b-job': run(600), 'c-job': run(60, 'FAILED', run(60)) } });
    const failed = await sim.run({ maxSeconds: 3600 });
    expect(failed.status).toBe('FAILED');
    expect(startsOf(sim, STEPS)).toEqual([1, 1, 1, 0]);
    // WHEN
    const rerun = await sim.run({ input: { rerunFrom: { step: 'c', execution: failed.executionArn } }, maxSeconds: 3600 });
    // THEN
    expect(rerun.status).toBe('SUCCEEDED');
    expect(startsOf(sim, STEPS)).toEqual([1, 2, 2, 1]);
    expect(resultsOf(rerun).a.reusedFrom).toBe(failed.executionArn);
    expect(resultsOf(rerun).b.reusedFrom).toBeUndefined();
    await expectNothingLostOrDuplicated(sim);
  });

  test('GIVEN an execution that SUCCEEDED WHEN re-run from a THEN every step runs again', async () => {
    const sim = await start();
    const first = await sim.run({ maxSeconds: 3600 });
    const rerun = await sim.run({ input: { rerunFrom: { step: 'a', execution: first.executionArn } }, maxSeconds: 3600 });
    expect(rerun.status).toBe('SUCCEEDED');
    expect(startsOf(sim, STEPS)).toEqual([2, 2, 2, 2]);
    await expectNothingLostOrDuplicated(sim);
  });
});

describe('re-run a graph a -> b -> c -> d, with z -> d beside the chain (a graph, not a sequence), from d', () => {
  const STEPS = ['a', 'b', 'c', 'd', 'z'];
  const job = (name: string, dependsOn: string[]) =>
    PipelineStep.glueJob({ stepName: name, job: GlueJob.fromName(jobOf(name)), dependsOn, timeout: Duration.hours(1) });
  const { start } = simulationPerTest({ steps: [job('a', []), job('b', ['a']), job('c', ['b']), job('z', []), job('d', ['c', 'z'])] });

  test('GIVEN an execution that SUCCEEDED WHEN re-run from d THEN a, b, c and z are reused, and d starts before '
    + 'the next sweep: a reused step readies the steps held on it at once, not a check interval later', async () => {
    // GIVEN
    const sim = await start();
    const first = await sim.run({ maxSeconds: 3600 });
    expect(first.status).toBe('SUCCEEDED');
    // WHEN
    const rerun = await sim.run({ input: { rerunFrom: { step: 'd', execution: first.executionArn } }, maxSeconds: 3600 });
    // THEN
    expect(rerun.status).toBe('SUCCEEDED');
    expect(startsOf(sim, STEPS)).toEqual([1, 1, 1, 2, 1]);
    // d was started by the invocation that reused a, not by a later sweep
    expect(inOneInvocation(sim,
      (e) => e.message === 'step reused its result in the earlier execution' && e.stepName === 'a',
      (e) => e.message === 'run started' && e.stepName === 'd')).toBe(true);
    await expectNothingLostOrDuplicated(sim);
  });
});
