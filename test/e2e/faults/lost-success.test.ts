import { Call } from '../../../simulator/local-aws/fault-proxy';
import { Simulation } from '../../../simulator/simulation';
import { GlueJob, PipelineStep } from '../../../src';
import { expectNothingLostOrDuplicated, simulate, synthesizeToCloudAssembly } from '../e2e-fixture';

/**
 * A step's success that never gets through: every SendTaskSuccess for its task is throttled,
 * past the SDK's retries, until its token has run out. Its result was kept before the report,
 * so the steps that wait for it go on; the state's Retry dispatches the step again, and that
 * task must be taken and answered, or the execution never ends.
 */
jest.setTimeout(120_000);

const job = (name: string, dependsOn: string[]) =>
  PipelineStep.glueJob({ stepName: name, job: GlueJob.fromName(`${name}-job`), dependsOn });

/** Throttles SendTaskSuccess for the first task of `stepName` for as long as that task is open. */
function throttleFirstSuccessOf(stepName: string, sim: () => Simulation) {
  let token: string | undefined;
  return (call: Call) => {
    const body = JSON.parse(call.body) as { taskToken: string; output: string };
    if (JSON.parse(body.output).stepName !== stepName) {
      return false;
    }
    token ??= body.taskToken;
    return body.taskToken === token && sim().activity.tasks.find((t) => t.token === token)?.status === 'STARTED';
  };
}

test('GIVEN a graph step whose success is throttled until its token runs out WHEN the pipeline runs THEN the retried task gets the kept result: the execution succeeds, the step\'s job ran once', async () => {
  // GIVEN a graph (a -> b, and c on its own); a's success reports are refused while its task is open
  const templateFile = synthesizeToCloudAssembly({ steps: [job('a', []), job('b', ['a']), job('c', [])] });
  let current: Simulation | undefined;
  const sim = await simulate(templateFile, {
    faults: [{
      service: 'sfn',
      op: 'SendTaskSuccess',
      action: { kind: 'error', type: 'ThrottlingException', status: 400 },
      times: 10_000,
      when: throttleFirstSuccessOf('a', () => current!),
    }],
  });
  current = sim;
  try {
    // WHEN
    const report = await sim.run({ maxSeconds: 3 * 3600 });
    // THEN a's first token ran out and the state dispatched a again; the runner answered that task
    expect([report.status, report.error]).toEqual(['SUCCEEDED', undefined]);
    expect(sim.proxies.get('sfn')!.hits.length).toBeGreaterThan(0);
    const aTasks = sim.activity.tasks.filter((t) => t.stateName === 'a');
    expect(aTasks.map((t) => [t.status, t.error])).toEqual([['TIMED_OUT', 'States.HeartbeatTimeout'], ['SUCCEEDED', undefined]]);
    // with the result of a's one run: no second run was started for a, and b ran after it
    expect(sim.glue.runs.map((r) => r.jobName).sort()).toEqual(['a-job', 'b-job', 'c-job']);
    expect(JSON.parse(aTasks[1].output!).jobRunId).toBe(sim.glue.runs.find((r) => r.jobName === 'a-job')!.id);
    await expectNothingLostOrDuplicated(sim);
  } finally {
    await sim.stop();
  }
});
