import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { PipelineSimulation } from 'glue-orchestrated-pipeline-testing';
import { GraphPipelineStack } from '../lib/graph-pipeline-stack';
import { OrdersPipelineStack } from '../lib/orders-pipeline-stack';

// The app synthesized once, as `cdk synth` would: both stacks, with the runner asset.
const cdkOut = fs.mkdtempSync(path.join(os.tmpdir(), 'consumer-cdk-out-'));
beforeAll(() => {
  const app = new App({ outdir: cdkOut });
  const env = { account: '123456789012', region: 'us-east-1' };
  new OrdersPipelineStack(app, 'OrdersPipeline', { env });
  new GraphPipelineStack(app, 'GraphPipeline', { env });
  app.synth();
});
afterAll(() => fs.rmSync(cdkOut, { recursive: true, force: true }));

jest.setTimeout(120_000);

describe('GIVEN the orders pipeline running locally', () => {
  test('WHEN every Glue run succeeds THEN the execution succeeds with one run per step, in order, and no mail', async () => {
    const sim = await PipelineSimulation.start({ cdkOut, stack: 'OrdersPipeline' });
    try {
      const execution = await sim.run({ runDate: '2026-11-24' });

      expect(execution.status).toBe('SUCCEEDED');
      expect(sim.jobRuns().map((run) => run.jobName)).toEqual(['extract-orders', 'transform-orders', 'load-orders-warehouse']);
      expect(sim.jobRuns()[0].arguments).toMatchObject({ '--source': 'orders', '--since-days': '1' });
      expect(Object.keys((execution.output as { results: object }).results)).toEqual(['extract', 'transform', 'load']);
      expect(await sim.mails()).toEqual([]);
      expect(await sim.trackedRecords()).toBe(0);
    } finally {
      await sim.stop();
    }
  });

  test('WHEN transform\'s run fails THEN the execution fails with Glue.JobFailed, load never runs, and the team is mailed', async () => {
    const sim = await PipelineSimulation.start({ cdkOut, stack: 'OrdersPipeline', outcomes: { transform: 'FAILED' } });
    try {
      const execution = await sim.run();

      expect(execution.status).toBe('FAILED');
      expect(execution.error).toBe('Glue.JobFailed');
      expect(sim.jobRuns().map((run) => run.jobName)).toEqual(['extract-orders', 'transform-orders']);
      const mails = await sim.mails();
      expect(mails).toHaveLength(1);
      expect(mails[0].destination.to).toEqual(['data-team@example.com']);
      expect(`${mails[0].subject}\n${mails[0].body.text}`).toContain('transform');
    } finally {
      await sim.stop();
    }
  });
});

describe('GIVEN the graph pipeline running locally', () => {
  test('WHEN it runs for a day THEN join gets that day and the run id of orders, after both extracts', async () => {
    const sim = await PipelineSimulation.start({ cdkOut, stack: 'GraphPipeline' });
    try {
      const execution = await sim.run({ runDate: '2026-11-24' });

      expect(execution.status).toBe('SUCCEEDED');
      const runs = sim.jobRuns();
      const orders = runs.find((run) => run.jobName === 'extract-orders')!;
      const join = runs.find((run) => run.jobName === 'join-orders')!;
      expect(orders.arguments['--day']).toBe('2026-11-24');
      expect(join.arguments).toMatchObject({ '--input': 's3://lake/orders/day=2026-11-24/', '--orders-run': orders.jobRunId });
      expect(join.startedAt).toBeGreaterThan(Math.max(...runs.filter((run) => run.jobName.startsWith('extract-')).map((run) => run.startedAt)));
    } finally {
      await sim.stop();
    }
  });
});
