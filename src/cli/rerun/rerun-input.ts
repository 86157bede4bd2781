/**
 * The input of a rerun's execution: the earlier execution's (or `--input`), a JSON object, with
 * `rerunFrom` set to the request. Pure.
 */
import { RERUN_INPUT_FIELD, RerunRequest } from '../../shared/rerun';
import { MAX_INPUT_BYTES } from '../backfill/input-template';
import { RefusedError, UsageError } from '../exit-codes';

/**
 * The new execution's input: `base` with `rerunFrom` set to `request`. A `rerunFrom` already in
 * `base` (the earlier execution was itself a rerun) is replaced: a rerun points at the execution
 * it reruns, whose results already hold what that one reused. A `RefusedError` when the input
 * would be over Step Functions' 256 KiB.
 */
export function rerunInput(base: Readonly<Record<string, unknown>>, request: RerunRequest): string {
  const input = JSON.stringify({ ...base, [RERUN_INPUT_FIELD]: { step: request.step, execution: request.execution } });
  const bytes = Buffer.byteLength(input, 'utf8');
  if (bytes > MAX_INPUT_BYTES) {
    throw new RefusedError(`the rerun's input is ${bytes} bytes, more than the ${MAX_INPUT_BYTES} Step Functions accepts: give a smaller one with --input`);
  }
  return input;
}

/**
 * The earlier execution's input, which the rerun's starts from. A `RefusedError` naming it if it
 * is not a JSON object, or if DescribeExecution left it out (`text` undefined; `included` is its
 * `inputDetails.included`, false when the caller may not see the execution's data): an empty
 * input instead would lose what the earlier one held, such as the logical date.
 */
export function earlierInput(text: string | undefined, executionName: string, included?: boolean): Record<string, unknown> {
  if (text === undefined) {
    throw new RefusedError(`the earlier execution's input could not be read (DescribeExecution of ${executionName} has no input`
      + `${included === false ? ': inputDetails.included is false, so this caller may not see its data' : ''}): `
      + 'give the new execution\'s input with --input \'{...}\' (the earlier execution\'s input, as it shows in the console)');
  }
  const value = jsonObject(text);
  if (typeof value === 'string') {
    throw new RefusedError(`the input of ${executionName} is ${value}: a rerun's input must be an object (it gains "${RERUN_INPUT_FIELD}"); `
      + 'give the new execution\'s input with --input \'{...}\'');
  }
  return value;
}

/** `--input`, read. A `UsageError` naming it if it is not a JSON object. */
export function inputOption(text: string): Record<string, unknown> {
  const value = jsonObject(text);
  if (typeof value === 'string') {
    throw new UsageError(`--input ${text} is ${value}: give a JSON object, quoted for the shell, e.g. --input '{"runDate":"2026-11-30"}'`);
  }
  return value;
}

/** The object `text` holds, or why it is none. */
function jsonObject(text: string): Record<string, unknown> | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return `not JSON (${(err as Error).message})`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `not a JSON object (${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`})`;
  }
  return value as Record<string, unknown>;
}
