import { Duration } from 'aws-cdk-lib';
import { expectNothingLostOrDuplicated, inOneInvocation, jobOf, simulationPerTest, STEPS } from './e2e-fixture';
import { Fault } from '../../simulator/local-aws/fault-proxy';
import { Simulation } from '../../simulator/simulation';
import { GlueJob, PipelineStep } from '../../src';

/**
 * A re-run from transform of an execution that succeeded, with the runner dying, or Step
 * Functions refusing for now, on the reuse of extract. Every re-run still ends SUCCEEDED, extract
 * is never run again, transform and load run once more each, and nothing is left in the table.
 */
jest.setTimeout(120_000);

const sims = simulationPerTest();

/** A call that reports a reused step's success (its output names the execution it was reused from). */
const reusedReport = (call: { body: string }) => call.body.includes('reusedFrom');

async function rerunFromTransform(sim: Simulation) {
  const first = await sim.run({ input: { day: '2026-11-01' }, maxSeconds: 3600 });
  expect(first.status).toBe('SUCCEEDED');
  return sim.run({ input: { day: '2026-11-01', rerunFrom: { step: 'transform', execution: first.executionArn } }, maxSeconds: 3600 });
}

test.each<[string, Fault, number, number]>([
  ['after keeping extract\'s reused result, before reporting it', { service: 'sfn', op: 'SendTaskSuccess', when: reusedReport, action: { kind: 'kill-caller' } }, 1, 1],
  ['after Step Functions took the report, before the record is removed', { service: 'sfn', op: 'SendTaskSuccess', when: reusedReport, action: { kind: 'kill-caller-after' } }, 1, 1],
  ['while reading the earlier history (throttled three times)', { service: 'sfn', op: 'GetExecutionHistory', action: { kind: 'error', type: 'ThrottlingException', status: 400 }, times: 3 }, 3, 0],
])('GIVEN the runner meets a fault %s WHEN re-run from transform THEN it SUCCEEDED: extract reused once, transform and load run again, nothing left', async (_point, fault, hits, crashes) => {
  // GIVEN
  const sim = await sims.start({ faults: [fault] });
  // WHEN
  const rerun = await rerunFromTransform(sim);
  // THEN the fault struck, and the re-run went on without losing or repeating anything
  expect(sim.proxies.get('sfn')!.hits).toHaveLength(hits);
  expect(sim.runners.invocations.filter((i) => i.crashed)).toHaveLength(crashes);
  expect([rerun.status, rerun.error]).toEqual(['SUCCEEDED', undefined]);
  expect(STEPS.map((step) => sim.glue.runs.filter((r) => r.jobName === jobOf(step)).length)).toEqual([1, 2, 2]);
  const extract = (rerun.output as { results: Record<string, { reusedFrom?: string }> }).results.extract;
  expect(extract.reusedFrom).toBe(sim.executions[0].executionArn);
  await expectNothingLostOrDuplicated(sim);
});

describe('a graph a -> b -> c -> d, with z -> d beside the chain, re-run from d, with faults as it reads the earlier history for a', () => {
  const job = (name: string, dependsOn: string[]) =>
    PipelineStep.glueJob({ stepName: name, job: GlueJob.fromName(jobOf(name)), dependsOn, timeout: Duration.hours(1) });
  const graph = simulationPerTest({ steps: [job('a', []), job('b', ['a']), job('c', ['b']), job('z', []), job('d', ['c', 'z'])] });
  /** Whether d's Glue run was started by the invocation that reused a: no sweep in between. */
  const dStartedWithA = (sim: Simulation) => inOneInvocation(sim,
    (e) => e.message === 'step reused its result in the earlier execution' && e.stepName === 'a',
    (e) => e.message === 'run started' && e.stepName === 'd');

  test('GIVEN the runner died reading the history for a WHEN a sweep resumes a once its lease ran out THEN a, b and c are reused one after '
    + 'the other in that sweep\'s invocation, d starts in it, and the re-run SUCCEEDED with nothing left', async () => {
    // GIVEN
    const sim = await graph.start({ faults: [{ service: 'sfn', op: 'GetExecutionHistory', action: { kind: 'kill-caller' } }] });
    const first = await sim.run({ maxSeconds: 3600 });
    expect(first.status).toBe('SUCCEEDED');
    // WHEN
    const rerun = await sim.run({ input: { rerunFrom: { step: 'd', execution: first.executionArn } }, maxSeconds: 3600 });
    // THEN
    expect(rerun.status).toBe('SUCCEEDED');
    expect(sim.runners.invocations.filter((i) => i.crashed)).toHaveLength(1);
    expect(['a', 'b', 'c', 'd', 'z'].map((step) => sim.glue.runs.filter((r) => r.jobName === jobOf(step)).length)).toEqual([1, 1, 1, 2, 1]);
    expect(dStartedWithA(sim)).toBe(true);
    await expectNothingLostOrDuplicated(sim);
  });
  test('GIVEN the history read for a throttled, so that b, c and d are taken and held meanwhile WHEN a sweep reuses a THEN b and c are '
    + 'reused in that sweep too and d starts in it, not one sweep later per step', async () => {
    // GIVEN
    // three refusals: the SDK's own tries (3) all meet one, so the runner defers a's start
    const sim = await graph.start({ faults: [{ service: 'sfn', op: 'GetExecutionHistory', action: { kind: 'error', type: 'ThrottlingException', status: 400 }, times: 3 }] });
    const first = await sim.run({ maxSeconds: 3600 });
    // WHEN
    const rerun = await sim.run({ input: { rerunFrom: { step: 'd', execution: first.executionArn } }, maxSeconds: 3600 });
    // THEN
    expect(rerun.status).toBe('SUCCEEDED');
    expect(sim.proxies.get('sfn')!.hits).toHaveLength(3);
    expect(['a', 'b', 'c', 'd', 'z'].map((step) => sim.glue.runs.filter((r) => r.jobName === jobOf(step)).length)).toEqual([1, 1, 1, 2, 1]);
    expect(dStartedWithA(sim)).toBe(true);
    await expectNothingLostOrDuplicated(sim);
  });
});
