import { simulationPerTest } from './e2e-fixture';
import { RunTracker } from '../../simulator/step-progress';
import { GlueJob, PipelineStep } from '../../src';

jest.setTimeout(120_000);

// What `npx projen simulate` shows of a graph of every step kind: held steps, and each kind's
// Glue work, sampled while the execution runs.
const sims = simulationPerTest({
  steps: [
    PipelineStep.glueCrawler({ stepName: 'crawl', crawlerName: 'raw-crawler', dependsOn: [] }),
    PipelineStep.glueJob({ stepName: 'orders', job: GlueJob.fromName('orders-job'), dependsOn: ['crawl'] }),
    PipelineStep.glueJob({ stepName: 'customers', job: GlueJob.fromName('customers-job'), dependsOn: ['crawl'] }),
    PipelineStep.glueWorkflow({ stepName: 'report', workflowName: 'report-wf', dependsOn: ['orders', 'customers'] }),
    PipelineStep.glueTrigger({ stepName: 'notify', triggerName: 'notify-trigger', dependsOn: ['report'] }),
  ],
});

test('GIVEN a graph of every kind WHEN it runs THEN the progress view shows held steps, the crawl, the job runs and the workflow run', async () => {
  // GIVEN
  const sim = await sims.start({
    crawlers: { 'raw-crawler': { seconds: 300 } },
    jobs: { 'orders-job': { phases: [{ state: 'RUNNING', seconds: 300 }] }, 'customers-job': { phases: [{ state: 'RUNNING', seconds: 300 }] } },
    workflows: { 'report-wf': { seconds: 300, actions: 2 } },
  });
  const tracker = new RunTracker(sim.glue, sim.activity.tasks);
  const seen = new Map<string, Set<string>>(sim.pipeline.stepNames.map((s) => [s, new Set()]));
  const sample = () => {
    const report = sim.executions[sim.executions.length - 1];
    if (report) {
      tracker.steps(sim.pipeline.stepNames, report, sim.clock.now()).forEach((v) => seen.get(v.name)!.add(v.status));
    }
  };
  const sampler = sim.clock.every(5, sample);
  // WHEN
  const report = await sim.run({ maxSeconds: 3600 }).finally(() => sampler.cancel());
  sample();
  // THEN
  expect(report.status).toBe('SUCCEEDED');
  expect([...seen.get('crawl')!]).toContain('Glue crawl RUNNING');
  expect([...seen.get('orders')!]).toEqual(expect.arrayContaining(['held: waiting for crawl', 'Glue RUNNING', 'SUCCEEDED']));
  expect([...seen.get('report')!]).toEqual(expect.arrayContaining(['held: waiting for orders, customers', 'Glue workflow RUNNING', 'SUCCEEDED']));
  expect([...seen.get('notify')!]).toEqual(expect.arrayContaining(['held: waiting for report', 'SUCCEEDED']));
});
