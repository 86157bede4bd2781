import { taskInput } from './fixtures';
import { InvalidTaskInputError, parseTaskInput } from '../../src/lambda/entry/task-input';
import { GlueJobTaskInput } from '../../src/shared/contract';

/** Parses an input the test knows is a Glue job step's. */
const parseJob = (input: unknown) => parseTaskInput(JSON.stringify(input)) as GlueJobTaskInput;

/** Parses `input` and returns the error it throws (failing the test if it does not throw). */
function rejectionOf(input: unknown): InvalidTaskInputError {
  const raw = typeof input === 'string' ? input : JSON.stringify(input);
  try {
    parseTaskInput(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidTaskInputError);
    return err as InvalidTaskInputError;
  }
  throw new Error(`expected ${raw} to be rejected`);
}

describe('parseTaskInput', () => {
  it('GIVEN a valid input WHEN parsed THEN every field round-trips unchanged', () => {
    // GIVEN
    const input = taskInput({ maxCapacity: undefined });
    // WHEN
    const parsed = parseTaskInput(JSON.stringify(input));
    // THEN
    expect(parsed).toEqual({
      version: 2,
      kind: 'glue-job',
      stepName: 'load',
      jobName: 'load-job',
      arguments: { '--source': 's3://bucket/in/', '--day': '2025-03-01' },
      workerType: 'G.1X',
      numberOfWorkers: 10,
      maxCapacity: undefined,
      executionClass: 'STANDARD',
      runTimeoutMinutes: 120,
      taskTimeoutSeconds: 7200,
      heartbeatSeconds: 300,
      executionId: 'arn:aws:states:us-east-1:111122223333:execution:sm:exec-1',
    });
  });

  it('GIVEN a minimal input without arguments or capacity WHEN parsed THEN arguments are empty and optional fields unset', () => {
    // GIVEN
    const input = taskInput({
      arguments: undefined, workerType: undefined, numberOfWorkers: undefined, executionClass: undefined, runTimeoutMinutes: undefined,
    });
    // WHEN
    const parsed = parseJob(input);
    // THEN
    expect(parsed.arguments).toEqual({});
    expect(parsed.workerType).toBeUndefined();
    expect(parsed.numberOfWorkers).toBeUndefined();
    expect(parsed.executionClass).toBeUndefined();
    expect(parsed.runTimeoutMinutes).toBeUndefined();
  });

  it('GIVEN FLEX and a max capacity WHEN parsed THEN both are kept', () => {
    // WHEN
    const parsed = parseJob(taskInput({ executionClass: 'FLEX', workerType: undefined, numberOfWorkers: undefined, maxCapacity: 2.5 }));
    // THEN
    expect(parsed.executionClass).toBe('FLEX');
    expect(parsed.maxCapacity).toBe(2.5);
  });

  it('GIVEN text that is not JSON WHEN parsed THEN the error says so', () => {
    expect(rejectionOf('{"version": 1,').message).toBe('task input is not JSON');
  });

  it('GIVEN no input at all WHEN parsed THEN the error says it is not JSON', () => {
    expect(() => parseTaskInput(undefined)).toThrow(new InvalidTaskInputError('task input is not JSON'));
  });

  it.each([['an array', '[1,2]'], ['a string', '"load"'], ['null', 'null'], ['a number', '42']])(
    'GIVEN JSON that is %s WHEN parsed THEN the error says it must be an object',
    (_label, raw) => {
      expect(rejectionOf(raw).message).toBe('task input must be a JSON object');
    },
  );

  it('GIVEN version 1 (a state machine from before the redeploy) WHEN parsed THEN the error names the version and the expected one', () => {
    const message = rejectionOf(taskInput({ version: 1 })).message;
    expect(message).toContain('task input version 1 is not supported');
    expect(message).toContain('expected 2');
  });

  it('GIVEN the version as a string WHEN parsed THEN it is rejected, naming the string', () => {
    expect(rejectionOf(taskInput({ version: '1' })).message).toContain('task input version "1" is not supported');
  });

  it('GIVEN another step kind WHEN parsed THEN the error names the kind', () => {
    expect(rejectionOf(taskInput({ kind: 'crawler' })).message).toContain('step kind "crawler" is not supported');
  });

  it('GIVEN no jobName WHEN parsed THEN the error names jobName', () => {
    expect(rejectionOf(taskInput({ jobName: undefined })).message).toBe('task input has no jobName');
  });

  it('GIVEN an empty jobName WHEN parsed THEN the error names jobName and the value', () => {
    expect(rejectionOf(taskInput({ jobName: '' })).message).toBe('jobName must be a non-empty string, got ""');
  });

  it('GIVEN no executionId WHEN parsed THEN the error names executionId', () => {
    expect(rejectionOf(taskInput({ executionId: undefined })).message).toBe('task input has no executionId');
  });

  it('GIVEN an argument whose value is a number WHEN parsed THEN the error names the argument and its type', () => {
    expect(rejectionOf(taskInput({ arguments: { '--day': '2025-03-01', '--limit': 5 } })).message).toBe('argument "--limit" must be a string, got number');
  });

  it('GIVEN an argument key without "--" WHEN parsed THEN the error names the key', () => {
    expect(rejectionOf(taskInput({ arguments: { source: 's3://bucket/' } })).message).toBe('argument key "source" must start with "--"');
  });

  it('GIVEN arguments that are an array WHEN parsed THEN the error names arguments', () => {
    expect(rejectionOf(taskInput({ arguments: ['--a', 'b'] })).message).toContain('arguments must be an object');
  });

  it.each([[0], [-3], [2.5], ['10']])('GIVEN numberOfWorkers %p WHEN parsed THEN the error names numberOfWorkers and the value', (value) => {
    expect(rejectionOf(taskInput({ numberOfWorkers: value })).message).toBe(`numberOfWorkers must be a positive integer, got ${JSON.stringify(value)}`);
  });

  it.each([['SPOT'], ['flex'], [1]])('GIVEN executionClass %p WHEN parsed THEN the error names executionClass and the allowed values', (value) => {
    expect(rejectionOf(taskInput({ executionClass: value })).message).toBe(`executionClass ${JSON.stringify(value)} must be one of STANDARD, FLEX`);
  });

  it('GIVEN a non-positive taskTimeoutSeconds WHEN parsed THEN the error names taskTimeoutSeconds', () => {
    expect(rejectionOf(taskInput({ taskTimeoutSeconds: 0 })).message).toBe('taskTimeoutSeconds must be a positive integer, got 0');
  });

  it.each([[undefined], [0], [-60], [1.5], ['300']])('GIVEN heartbeatSeconds %p WHEN parsed THEN the error names heartbeatSeconds and the value', (value) => {
    expect(rejectionOf(taskInput({ heartbeatSeconds: value })).message).toBe(`heartbeatSeconds must be a positive integer, got ${JSON.stringify(value)}`);
  });

  it('GIVEN the attempt, the state machine\'s name and the state\'s retry policy WHEN parsed THEN all three are kept', () => {
    // GIVEN
    const retry = [{ errors: ['States.HeartbeatTimeout'], maxAttempts: 2 }, { errors: ['Glue.JobFailed', 'States.ALL'], maxAttempts: 0 }];
    // WHEN
    const parsed = parseTaskInput(JSON.stringify({ ...taskInput(), attempt: 3, pipelineName: 'nightly-etl', retry }));
    // THEN
    expect(parsed).toMatchObject({ attempt: 3, pipelineName: 'nightly-etl', retry });
  });

  it('GIVEN the execution\'s redrive count WHEN parsed THEN it is kept: a redriven step\'s attempt counts from 0 again', () => {
    const parsed = parseTaskInput(JSON.stringify({ ...taskInput(), attempt: 0, redriveCount: 2 }));
    expect(parsed).toMatchObject({ attempt: 0, redriveCount: 2 });
  });

  it('GIVEN an input from a state machine deployed before attempt, pipelineName and retry WHEN parsed THEN it is valid and they are unset', () => {
    const parsed = parseTaskInput(JSON.stringify(taskInput()));
    expect(parsed.redriveCount).toBeUndefined();
    expect(parsed.attempt).toBeUndefined();
    expect(parsed.pipelineName).toBeUndefined();
    expect(parsed.retry).toBeUndefined();
    expect(parsed.expectedSeconds).toBeUndefined();
  });

  it('GIVEN a step\'s expected duration WHEN parsed THEN expectedSeconds is kept', () => {
    expect(parseTaskInput(JSON.stringify({ ...taskInput(), expectedSeconds: 600 })).expectedSeconds).toBe(600);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a negative attempt', { attempt: -1 }, 'attempt must be a whole number, 0 or more, got -1'],
    ['a fractional redriveCount', { redriveCount: 0.5 }, 'redriveCount must be a whole number, 0 or more, got 0.5'],
    ['an empty pipelineName', { pipelineName: '' }, 'pipelineName must be a non-empty string, got ""'],
    ['a retry that is not a list', { retry: { errors: ['x'] } }, 'retry must be a list of { errors, maxAttempts }, got {"errors":["x"]}'],
    ['a retrier without error names', { retry: [{ errors: [], maxAttempts: 1 }] }, 'retry must be a list of { errors, maxAttempts }, got [{"errors":[],"maxAttempts":1}]'],
    ['a zero expectedSeconds', { expectedSeconds: 0 }, 'expectedSeconds must be a positive integer, got 0'],
    ['a fractional expectedSeconds', { expectedSeconds: 1.5 }, 'expectedSeconds must be a positive integer, got 1.5'],
    ['a retrier with a fractional maxAttempts', { retry: [{ errors: ['a'], maxAttempts: 1.5 }] }, 'retry must be a list of { errors, maxAttempts }, got [{"errors":["a"],"maxAttempts":1.5}]'],
  ])('GIVEN %s WHEN parsed THEN the error names the field and the value', (_case, change, message) => {
    expect(rejectionOf({ ...taskInput(), ...change }).message).toBe(message);
  });

  it('GIVEN a zero maxCapacity WHEN parsed THEN the error names maxCapacity', () => {
    expect(rejectionOf(taskInput({ maxCapacity: 0 })).message).toBe('maxCapacity must be a positive number, got 0');
  });
});

