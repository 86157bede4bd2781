import { crawlerInput, EXECUTION_ID, stepInput, triggerInput, workflowInput } from './fixtures';
import { referencedSteps, resolveReferences, StepResults } from '../../src/lambda/decisions/references';
import { InvalidTaskInputError, parseTaskInput } from '../../src/lambda/entry/task-input';
import { GlueJobTaskInput, StepTaskInput } from '../../src/shared/contract';

/** The results of the execution's earlier steps, as the tracking store returns them. */
const RESULTS: StepResults = new Map<string, Record<string, unknown>>([
  ['extract', { stepName: 'extract', jobName: 'extract-job', jobRunId: 'jr_extract', state: 'SUCCEEDED', executionTimeSeconds: 1200 }],
  ['crawl', { stepName: 'crawl', crawlerName: 'raw', state: 'SUCCEEDED', logGroup: '/aws-glue/crawlers', logStream: undefined }],
]);

const INPUTS = { 'day': '2025-03-01', 'source.bucket': 'raw-bucket', 'limit': 500, 'full': false, 'tables': ['a', 'b'], 'window': { from: 1, to: 2 } };

/** A job step whose arguments are `args`, carrying the execution input values in INPUTS. */
const jobWith = (args: Record<string, string>, overrides: Partial<GlueJobTaskInput> = {}) =>
  stepInput(1, { arguments: args, inputs: INPUTS, ...overrides });

/** Resolves `value` as the only argument of a job step and returns what it became. */
function resolved(value: string, results: StepResults = RESULTS, overrides: Partial<GlueJobTaskInput> = {}): string {
  return resolveReferences(jobWith({ '--value': value }, overrides), results).arguments['--value'];
}

/** Resolves `value` and returns the InvalidTaskInputError it throws (failing the test if it does not throw). */
function rejectionOf(value: string, results: StepResults = RESULTS, overrides: Partial<GlueJobTaskInput> = {}): InvalidTaskInputError {
  try {
    resolved(value, results, overrides);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidTaskInputError);
    return err as InvalidTaskInputError;
  }
  throw new Error(`expected ${value} to be rejected`);
}

describe('resolveReferences, execution input', () => {
  it.each<[string, string, string]>([
    ['a string value', '{{execution.day}}', '2025-03-01'],
    ['a string value inside text', 's3://out/day={{execution.day}}/', 's3://out/day=2025-03-01/'],
    ['a value under a dotted path', '{{execution.source.bucket}}', 'raw-bucket'],
    ['a number, as JSON', '{{execution.limit}}', '500'],
    ['false, as JSON', '{{execution.full}}', 'false'],
    ['a list, as JSON', '{{execution.tables}}', '["a","b"]'],
    ['an object, as JSON', '{{execution.window}}', '{"from":1,"to":2}'],
    ['spaces inside the braces', '{{ execution.day }}', '2025-03-01'],
  ])('GIVEN an argument referring to %s WHEN resolved THEN it holds that value', (_label, value, expected) => {
    expect(resolved(value)).toBe(expected);
  });
});

