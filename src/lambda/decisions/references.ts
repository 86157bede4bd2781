import { EXECUTION_REFERENCE, FieldRule, REFERENCE, STEP_KIND_SPECS, STEP_REFERENCE, StepTaskInput } from '../../shared/contract';
import { exactJsonText } from '../entry/exact-json';
import { InvalidTaskInputError } from '../entry/task-input';

/** The results of an execution's earlier steps, by step name. */
export type StepResults = ReadonlyMap<string, Record<string, unknown>>;

/** The steps whose results an input's references need. Pure. */
export function referencedSteps(input: StepTaskInput): string[] {
  const steps = new Set<string>();
  for (const value of Object.values(referableValues(input))) {
    for (const match of value.matchAll(REFERENCE)) {
      const step = STEP_REFERENCE.exec(match[1]);
      if (step) {
        steps.add(step[1]);
      }
    }
  }
  return [...steps];
}

/**
 * The input with every `{{execution.<path>}}` and `{{steps.<step>.<field>}}` in its argument
 * (or run property) values replaced by the value it names. Pure. Strings are put in as they
 * are, anything else as JSON, numbers beyond 2^53 with the digits they came with. A reference that cannot be resolved throws
 * InvalidTaskInputError naming it: the step fails with `Pipeline.InvalidInput`.
 */
export function resolveReferences<I extends StepTaskInput>(input: I, results: StepResults): I {
  const resolve = (key: string, value: string) => value.replace(REFERENCE, (_whole, ref: string) => {
    const execution = EXECUTION_REFERENCE.exec(ref);
    if (execution) {
      return text(input.inputs?.[execution[1]], () => `argument "${key}" refers to {{${ref}}}, but the task input carries no value for "${execution[1]}"; redeploy the pipeline so the state machine and the runner match`);
    }
    const step = STEP_REFERENCE.exec(ref);
    if (step) {
      const result = results.get(step[1]);
      if (!result) {
        throw new InvalidTaskInputError(`argument "${key}" refers to {{${ref}}}, but no result of step "${step[1]}" is kept for execution ${input.executionId}`);
      }
      return text(result[step[2]], () => `argument "${key}" refers to {{${ref}}}, but the result of step "${step[1]}" has no field "${step[2]}"`);
    }
    throw new InvalidTaskInputError(`argument "${key}" holds {{${ref}}}, which is neither {{execution.<path>}} nor {{steps.<step>.<field>}}`);
  });
  const fields = referableFields(input);
  if (fields.length === 0) {
    return input;
  }
  const resolved: Record<string, unknown> = { ...input };
  for (const field of fields) {
    resolved[field] = mapValues(fieldOf(input, field), resolve);
  }
  return resolved as I;
}

/** The fields of the input's kind that may hold references: its argument and property maps. */
function referableFields(input: StepTaskInput): string[] {
  return Object.entries(STEP_KIND_SPECS[input.kind].fields as Record<string, FieldRule>)
    .filter(([, rule]) => rule === 'arguments' || rule === 'properties')
    .map(([field]) => field);
}

function referableValues(input: StepTaskInput): Record<string, string> {
  return Object.assign({}, ...referableFields(input).map((field) => fieldOf(input, field)));
}

function fieldOf(input: StepTaskInput, field: string): Record<string, string> {
  return (input as unknown as Record<string, Record<string, string> | undefined>)[field] ?? {};
}

function mapValues(map: Record<string, string>, f: (key: string, value: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, f(k, v)]));
}

function text(value: unknown, missing: () => string): string {
  if (value === undefined || value === null) {
    throw new InvalidTaskInputError(missing());
  }
  return typeof value === 'string' ? value : exactJsonText(value);
}
