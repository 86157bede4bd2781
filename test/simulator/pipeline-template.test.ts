import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import { readPipelineTemplate } from '../../simulator/pipeline-template';
import { GlueOrchestratedPipeline, PipelineStep } from '../../src';
import { RunnerEnv } from '../../src/shared/contract';
import { synthesizeToCloudAssembly } from '../e2e/e2e-fixture';

/** What the simulation runs comes from the template, and only from it. */
test('GIVEN a synthesized pipeline WHEN read THEN definition, runner env, schedule, table and asset come from the template', () => {
  const file = synthesizeToCloudAssembly();
  const p = readPipelineTemplate(file);
  expect(p.stepNames).toEqual(['extract', 'transform', 'load']);
  expect(p.activityArn).toMatch(/^arn:aws:states:us-east-1:123456789012:activity:PipelineActivity/);
  expect(p.definition.States.extract.Resource).toBe(p.activityArn);
  expect(p.runnerEnv[RunnerEnv.ACTIVITY_ARN]).toBe(p.activityArn);
  expect(p.runnerEnv[RunnerEnv.NOTIFY_RECIPIENTS]).toBe('data-team@example.com');
  expect(p.checkIntervalSeconds).toBe(60);
  expect(p.runnerTimeoutSeconds).toBe(180);
  expect(p.table.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }]);
  expect(fs.existsSync(path.join(p.runnerAssetDir, 'index.js'))).toBe(true);
});

test('GIVEN a template with no pipeline WHEN read THEN the error says what is missing', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gop-tpl-'));
  const file = path.join(dir, 'Empty.template.json');
  fs.writeFileSync(file, JSON.stringify({ Resources: { Bucket: { Type: 'AWS::S3::Bucket' } } }));
  expect(() => readPipelineTemplate(file)).toThrow(/expected one GlueOrchestratedPipeline runner, found 0/);
});

test('GIVEN steps naming a CfnCrawler, CfnTrigger and CfnWorkflow by their ref WHEN read THEN each step names the resource by its Name', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gop-tpl-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'CfnRefs', { env: { account: '123456789012', region: 'us-east-1' } });
  const crawler = new glue.CfnCrawler(stack, 'RawCrawler', {
    name: 'raw-orders-crawler',
    role: 'arn:aws:iam::123456789012:role/crawler',
    databaseName: 'raw',
    targets: { s3Targets: [{ path: 's3://lake/raw/' }] },
  });
  const trigger = new glue.CfnTrigger(stack, 'Notify', { name: 'notify-downstream', type: 'ON_DEMAND', actions: [{ jobName: 'x' }] });
  const workflow = new glue.CfnWorkflow(stack, 'Reporting', { name: 'orders-reporting' });
  new GlueOrchestratedPipeline(stack, 'Pipeline', {
    steps: [
      PipelineStep.glueCrawler({ stepName: 'crawl', crawlerName: crawler.ref }),
      PipelineStep.glueTrigger({ stepName: 'notify', triggerName: trigger.ref }),
      PipelineStep.glueWorkflow({ stepName: 'report', workflowName: workflow.ref }),
    ],
  });
  app.synth();

  const p = readPipelineTemplate(path.join(outdir, 'CfnRefs.template.json'));

  expect(p.stepParameters.crawl.crawlerName).toBe('raw-orders-crawler');
  expect(p.stepParameters.notify.triggerName).toBe('notify-downstream');
  expect(p.stepParameters.report.workflowName).toBe('orders-reporting');
  // The rule that hears of the crawl's end matches the same name the runner starts.
  expect(p.eventPatterns).toContainEqual(expect.objectContaining({
    detail: expect.objectContaining({ crawlerName: ['raw-orders-crawler'] }),
  }));
});