describe('resolveReferences, step results', () => {
  it.each<[string, string, string]>([
    ['a string field', '{{steps.extract.jobRunId}}', 'jr_extract'],
    ['a number field, as JSON', '{{steps.extract.executionTimeSeconds}}', '1200'],
    ['a field of a crawler step', '{{steps.crawl.logGroup}}', '/aws-glue/crawlers'],
    ['a field inside text', 'run={{steps.extract.jobRunId}};', 'run=jr_extract;'],
  ])('GIVEN an argument referring to %s WHEN resolved THEN it holds that value', (_label, value, expected) => {
    expect(resolved(value)).toBe(expected);
  });

  it('GIVEN one value with several references of both sorts WHEN resolved THEN each is replaced in place', () => {
    expect(resolved('s3://{{execution.source.bucket}}/{{execution.day}}/{{steps.extract.jobRunId}}/{{execution.day}}'))
      .toBe('s3://raw-bucket/2025-03-01/jr_extract/2025-03-01');
  });

  it('GIVEN several arguments WHEN resolved THEN each is resolved, keys and plain values are kept, and the input is not changed', () => {
    // GIVEN
    const input = jobWith({ '--day': '{{execution.day}}', '--run': '{{steps.extract.jobRunId}}', '--plain': 'as is', '--braces': '{ not a reference }' });
    const before = JSON.stringify(input);
    // WHEN
    const out = resolveReferences(input, RESULTS);
    // THEN
    expect(out.arguments).toEqual({ '--day': '2025-03-01', '--run': 'jr_extract', '--plain': 'as is', '--braces': '{ not a reference }' });
    expect({ ...out, arguments: input.arguments }).toEqual(input);
    expect(JSON.stringify(input)).toBe(before);
  });

  it('GIVEN a resolved value that itself looks like a reference WHEN resolved THEN it is put in as it is, not resolved again', () => {
    // GIVEN
    const results: StepResults = new Map([['extract', { jobRunId: '{{execution.day}}' }]]);
    // WHEN / THEN
    expect(resolved('{{steps.extract.jobRunId}}', results)).toBe('{{execution.day}}');
  });

  it('GIVEN a value holding "$&" WHEN resolved THEN it is put in literally, not as a replacement pattern', () => {
    expect(resolved('{{execution.day}}', RESULTS, { inputs: { day: 'a$&b$1' } })).toBe('a$&b$1');
  });
});

describe('resolveReferences, step kinds', () => {
  it('GIVEN a workflow step WHEN resolved THEN its run properties are resolved', () => {
    // GIVEN
    const input = workflowInput(1, { runProperties: { day: '{{execution.day}}', run: '{{steps.extract.jobRunId}}' }, inputs: INPUTS });
    // WHEN
    const out = resolveReferences(input, RESULTS);
    // THEN
    expect(out.runProperties).toEqual({ day: '2025-03-01', run: 'jr_extract' });
  });

  it.each<[string, StepTaskInput]>([
    ['a crawler step', crawlerInput(1)],
    ['a trigger step', triggerInput(1)],
  ])('GIVEN %s (nothing to resolve) WHEN resolved THEN the input comes back as it was', (_label, input) => {
    expect(resolveReferences(input, new Map())).toBe(input);
  });

  it('GIVEN a job step without references WHEN resolved with no results THEN its arguments are unchanged', () => {
    expect(resolveReferences(stepInput(1), new Map()).arguments).toEqual({ '--day': '2025-03-01' });
  });
});

