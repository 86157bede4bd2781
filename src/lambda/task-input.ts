import { StepTaskInput, TASK_INPUT_VERSION } from '../shared/contract';

/** The task input cannot be used; the task is failed with `Pipeline.InvalidInput`. */
export class InvalidTaskInputError extends Error {
  public readonly name = 'InvalidTaskInputError';
}

type Json = Record<string, unknown>;

const EXECUTION_CLASSES = ['STANDARD', 'FLEX'] as const;

/**
 * Parses and checks the input of one activity task. Pure: throws InvalidTaskInputError naming
 * the offending field, never returns a half-valid input.
 */
export function parseTaskInput(raw: string | undefined): StepTaskInput {
  let value: unknown;
  try {
    value = JSON.parse(raw ?? '');
  } catch {
    throw new InvalidTaskInputError('task input is not JSON');
  }
  if (!isObject(value)) {
    throw new InvalidTaskInputError('task input must be a JSON object');
  }
  if (value.version !== TASK_INPUT_VERSION) {
    throw new InvalidTaskInputError(`task input version ${JSON.stringify(value.version)} is not supported (expected ${TASK_INPUT_VERSION}); redeploy the pipeline so the state machine and the runner match`);
  }
  if (value.kind !== 'glue-job') {
    throw new InvalidTaskInputError(`step kind ${JSON.stringify(value.kind)} is not supported (expected "glue-job")`);
  }
  const executionClass = optional(value, 'executionClass', (v) => {
    if (!EXECUTION_CLASSES.includes(v as typeof EXECUTION_CLASSES[number])) {
      throw new InvalidTaskInputError(`executionClass ${JSON.stringify(v)} must be one of ${EXECUTION_CLASSES.join(', ')}`);
    }
    return v as typeof EXECUTION_CLASSES[number];
  });
  return {
    version: TASK_INPUT_VERSION,
    kind: 'glue-job',
    stepName: requiredString(value, 'stepName'),
    jobName: requiredString(value, 'jobName'),
    arguments: parseArguments(value.arguments),
    workerType: optional(value, 'workerType', (v) => nonEmptyString('workerType', v)),
    numberOfWorkers: optional(value, 'numberOfWorkers', (v) => positiveInteger('numberOfWorkers', v)),
    maxCapacity: optional(value, 'maxCapacity', (v) => positiveNumber('maxCapacity', v)),
    executionClass,
    runTimeoutMinutes: optional(value, 'runTimeoutMinutes', (v) => positiveInteger('runTimeoutMinutes', v)),
    taskTimeoutSeconds: positiveInteger('taskTimeoutSeconds', value.taskTimeoutSeconds),
    heartbeatSeconds: positiveInteger('heartbeatSeconds', value.heartbeatSeconds),
    final: optional(value, 'final', (v) => {
      if (typeof v !== 'boolean') {
        throw new InvalidTaskInputError(`final must be true or false, got ${JSON.stringify(v)}`);
      }
      return v;
    }),
    executionId: requiredString(value, 'executionId'),
  };
}

function parseArguments(value: unknown): Record<string, string> {
  if (value === undefined) {
    return {};
  }
  if (!isObject(value)) {
    throw new InvalidTaskInputError('arguments must be an object of "--key": "value" strings');
  }
  const args: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (!key.startsWith('--')) {
      throw new InvalidTaskInputError(`argument key "${key}" must start with "--"`);
    }
    if (typeof v !== 'string') {
      throw new InvalidTaskInputError(`argument "${key}" must be a string, got ${typeof v}`);
    }
    args[key] = v;
  }
  return args;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optional<T>(obj: Json, key: string, parse: (v: unknown) => T): T | undefined {
  return obj[key] === undefined || obj[key] === null ? undefined : parse(obj[key]);
}

function requiredString(obj: Json, key: string): string {
  if (obj[key] === undefined) {
    throw new InvalidTaskInputError(`task input has no ${key}`);
  }
  return nonEmptyString(key, obj[key]);
}

function nonEmptyString(key: string, v: unknown): string {
  if (typeof v !== 'string' || v.length === 0) {
    throw new InvalidTaskInputError(`${key} must be a non-empty string, got ${JSON.stringify(v)}`);
  }
  return v;
}

function positiveNumber(key: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw new InvalidTaskInputError(`${key} must be a positive number, got ${JSON.stringify(v)}`);
  }
  return v;
}

function positiveInteger(key: string, v: unknown): number {
  if (!Number.isInteger(v) || (v as number) <= 0) {
    throw new InvalidTaskInputError(`${key} must be a positive integer, got ${JSON.stringify(v)}`);
  }
  return v as number;
}

