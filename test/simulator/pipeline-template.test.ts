import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readPipelineTemplate } from '../../simulator/pipeline-template';
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
