import { GlueJob, PipelineStep } from '../../src';
import { parseTaskInput } from '../../src/lambda/entry/task-input';
import {
  ANY_STEP_ERRORS, FieldRule, STEP_KIND_SPECS, STEP_KINDS, STEP_OUTPUT_FIELDS, StepKind, StepTaskInput, TASK_INPUT_VERSION, targetOf,
} from '../../src/shared/contract';

/**
 * The kind specifications are the one declaration of each step kind: these cases tie the
 * construct's step of each kind to its specification, and the runner's reading of a task input
 * to what the construct writes.
 */

/** A step of each kind, with every field of its own that the public API can set. */
const STEP_OF: Record<StepKind, () => PipelineStep> = {
  'glue-job': () => PipelineStep.glueJob({
    job: GlueJob.fromName('load-orders', { maxRetries: 1 }),
    arguments: { '--day': '{{execution.runDate}}' },
  }),
  'glue-crawler': () => PipelineStep.glueCrawler({ crawlerName: 'raw-crawler' }),
  'glue-trigger': () => PipelineStep.glueTrigger({ triggerName: 'on-demand-trigger' }),
  'glue-workflow': () => PipelineStep.glueWorkflow({ workflowName: 'nightly-workflow', runProperties: { day: '{{execution.runDate}}' } }),
};

const COMMON = { version: TASK_INPUT_VERSION, taskTimeoutSeconds: 7200, heartbeatSeconds: 300, executionId: 'arn:aws:states:us-east-1:111122223333:execution:sm:e' };

describe.each(STEP_KINDS)('the %s kind', (kind) => {
  const spec = STEP_KIND_SPECS[kind];
  const step = STEP_OF[kind]();
  const fields = step._taskFields() as unknown as Record<string, unknown>;

  test('GIVEN its step WHEN its task fields are written THEN each is a field its specification has a rule for', () => {
    expect(step.kind).toBe(kind);
    expect(Object.keys(fields).filter((f) => f !== 'kind' && fields[f] !== undefined).filter((f) => !(f in spec.fields))).toEqual([]);
  });

  test('GIVEN its step WHEN the runner reads the task input the construct writes THEN it reads every field back, and names the step\'s resource', () => {
    // WHEN
    const parsed = parseTaskInput(JSON.stringify({ ...COMMON, stepName: step.stepName, ...fields })) as unknown as Record<string, unknown>;
    // THEN
    for (const [field, value] of Object.entries(fields)) {
      if (value !== undefined && !(typeof value === 'object' && Object.keys(value as object).length === 0)) {
        expect([field, parsed[field]]).toEqual([field, value]);
      }
    }
    expect(targetOf(parsed as unknown as StepTaskInput)).toBe(step.resourceName);
  });

  test('its specification: the resource field is a required name, every kind\'s errors are among its own, and its result starts with the step\'s name', () => {
    expect((spec.fields as Record<string, FieldRule>)[spec.targetField]).toBe('name');
    expect(spec.errors).toEqual(expect.arrayContaining([...ANY_STEP_ERRORS]));
    expect(STEP_OUTPUT_FIELDS[kind][0]).toBe('stepName');
    expect(STEP_OUTPUT_FIELDS[kind]).toContain(spec.targetField);
  });

  test('its end event, if any, names the resource by a field and lists at least one end state', () => {
    const event = spec.endEvent;
    if (event) {
      expect(event.nameField).toBe(spec.targetField);
      expect(event.states.length).toBeGreaterThan(0);
    }
  });
});

test.each<[string, Record<string, unknown>, RegExp]>([
  ['a job input missing its job', { kind: 'glue-job' }, /task input has no jobName/],
  ['a job input whose worker count is not a count', { kind: 'glue-job', jobName: 'j', numberOfWorkers: 0 }, /numberOfWorkers must be a positive integer/],
  ['a job input whose retries are negative', { kind: 'glue-job', jobName: 'j', maxRetries: -1 }, /maxRetries must be a whole number, 0 or more/],
  ['a job input with an unknown execution class', { kind: 'glue-job', jobName: 'j', executionClass: 'CHEAP' }, /executionClass "CHEAP" must be one of STANDARD, FLEX/],
  ['a job input with an argument key lacking "--"', { kind: 'glue-job', jobName: 'j', arguments: { day: '1' } }, /argument key "day" must start with "--"/],
  ['a workflow input whose run property is a number', { kind: 'glue-workflow', workflowName: 'w', runProperties: { day: 1 } }, /run property "day" must be a string/],
  ['a crawler input whose crawler is empty', { kind: 'glue-crawler', crawlerName: '' }, /crawlerName must be a non-empty string/],
])('GIVEN %s WHEN the runner reads it by the kind\'s field rules THEN it is refused, naming the field', (_label, own, message) => {
  expect(() => parseTaskInput(JSON.stringify({ ...COMMON, stepName: 's', ...own }))).toThrow(message);
});