/** The fields every kind's task input has, as the state machine builds them. */
const COMMON = {
  version: 2,
  stepName: 'step',
  taskTimeoutSeconds: 7200,
  heartbeatSeconds: 300,
  executionId: 'arn:aws:states:us-east-1:111122223333:execution:sm:exec-1',
};

const crawlerTask = (overrides: Record<string, unknown> = {}) => ({ ...COMMON, kind: 'glue-crawler', crawlerName: 'raw-crawler', ...overrides });
const triggerTask = (overrides: Record<string, unknown> = {}) => ({ ...COMMON, kind: 'glue-trigger', triggerName: 'nightly-trigger', ...overrides });
const workflowTask = (overrides: Record<string, unknown> = {}) => ({
  ...COMMON, kind: 'glue-workflow', workflowName: 'etl-workflow', runProperties: { day: '2025-03-01', source: 's3://bucket/in/' }, ...overrides,
});

describe('parseTaskInput, every step kind', () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['a crawler step', crawlerTask(), { kind: 'glue-crawler', crawlerName: 'raw-crawler' }],
    ['a trigger step', triggerTask(), { kind: 'glue-trigger', triggerName: 'nightly-trigger' }],
    ['a workflow step', workflowTask(), { kind: 'glue-workflow', workflowName: 'etl-workflow', runProperties: { day: '2025-03-01', source: 's3://bucket/in/' } }],
  ])('GIVEN %s WHEN parsed THEN the common fields and its own fields are kept', (_label, input, own) => {
    // WHEN
    const parsed = parseTaskInput(JSON.stringify(input));
    // THEN
    expect(parsed).toEqual({ ...COMMON, ...own });
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['a crawler step', crawlerTask({ jobName: 'x', arguments: { '--a': 'b' }, runProperties: { a: 'b' } }), ['jobName', 'arguments', 'runProperties', 'workerType']],
    ['a trigger step', triggerTask({ jobName: 'x', arguments: { '--a': 'b' }, crawlerName: 'c' }), ['jobName', 'arguments', 'crawlerName']],
    ['a workflow step', workflowTask({ jobName: 'x', arguments: { '--a': 'b' }, numberOfWorkers: 3 }), ['jobName', 'arguments', 'numberOfWorkers']],
  ])('GIVEN %s carrying fields of other kinds WHEN parsed THEN those fields are dropped, never passed on', (_label, input, dropped) => {
    // WHEN
    const parsed = parseTaskInput(JSON.stringify(input));
    // THEN
    for (const field of dropped) {
      expect(parsed).not.toHaveProperty(field);
    }
  });

  it('GIVEN a workflow step without runProperties WHEN parsed THEN its run properties are empty', () => {
    expect(parseTaskInput(JSON.stringify(workflowTask({ runProperties: undefined })))).toMatchObject({ runProperties: {} });
  });

  it('GIVEN a workflow step whose run property keys do not start with "--" WHEN parsed THEN they are kept: only job arguments need "--"', () => {
    expect(parseTaskInput(JSON.stringify(workflowTask({ runProperties: { plain_key: 'v' } })))).toMatchObject({ runProperties: { plain_key: 'v' } });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a crawler step without crawlerName', crawlerTask({ crawlerName: undefined }), 'task input has no crawlerName'],
    ['a trigger step without triggerName', triggerTask({ triggerName: undefined }), 'task input has no triggerName'],
    ['a workflow step without workflowName', workflowTask({ workflowName: undefined }), 'task input has no workflowName'],
    ['a crawler step with an empty crawlerName', crawlerTask({ crawlerName: '' }), 'crawlerName must be a non-empty string, got ""'],
    ['a trigger step with a numeric triggerName', triggerTask({ triggerName: 7 }), 'triggerName must be a non-empty string, got 7'],
    ['a workflow step with a null workflowName', workflowTask({ workflowName: null }), 'workflowName must be a non-empty string, got null'],
    ['a crawler step naming its crawler as jobName', crawlerTask({ crawlerName: undefined, jobName: 'raw-crawler' }), 'task input has no crawlerName'],
  ])('GIVEN %s WHEN parsed THEN the error names the missing field', (_label, input, message) => {
    expect(rejectionOf(input).message).toBe(message);
  });

  it.each<[string, unknown]>([
    ['an unknown kind', 'glue-databrew'],
    ['no kind', undefined],
    ['a kind in other case', 'GLUE-JOB'],
    ['a kind that is not a string', 3],
  ])('GIVEN %s WHEN parsed THEN the error names the kind and every supported kind', (_label, kind) => {
    // WHEN
    const message = rejectionOf(taskInput({ kind })).message;
    // THEN
    expect(message).toContain(`step kind ${JSON.stringify(kind)} is not supported`);
    expect(message).toContain('expected one of glue-job, glue-crawler, glue-trigger, glue-workflow');
  });
});

