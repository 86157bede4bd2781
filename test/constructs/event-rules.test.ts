import { Match } from 'aws-cdk-lib/assertions';
import * as glue from 'aws-cdk-lib/aws-glue';
import { GlueJob, PipelineStep } from '../../src';
import { glueEventPattern, packEventPatterns } from '../../src/constructs/glue-event-patterns';
import { AwsLimits } from '../../src/constructs/limits/aws-limits';
import { resolvedJsonLength, resolvedStringLength } from '../../src/constructs/limits/resolved-length';
import { GLUE_CRAWLER_STATE_CHANGE, GLUE_JOB_STATE_CHANGE } from '../../src/shared/contract';
import { synthPipeline } from '../support/pipeline-fixture';


/** Every job-ended rule's pattern, as the template holds it. */
function jobRulePatterns(template: ReturnType<typeof synthPipeline>['template']): Array<{ detail: { jobName: unknown[] } }> {
  const rules = template.findResources('AWS::Events::Rule', {
    Properties: { EventPattern: { 'source': ['aws.glue'], 'detail-type': [GLUE_JOB_STATE_CHANGE] } },
  });
  return Object.values(rules).map((r) => r.Properties.EventPattern);
}

function jobSteps(count: number, name: (i: number) => string) {
  return Array.from({ length: count }, (_, i) => PipelineStep.glueJob({ job: GlueJob.fromName(name(i)), stepName: `s${i}` }));
}

describe('packEventPatterns', () => {
  // measure: 10 characters per pattern plus the names' lengths
  const measure = (group: readonly string[]) => 10 + group.join('').length;

  test.each([
    { names: ['aaaa', 'bbbb', 'cccc'], max: 100, groups: [['aaaa', 'bbbb', 'cccc']] },
    { names: ['aaaa', 'bbbb', 'cccc'], max: 18, groups: [['aaaa', 'bbbb'], ['cccc']] },
    { names: ['aaaa', 'bbbb', 'cccc'], max: 14, groups: [['aaaa'], ['bbbb'], ['cccc']] },
    { names: [], max: 14, groups: [] },
  ])('$names within $max -> $groups', ({ names, max, groups }) => {
    expect(packEventPatterns(names, measure, max)).toEqual(groups);
  });

  test('a name that does not fit alone is an error naming it and the limit', () => {
    expect(() => packEventPatterns(['a'.repeat(20)], measure, 14))
      .toThrow(/the event pattern matching "a{20}" alone would have 30 characters, more than EventBridge's 14 per pattern/);
  });
});

describe('resolved lengths', () => {
  const bound = () => 255;
  test.each([
    { value: 'abc', string: 3, json: 5 },
    { value: { Ref: 'Job' }, string: 255, json: 257 },
    { value: { 'Fn::Join': ['-', ['ab', { Ref: 'Job' }]] }, string: 258, json: 260 },
    { value: ['a', { Ref: 'Job' }], string: AwsLimits.ARN_CHARACTERS, json: 2 + 3 + 1 + 257 },
    { value: { k: ['a'] }, string: AwsLimits.ARN_CHARACTERS, json: '{"k":["a"]}'.length },
  ])('$value', ({ value, string, json }) => {
    expect(resolvedStringLength(value, bound)).toBe(string);
    expect(resolvedJsonLength(value, bound)).toBe(json);
  });
});

describe('job-ended rules', () => {
  test('45 jobs named like prod-datalake-orders-transform-region-NN are split so that each pattern fits', () => {
    // GIVEN the names a new user tried: one rule would hold a 2,072-character pattern
    const names = (i: number) => `prod-datalake-orders-transform-region-${String(i).padStart(2, '0')}`;
    const spec = { detailType: GLUE_JOB_STATE_CHANGE, nameField: 'jobName', states: ['SUCCEEDED', 'FAILED', 'TIMEOUT', 'STOPPED'] };
    expect(JSON.stringify(glueEventPattern(spec, Array.from({ length: 45 }, (_, i) => names(i)))).length).toBe(2072);
    // WHEN
    const { template, pipeline } = synthPipeline({ steps: jobSteps(45, names) });
    // THEN every job is matched by exactly one rule, and each pattern fits
    const patterns = jobRulePatterns(template);
    expect(patterns.length).toBe(2);
    expect(pipeline.runEndedRules.length).toBe(2);
    expect(pipeline.runEndedRule).toBe(pipeline.runEndedRules[0]);
    expect(patterns.flatMap((p) => p.detail.jobName).sort()).toEqual(Array.from({ length: 45 }, (_, i) => names(i)).sort());
    for (const pattern of patterns) {
      expect(JSON.stringify(pattern).length).toBeLessThanOrEqual(AwsLimits.EVENT_PATTERN_CHARACTERS);
    }
    // AND each rule invokes the runner, with one target only
    template.allResourcesProperties('AWS::Events::Rule', { Targets: Match.arrayWith([Match.objectLike({ Arn: Match.anyValue() })]) });
  });

  test('jobs from CfnJobs without a name are counted at Glue\'s longest name, not at the length of their Ref', () => {
    // GIVEN 10 CfnJobs whose names CloudFormation generates: the template shows short Refs
    const { template } = synthPipeline((stack) => ({
      steps: Array.from({ length: 10 }, (_, i) => PipelineStep.glueJob({
        stepName: `s${i}`,
        job: GlueJob.fromCfnJob(new glue.CfnJob(stack, `Job${i}`, { role: 'arn:aws:iam::123456789012:role/glue', command: { name: 'glueetl' } })),
      })),
    }));
    // THEN each rule holds at most (2,048 - the rest of the pattern) / 258 of them: 7
    const patterns = jobRulePatterns(template);
    expect(patterns.map((p) => p.detail.jobName.length)).toEqual([7, 3]);
  });

  test('a CfnJob with a literal name counts that name', () => {
    const { template } = synthPipeline((stack) => ({
      steps: Array.from({ length: 30 }, (_, i) => PipelineStep.glueJob({
        stepName: `s${i}`,
        job: GlueJob.fromCfnJob(new glue.CfnJob(stack, `Job${i}`, { name: `job-${i}`, role: 'arn:aws:iam::123456789012:role/glue', command: { name: 'glueetl' } })),
      })),
    }));
    expect(jobRulePatterns(template).length).toBe(1);
  });

  test('a small pipeline keeps one rule per kind, with its usual id', () => {
    const { template, pipeline } = synthPipeline({
      steps: [
        PipelineStep.glueJob({ job: GlueJob.fromName('extract-orders') }),
        PipelineStep.glueCrawler({ crawlerName: 'orders-crawler' }),
      ],
    });
    template.resourcePropertiesCountIs('AWS::Events::Rule', { EventPattern: Match.objectLike({ 'detail-type': [GLUE_JOB_STATE_CHANGE] }) }, 1);
    template.resourcePropertiesCountIs('AWS::Events::Rule', { EventPattern: Match.objectLike({ 'detail-type': [GLUE_CRAWLER_STATE_CHANGE] }) }, 1);
    expect(pipeline.runEndedRule?.node.id).toBe('RunEnded');
    expect(pipeline.crawlEndedRule?.node.id).toBe('CrawlEnded');
    expect(pipeline.crawlEndedRules.length).toBe(1);
  });
});
