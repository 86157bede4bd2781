import { everyKindOfStep, expectNothingLostOrDuplicated, simulationPerTest } from './e2e-fixture';
import { CORRELATION_RUN_PROPERTY } from '../../src/shared/contract';

jest.setTimeout(120_000);

const sims = simulationPerTest({ steps: everyKindOfStep() });

const TRIGGER = { 'notify-trigger': { jobs: ['notify-job'] } };

test('GIVEN a crawler, a job, a trigger and a workflow WHEN every one succeeds THEN the execution succeeds with each step\'s result', async () => {
  // GIVEN
  const sim = await sims.start({ crawlers: { 'raw-crawler': { seconds: 120 } }, triggers: TRIGGER, workflows: { 'reporting-workflow': { seconds: 300, actions: 3 } } });
  // WHEN
  const report = await sim.run({ maxSeconds: 3600 });
  // THEN
  expect(report.status).toBe('SUCCEEDED');
  const results = (report.output as { results: Record<string, Record<string, unknown>> }).results;
  expect(results.crawl).toMatchObject({ stepName: 'crawl', crawlerName: 'raw-crawler', state: 'SUCCEEDED' });
  expect(results.transform).toMatchObject({ jobName: 'transform-job', state: 'SUCCEEDED' });
  expect(results.notify).toMatchObject({ triggerName: 'notify-trigger', state: 'SUCCEEDED' });
  expect(results.report).toMatchObject({ workflowName: 'reporting-workflow', state: 'COMPLETED', succeededActions: 3 });
  // one crawl, then the job, one firing, then one workflow run, each after the one before ended
  const crawls = sim.glue.crawlers.crawls;
  expect(crawls).toHaveLength(1);
  const transform = sim.glue.runs.find((r) => r.jobName === 'transform-job')!;
  expect(transform.startedAt).toBeGreaterThanOrEqual(sim.glue.crawlers.endOf(crawls[0]));
  expect(sim.glue.triggers.firings).toHaveLength(1);
  expect(sim.glue.triggers.firings[0].at).toBeGreaterThanOrEqual(sim.glue.endedAt(transform)!);
  const [workflowRun] = sim.glue.workflows.workflowRuns;
  expect(sim.glue.workflows.workflowRuns).toHaveLength(1);
  expect(workflowRun.startedAt).toBeGreaterThanOrEqual(sim.glue.triggers.firings[0].at);
  expect(workflowRun.properties).toMatchObject({ day: 'today' });
  expect(results.report.workflowRunId).toBe(workflowRun.id);
  await expectNothingLostOrDuplicated(sim);
});

test('GIVEN the crawl fails WHEN the pipeline runs THEN the execution fails with Glue.CrawlerFailed, the team is mailed, and nothing after it runs', async () => {
  // GIVEN
  const sim = await sims.start({ crawlers: { 'raw-crawler': { seconds: 90, finalStatus: 'FAILED', errorMessage: 'Access denied to s3://raw' } }, triggers: TRIGGER });
  // WHEN
  const report = await sim.run({ maxSeconds: 3600 });
  // THEN
  expect(report.status).toBe('FAILED');
  expect(report.error).toBe('Glue.CrawlerFailed');
  expect(JSON.parse(report.cause!)).toMatchObject({ stepName: 'crawl', jobName: 'raw-crawler', state: 'FAILED', message: 'Access denied to s3://raw' });
  expect(sim.glue.runs).toEqual([]);
  const [mail] = await sim.emails();
  expect(mail.subject).toContain('step crawl failed: Glue.CrawlerFailed');
  expect(mail.body.text).toContain('Glue crawler: raw-crawler');
  await expectNothingLostOrDuplicated(sim);
});

