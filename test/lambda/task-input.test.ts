import { taskInput } from './fixtures';
import { InvalidTaskInputError, parseTaskInput } from '../../src/lambda/task-input';

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
    const parsed = parseTaskInput(JSON.stringify(input));
    // THEN
    expect(parsed.arguments).toEqual({});
    expect(parsed.workerType).toBeUndefined();
    expect(parsed.numberOfWorkers).toBeUndefined();
    expect(parsed.executionClass).toBeUndefined();
    expect(parsed.runTimeoutMinutes).toBeUndefined();
  });

  it('GIVEN FLEX and a max capacity WHEN parsed THEN both are kept', () => {
    // WHEN
    const parsed = parseTaskInput(JSON.stringify(taskInput({ executionClass: 'FLEX', workerType: undefined, numberOfWorkers: undefined, maxCapacity: 2.5 })));
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

  it('GIVEN an input from an older state machine that still carries attempt WHEN parsed THEN attempt is dropped, never passed on', () => {
    // WHEN
    const parsed = parseTaskInput(JSON.stringify({ ...taskInput(), attempt: 3 }));
    // THEN
    expect(parsed).not.toHaveProperty('attempt');
  });

  it('GIVEN a zero maxCapacity WHEN parsed THEN the error names maxCapacity', () => {
    expect(rejectionOf(taskInput({ maxCapacity: 0 })).message).toBe('maxCapacity must be a positive number, got 0');
  });
});
