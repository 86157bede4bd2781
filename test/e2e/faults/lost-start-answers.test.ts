import { FaultAction } from '../../../simulator/local-aws/fault-proxy';
import { everyKindOfStep, expectNothingLostOrDuplicated, simulationPerTest } from '../e2e-fixture';

jest.setTimeout(120_000);

/**
 * Glue's start calls take no idempotency token. When one takes effect and its answer is lost
 * (a 500 after the fact, or a dropped connection), the SDK must not send it again, and the
 * runner's next attempt must find what it started: one run, crawl or firing per task attempt.
 * Likewise when the runner dies right after the call: a later cycle resumes the task.
 */
const sims = simulationPerTest({ steps: everyKindOfStep() });

const LOST_ANSWERS: Array<[string, FaultAction]> = [
  ['a 500 after the call took effect', { kind: 'error-after', type: 'InternalServiceException', status: 500 }],
  ['a connection dropped after the call took effect', { kind: 'drop-after' }],
  ['the runner dying as the answer comes back, before it saves anything', { kind: 'kill-caller-after' }],
];

const START_CALLS = ['StartCrawler', 'StartJobRun', 'StartTrigger', 'StartWorkflowRun'];

describe.each(LOST_ANSWERS)('GIVEN %s', (_what, action) => {
  test.each(START_CALLS)('WHEN %s meets it THEN that step goes on with the one thing it started, and the execution succeeds', async (op) => {
    // GIVEN
    const sim = await sims.start({
      crawlers: { 'raw-crawler': { seconds: 120 } },
      triggers: { 'notify-trigger': { jobs: ['notify-job'] } },
      workflows: { 'reporting-workflow': { seconds: 120 } },
      faults: [{ service: 'glue', op, action, when: (call) => call.container !== undefined }],
    });
    // WHEN
    const report = await sim.run({ maxSeconds: 3600 });
    // THEN the fault hit, and each step's Glue work happened exactly once
    expect(sim.proxies.get('glue')!.hits.map((h) => h.op)).toEqual([op]);
    expect([report.status, report.error]).toEqual(['SUCCEEDED', undefined]);
    expect(sim.glue.crawlers.crawls).toHaveLength(1);
    expect(sim.glue.runs.map((r) => r.jobName).sort()).toEqual(['notify-job', 'transform-job']);
    expect(sim.glue.triggers.firings).toHaveLength(1);
    expect(sim.glue.workflows.workflowRuns).toHaveLength(1);
    // the lost answer was not re-sent by the SDK: every start call after it is a later attempt's
    const results = (report.output as { results: Record<string, Record<string, unknown>> }).results;
    expect(results.report.workflowRunId).toBe(sim.glue.workflows.workflowRuns[0].id);
    expect(results.transform.jobRunId).toBe(sim.glue.runs.find((r) => r.jobName === 'transform-job')!.id);
    await expectNothingLostOrDuplicated(sim);
  });
});