test('GIVEN the crawler is already crawling WHEN the step starts THEN it waits for that crawl to end and then runs its own', async () => {
  // GIVEN a crawl started by someone else, 200 more simulated seconds to go
  const sim = await sims.start({ crawlers: { 'raw-crawler': { seconds: 60, runningAtStart: 200 } }, triggers: TRIGGER });
  // WHEN
  const report = await sim.run({ maxSeconds: 7200 });
  // THEN
  expect(report.status).toBe('SUCCEEDED');
  const [theirs, ours] = sim.glue.crawlers.crawls;
  expect([theirs.external, ours?.external]).toEqual([true, false]);
  expect(ours.startedAt).toBeGreaterThanOrEqual(sim.glue.crawlers.endOf(theirs));
  const transform = sim.glue.runs.find((r) => r.jobName === 'transform-job')!;
  expect(transform.startedAt).toBeGreaterThanOrEqual(sim.glue.crawlers.endOf(ours));
  await expectNothingLostOrDuplicated(sim);
});

test('GIVEN the trigger WHEN its step runs THEN it fires once and the step succeeds without waiting for what it started', async () => {
  // GIVEN the trigger's job runs for an hour
  const sim = await sims.start({ triggers: TRIGGER, jobs: { 'notify-job': { phases: [{ state: 'RUNNING', seconds: 3600 }] } } });
  // WHEN
  const report = await sim.run({ maxSeconds: 3600 });
  // THEN
  expect(report.status).toBe('SUCCEEDED');
  expect(sim.glue.triggers.firings.map((f) => f.triggerName)).toEqual(['notify-trigger']);
  const notifyJob = sim.glue.runs.find((r) => r.jobName === 'notify-job')!;
  expect(sim.glue.stateOf(notifyJob)).toBe('RUNNING');
  await expectNothingLostOrDuplicated(sim);
});

test('GIVEN a workflow run with a failed node WHEN the step checks it THEN the execution fails with Glue.WorkflowActionsFailed naming the count', async () => {
  // GIVEN
  const sim = await sims.start({ triggers: TRIGGER, workflows: { 'reporting-workflow': { seconds: 120, actions: 4, failedActions: 1 } } });
  // WHEN
  const report = await sim.run({ maxSeconds: 3600 });
  // THEN
  expect(report.status).toBe('FAILED');
  expect(report.error).toBe('Glue.WorkflowActionsFailed');
  expect(JSON.parse(report.cause!).message).toContain('1 failed of 4 actions');
  const [mail] = await sim.emails();
  expect(mail.body.text).toContain('Glue workflow: reporting-workflow');
  // the subject says what failed, not the run's COMPLETED state
  expect(mail.subject).toMatch(/step report failed: Glue\.WorkflowActionsFailed \(attempt 1, not retried\)$/);
  await expectNothingLostOrDuplicated(sim);
});

test('GIVEN the workflow ran before, and the runner dies after StartWorkflowRun, before saving the run id WHEN the pipeline runs THEN recovery finds the step\'s run, whatever order GetWorkflowRuns lists runs in: one run for the step', async () => {
  // GIVEN yesterday's run of the workflow (started outside the pipeline), and a runner that dies
  // once StartWorkflowRun has taken effect. The fake lists runs oldest first: Glue promises no order.
  const sim = await sims.start({
    triggers: TRIGGER,
    faults: [{ service: 'glue', op: 'StartWorkflowRun', action: { kind: 'kill-caller-after' } }],
  });
  sim.glue.workflows.startWorkflowRun('reporting-workflow', { day: 'yesterday' });
  await sim.advance(3600);
  // WHEN
  const report = await sim.run({ maxSeconds: 3 * 3600 });
  // THEN the fault struck, and the next cycle found the run it started instead of starting another
  expect(sim.proxies.get('glue')!.hits).toHaveLength(1);
  expect([report.status, report.error]).toEqual(['SUCCEEDED', undefined]);
  const stepRuns = sim.glue.workflows.workflowRuns.filter((r) => r.properties[CORRELATION_RUN_PROPERTY] !== undefined);
  expect(stepRuns).toHaveLength(1);
  expect(sim.glue.workflows.workflowRuns).toHaveLength(2);
  expect(report.states.find((s) => s.name === 'report')!.retries).toBe(0);
  const results = (report.output as { results: Record<string, Record<string, unknown>> }).results;
  expect(results.report.workflowRunId).toBe(stepRuns[0].id);
  await expectNothingLostOrDuplicated(sim);
});