describe('parseTaskInput, run properties must be strings', () => {
  it.each<[string, unknown, string]>([
    ['a number', { day: '2025-03-01', limit: 5 }, 'run property "limit" must be a string, got number'],
    ['a boolean', { full: true }, 'run property "full" must be a string, got boolean'],
    ['an object', { source: { bucket: 'b' } }, 'run property "source" must be a string, got object'],
    ['null', { day: null }, 'run property "day" must be a string, got object'],
  ])('GIVEN a run property that is %s WHEN parsed THEN the error names the property and its type', (_label, runProperties, message) => {
    expect(rejectionOf(workflowTask({ runProperties })).message).toBe(message);
  });

  it.each([['an array', ['day', 'x']], ['a string', 'day=x'], ['a number', 1]])('GIVEN runProperties that are %s WHEN parsed THEN the error says they must be an object', (_label, runProperties) => {
    expect(rejectionOf(workflowTask({ runProperties })).message).toBe('runProperties must be an object of "key": "value" strings');
  });
});

describe('parseTaskInput, graph and reference fields', () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['dependsOn listing two steps', { dependsOn: ['extract', 'clean'] }, { dependsOn: ['extract', 'clean'] }],
    ['an empty dependsOn (a graph step with no dependencies)', { dependsOn: [] }, { dependsOn: [] }],
    ['keepResultSeconds', { keepResultSeconds: 3600 }, { keepResultSeconds: 3600 }],
    ['inputs by path', { inputs: { 'day': '2025-03-01', 'source.bucket': 'b', 'limit': 5, 'flags': { a: true } } },
      { inputs: { 'day': '2025-03-01', 'source.bucket': 'b', 'limit': 5, 'flags': { a: true } } }],
    ['an empty inputs object', { inputs: {} }, { inputs: {} }],
  ])('GIVEN a job step with %s WHEN parsed THEN it is kept as given', (_label, fields, expected) => {
    expect(parseTaskInput(JSON.stringify(taskInput(fields)))).toMatchObject(expected);
  });

  it.each<[string, Record<string, unknown>]>([
    ['a crawler step', crawlerTask({ dependsOn: ['extract'], keepResultSeconds: 60, inputs: { day: 'd' } })],
    ['a trigger step', triggerTask({ dependsOn: ['extract'], keepResultSeconds: 60, inputs: { day: 'd' } })],
    ['a workflow step', workflowTask({ dependsOn: ['extract'], keepResultSeconds: 60, inputs: { day: 'd' } })],
  ])('GIVEN %s with dependsOn, keepResultSeconds and inputs WHEN parsed THEN they are kept: they are common to every kind', (_label, input) => {
    expect(parseTaskInput(JSON.stringify(input))).toMatchObject({ dependsOn: ['extract'], keepResultSeconds: 60, inputs: { day: 'd' } });
  });

  it.each<[string, Record<string, unknown>]>([
    ['a sequence step (none of the fields)', {}],
    ['the fields set to null', { dependsOn: null, keepResultSeconds: null, inputs: null }],
  ])('GIVEN %s WHEN parsed THEN dependsOn, keepResultSeconds and inputs are unset', (_label, fields) => {
    // WHEN
    const parsed = parseTaskInput(JSON.stringify(taskInput(fields)));
    // THEN
    expect(parsed.dependsOn).toBeUndefined();
    expect(parsed.keepResultSeconds).toBeUndefined();
    expect(parsed.inputs).toBeUndefined();
  });

  it.each<[string, unknown]>([
    ['a string', 'extract'],
    ['an object', { extract: true }],
    ['a list holding an empty name', ['extract', '']],
    ['a list holding a number', ['extract', 2]],
    ['a list holding null', [null]],
    ['a number', 1],
  ])('GIVEN dependsOn that is %s WHEN parsed THEN the error names dependsOn and the value', (_label, dependsOn) => {
    expect(rejectionOf(taskInput({ dependsOn })).message).toBe(`dependsOn must be a list of step names, got ${JSON.stringify(dependsOn)}`);
  });

  it.each([[0], [-60], [1.5], ['3600'], [true]])('GIVEN keepResultSeconds %p WHEN parsed THEN the error names keepResultSeconds and the value', (keepResultSeconds) => {
    expect(rejectionOf(taskInput({ keepResultSeconds })).message).toBe(`keepResultSeconds must be a positive integer, got ${JSON.stringify(keepResultSeconds)}`);
  });

  it.each<[string, unknown]>([
    ['an array', ['day']],
    ['a string', 'day=2025-03-01'],
    ['a number', 5],
    ['false', false],
  ])('GIVEN inputs that are %s WHEN parsed THEN the error says they must be an object by path', (_label, inputs) => {
    expect(rejectionOf(taskInput({ inputs })).message).toBe('inputs must be an object of execution input values by path');
  });

  it.each([['"yes"', 'yes'], ['1', 1]])('GIVEN final %s WHEN parsed THEN the error names final', (_label, final) => {
    expect(rejectionOf(taskInput({ final })).message).toBe(`final must be true or false, got ${JSON.stringify(final)}`);
  });
});
