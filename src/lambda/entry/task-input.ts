import { parseExactJson } from './exact-json';
import { FieldRule, STEP_KIND_SPECS, STEP_KINDS, StepKind, StepTaskInput, TASK_INPUT_VERSION, TaskInputCommon, TaskRetryPolicy } from '../../shared/contract';
import { readRerunRequest } from '../../shared/rerun';
import { unreachable } from '../../shared/unreachable';

/** The task input cannot be used; the task is failed with `Pipeline.InvalidInput`. */
export class InvalidTaskInputError extends Error {
  public readonly name = 'InvalidTaskInputError';
}

type Json = Record<string, unknown>;

/**
 * Parses and checks the input of one activity task. Pure: throws InvalidTaskInputError naming
 * the offending field, never returns a half-valid input.
 */
export function parseTaskInput(raw: string | undefined): StepTaskInput {
  let value: unknown;
  try {
    // Numbers beyond 2^53 (an execution input's order id, say) keep their exact digits.
    value = parseExactJson(raw ?? '');
  } catch {
    throw new InvalidTaskInputError('task input is not JSON');
  }
  if (!isObject(value)) {
    throw new InvalidTaskInputError('task input must be a JSON object');
  }
  if (value.version !== TASK_INPUT_VERSION) {
    throw new InvalidTaskInputError(`task input version ${JSON.stringify(value.version)} is not supported (expected ${TASK_INPUT_VERSION}); redeploy the pipeline so the state machine and the runner match`);
  }
  const common: TaskInputCommon = {
    version: TASK_INPUT_VERSION,
    stepName: requiredString(value, 'stepName'),
    taskTimeoutSeconds: positiveInteger('taskTimeoutSeconds', value.taskTimeoutSeconds),
    heartbeatSeconds: positiveInteger('heartbeatSeconds', value.heartbeatSeconds),
    final: optional(value, 'final', (v) => {
      if (typeof v !== 'boolean') {
        throw new InvalidTaskInputError(`final must be true or false, got ${JSON.stringify(v)}`);
      }
      return v;
    }),
    dependsOn: optional(value, 'dependsOn', parseStepNames),
    follows: optional(value, 'follows', (v) => nonEmptyString('follows', v)),
    rerunFrom: optional(value, 'rerunFrom', (v) => {
      try {
        return readRerunRequest(v);
      } catch (err) {
        throw new InvalidTaskInputError(`the execution input's ${(err as Error).message}`);
      }
    }),
    keepResultSeconds: optional(value, 'keepResultSeconds', (v) => positiveInteger('keepResultSeconds', v)),
    inputs: optional(value, 'inputs', (v) => {
      if (!isObject(v)) {
        throw new InvalidTaskInputError('inputs must be an object of execution input values by path');
      }
      return v;
    }),
    executionId: requiredString(value, 'executionId'),
    attempt: optional(value, 'attempt', (v) => wholeNumber('attempt', v)),
    redriveCount: optional(value, 'redriveCount', (v) => wholeNumber('redriveCount', v)),
    pipelineName: optional(value, 'pipelineName', (v) => nonEmptyString('pipelineName', v)),
    retry: optional(value, 'retry', parseRetry),
    expectedSeconds: optional(value, 'expectedSeconds', (v) => positiveInteger('expectedSeconds', v)),
  };
  if (!STEP_KINDS.includes(value.kind as StepKind)) {
    throw new InvalidTaskInputError(`step kind ${JSON.stringify(value.kind)} is not supported (expected one of ${STEP_KINDS.join(', ')}); redeploy the pipeline so the state machine and the runner match`);
  }
  return { ...common, ...parseKindFields(value.kind as StepKind, value) } as StepTaskInput;
}

/**
 * The kind's own fields, each read by its rule in the kind's specification. Pure; throws
 * InvalidTaskInputError naming the field.
 */
function parseKindFields(kind: StepKind, value: Json): Record<string, unknown> {
  const fields: Record<string, unknown> = { kind };
  for (const [field, rule] of Object.entries(STEP_KIND_SPECS[kind].fields as Record<string, FieldRule>)) {
    const parsed = parseField(field, rule, value);
    if (parsed !== undefined) {
      fields[field] = parsed;
    }
  }
  return fields;
}

function parseField(field: string, rule: FieldRule, value: Json): unknown {
  if (typeof rule === 'object') {
    return optional(value, field, (v) => {
      if (!rule.oneOf.includes(v as string)) {
        throw new InvalidTaskInputError(`${field} ${JSON.stringify(v)} must be one of ${rule.oneOf.join(', ')}`);
      }
      return v;
    });
  }
  switch (rule) {
    case 'name': return requiredString(value, field);
    case 'text?': return optional(value, field, (v) => nonEmptyString(field, v));
    case 'count?': return optional(value, field, (v) => positiveInteger(field, v));
    case 'amount?': return optional(value, field, (v) => positiveNumber(field, v));
    case 'whole?': return optional(value, field, (v) => wholeNumber(field, v));
    case 'arguments':
      return parseStringMap(field, 'argument', value[field], (key) => (key.startsWith('--') ? undefined : `argument key "${key}" must start with "--"`));
    case 'properties': return parseStringMap(field, 'run property', value[field], () => undefined);
    default: return unreachable(rule, 'field rule');
  }
}

/** The state's Retry as the construct writes it: a list of `{ errors, maxAttempts }`. */
function parseRetry(v: unknown): TaskRetryPolicy[] {
  const valid = Array.isArray(v) && v.every((r) => isObject(r)
    && Array.isArray(r.errors) && r.errors.length > 0 && r.errors.every((e) => typeof e === 'string' && e.length > 0)
    && Number.isInteger(r.maxAttempts) && (r.maxAttempts as number) >= 0);
  if (!valid) {
    throw new InvalidTaskInputError(`retry must be a list of { errors, maxAttempts }, got ${JSON.stringify(v)}`);
  }
  return (v as Json[]).map((r) => ({ errors: [...r.errors as string[]], maxAttempts: r.maxAttempts as number }));
}

function wholeNumber(key: string, v: unknown): number {
  if (!Number.isInteger(v) || (v as number) < 0) {
    throw new InvalidTaskInputError(`${key} must be a whole number, 0 or more, got ${JSON.stringify(v)}`);
  }
  return v as number;
}

function parseStepNames(v: unknown): string[] {
  if (!Array.isArray(v) || v.some((name) => typeof name !== 'string' || name.length === 0)) {
    throw new InvalidTaskInputError(`dependsOn must be a list of step names, got ${JSON.stringify(v)}`);
  }
  return [...v] as string[];
}

/** A map of strings (`what` names one entry); `keyProblem` says what is wrong with a key, if anything. */
function parseStringMap(field: string, what: string, value: unknown, keyProblem: (key: string) => string | undefined): Record<string, string> {
  if (value === undefined || value === null) {
    return {};
  }
  if (!isObject(value)) {
    throw new InvalidTaskInputError(`${field} must be an object of "key": "value" strings`);
  }
  const map: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    const problem = keyProblem(key);
    if (problem) {
      throw new InvalidTaskInputError(problem);
    }
    if (typeof v !== 'string') {
      throw new InvalidTaskInputError(`${what} "${key}" must be a string, got ${typeof v}`);
    }
    map[key] = v;
  }
  return map;
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