describe('resolveReferences, references that cannot be resolved', () => {
  it.each<[string, string, Partial<GlueJobTaskInput>, string]>([
    ['an execution value the input does not carry', '{{execution.region}}', {},
      'argument "--value" refers to {{execution.region}}, but the task input carries no value for "region"'],
    ['an execution value when the input carries no inputs at all', '{{execution.day}}', { inputs: undefined },
      'argument "--value" refers to {{execution.day}}, but the task input carries no value for "day"'],
    ['an execution value that is null', '{{execution.day}}', { inputs: { day: null } },
      'argument "--value" refers to {{execution.day}}, but the task input carries no value for "day"'],
  ])('GIVEN %s WHEN resolved THEN it fails naming the argument, the reference and the path', (_label, value, overrides, message) => {
    expect(rejectionOf(value, RESULTS, overrides).message).toContain(message);
  });

  it('GIVEN a step whose result is not kept WHEN resolved THEN it fails naming the reference, the step and the execution', () => {
    expect(rejectionOf('{{steps.load.jobRunId}}').message)
      .toBe(`argument "--value" refers to {{steps.load.jobRunId}}, but no result of step "load" is kept for execution ${EXECUTION_ID}`);
  });

  it.each([
    ['a field the result does not have', '{{steps.extract.workflowRunId}}', 'extract', 'workflowRunId'],
    ['a field whose value is unset', '{{steps.crawl.logStream}}', 'crawl', 'logStream'],
  ])('GIVEN a reference to %s WHEN resolved THEN it fails naming the reference, the step and the field', (_label, value, step, field) => {
    expect(rejectionOf(value).message).toBe(`argument "--value" refers to ${value}, but the result of step "${step}" has no field "${field}"`);
  });

  it.each([
    ['neither execution nor steps', '{{day}}', 'day'],
    ['an empty reference', '{{}}', ''],
    ['an execution path ending in a dot', '{{execution.day.}}', 'execution.day.'],
    ['an execution path starting with a digit', '{{execution.1day}}', 'execution.1day'],
    ['a step reference without a field', '{{steps.extract}}', 'steps.extract'],
    ['a step reference with a nested field', '{{steps.extract.run.id}}', 'steps.extract.run.id'],
    ['a step field with an underscore', '{{steps.extract.job_run}}', 'steps.extract.job_run'],
    ['another source', '{{env.HOME}}', 'env.HOME'],
  ])('GIVEN %s WHEN resolved THEN it fails as malformed, naming the reference', (_label, value, ref) => {
    expect(rejectionOf(value).message).toBe(`argument "--value" holds {{${ref}}}, which is neither {{execution.<path>}} nor {{steps.<step>.<field>}}`);
  });

  it('GIVEN a workflow run property that cannot be resolved WHEN resolved THEN it fails naming the property', () => {
    // GIVEN
    const input = workflowInput(1, { runProperties: { run: '{{steps.load.workflowRunId}}' } });
    // WHEN / THEN
    expect(() => resolveReferences(input, RESULTS)).toThrow(InvalidTaskInputError);
    expect(() => resolveReferences(input, RESULTS)).toThrow('"run" refers to {{steps.load.workflowRunId}}');
  });
});

describe('referencedSteps', () => {
  it.each<[string, StepTaskInput, string[]]>([
    ['a job step with no references', stepInput(1), []],
    ['a job step referring only to the execution input', jobWith({ '--day': '{{execution.day}}' }), []],
    ['a job step referring to two steps, one twice', jobWith({ '--a': '{{steps.extract.jobRunId}}/{{steps.clean.state}}', '--b': '{{ steps.extract.state }}' }), ['extract', 'clean']],
    ['a job step with a malformed step reference', jobWith({ '--a': '{{steps.extract}}', '--b': '{{steps.x.y.z}}' }), []],
    ['a job step mixing both sorts', jobWith({ '--a': '{{execution.day}}-{{steps.load.jobRunId}}' }), ['load']],
    ['a workflow step referring in its run properties', workflowInput(1, { runProperties: { a: '{{steps.crawl.state}}' } }), ['crawl']],
    ['a crawler step', crawlerInput(1), []],
    ['a trigger step', triggerInput(1), []],
  ])('GIVEN %s WHEN asked THEN the steps whose results are needed are %j', (_label, input, expected) => {
    expect(referencedSteps(input)).toEqual(expected);
  });
});

describe('numbers beyond 2^53 in the execution input', () => {
  it('GIVEN a task input holding an order id of 27 digits WHEN {{execution.orderId}} and the object holding it are resolved THEN every digit reaches the argument', () => {
    // GIVEN the task input as the runner parses it
    const digits = '123456789012345678901234567';
    const input = parseTaskInput(JSON.stringify(stepInput(1, { arguments: { '--id': '{{execution.orderId}}', '--order': '{{execution.order}}' } }))
      .replace('"version"', `"inputs":{"orderId":${digits},"order":{"id":${digits},"qty":2}},"version"`)) as GlueJobTaskInput;
    // WHEN
    const args = resolveReferences(input, RESULTS).arguments;
    // THEN
    expect(args).toEqual({ '--id': digits, '--order': `{"id":${digits},"qty":2}` });
  });
});
