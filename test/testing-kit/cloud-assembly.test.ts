import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findPipelineTemplate, pipelineStacks } from '../../packages/testing/src/cloud-assembly';

const PIPELINE = { Resources: { A: { Type: 'AWS::StepFunctions::Activity' }, M: { Type: 'AWS::StepFunctions::StateMachine' } } };
const OTHER = { Resources: { B: { Type: 'AWS::S3::Bucket' } } };

/** A cloud assembly with these stacks (artifact id -> template). */
function assembly(stacks: Record<string, object>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assembly-'));
  const artifacts: Record<string, object> = { Tree: { type: 'cdk:tree', properties: { file: 'tree.json' } } };
  for (const [id, template] of Object.entries(stacks)) {
    fs.writeFileSync(path.join(dir, `${id}.template.json`), JSON.stringify(template));
    artifacts[id] = { type: 'aws:cloudformation:stack', properties: { templateFile: `${id}.template.json`, stackName: `${id}-stack` } };
  }
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ version: '41.0.0', artifacts }));
  return dir;
}

describe('finding the pipeline in a cloud assembly', () => {
  test('GIVEN one pipeline stack among others WHEN no stack is named THEN its template', () => {
    const dir = assembly({ Orders: PIPELINE, Storage: OTHER });
    expect(pipelineStacks(dir).map((s) => s.artifactId)).toEqual(['Orders']);
    expect(findPipelineTemplate(dir)).toBe(path.join(dir, 'Orders.template.json'));
  });

  test('GIVEN two pipeline stacks THEN a stack must be named, by artifact id or stack name', () => {
    const dir = assembly({ Orders: PIPELINE, Graph: PIPELINE });
    expect(() => findPipelineTemplate(dir)).toThrow(/2 stacks holding a GlueOrchestratedPipeline \(Orders, Graph\): name one with --stack/);
    expect(findPipelineTemplate(dir, 'Graph')).toBe(path.join(dir, 'Graph.template.json'));
    expect(findPipelineTemplate(dir, 'Orders-stack')).toBe(path.join(dir, 'Orders.template.json'));
  });

  test('a stack without a pipeline, or no assembly at all, is reported', () => {
    const dir = assembly({ Orders: PIPELINE, Storage: OTHER });
    expect(() => findPipelineTemplate(dir, 'Storage')).toThrow(/no stack "Storage" holding a GlueOrchestratedPipeline .*: Orders/);
    expect(() => findPipelineTemplate(path.join(dir, 'nothing'))).toThrow(/not a cloud assembly \(no manifest.json\)/);
  });
});
