import { Fault } from '../../simulator/local-aws/fault-proxy';
import { Simulation } from '../../simulator/simulation';
import { expectNothingLostOrDuplicated, jobOf, simulationPerTest, STEPS } from './e2e-fixture';

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
