/**
 * The name of a rerun's execution. By default `<earlier name>-from-<step>`, and `-2`, `-3`...
 * after it when that name is taken (Step Functions keeps a name 90 days after its execution
 * ended), so rerunning the same day twice starts a second execution instead of failing. Pure.
 */
import { checkRunValue, LogicalDateError, MAX_EXECUTION_NAME_LENGTH } from '../../shared/logical-date';
import { RefusedError, UsageError } from '../exit-codes';

/** The most default names tried: `-from-<step>`, then `-2` to `-99`, as the backfill's attempts go to 99. */
export const MAX_RERUN_NAMES = 99;

/**
 * The `n`th default name of a rerun of `earlierName` from `step` (n from 1). A `RefusedError`
 * telling to pass `--name` when it would be longer than Step Functions' 80 characters or hold a
 * character the backfill's names do not (the earlier name's own, such as "."), or when `n` is past
 * `MAX_RERUN_NAMES`.
 */
export function defaultRerunName(earlierName: string, step: string, n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > MAX_RERUN_NAMES) {
    throw new RefusedError(`${earlierName}-from-${step} and its ${MAX_RERUN_NAMES - 1} numbered names (-2 to -${MAX_RERUN_NAMES}) are all taken: `
      + 'give the new execution a name with --name');
  }
  const name = n === 1 ? `${earlierName}-from-${step}` : `${earlierName}-from-${step}-${n}`;
  if (name.length > MAX_EXECUTION_NAME_LENGTH) {
    throw new RefusedError(`the default name "${name}" is ${name.length} characters, more than Step Functions' ${MAX_EXECUTION_NAME_LENGTH}: `
      + 'give the new execution a shorter name with --name');
  }
  try {
    checkRunValue(name);
  } catch (err) {
    throw err instanceof LogicalDateError
      ? new RefusedError(`the default name "${name}" has characters other than letters, digits, "-" and "_" (from the earlier execution's name): `
        + 'give the new execution a name with --name')
      : err;
  }
  return name;
}

/**
 * `--name`, checked as the backfill checks its names: 1 to 80 letters, digits, `-` and `_` (what
 * Step Functions asks of executions logged to CloudWatch Logs), and no `-attempt-<n>` ending, which
 * names a backfill's later attempts. A `UsageError` naming it otherwise.
 */
export function checkRerunName(name: string): string {
  try {
    checkRunValue(name);
  } catch (err) {
    throw err instanceof LogicalDateError ? new UsageError(`--name: ${err.message}`) : err;
  }
  if (name.length > MAX_EXECUTION_NAME_LENGTH) {
    throw new UsageError(`--name "${name}" is ${name.length} characters, more than Step Functions' ${MAX_EXECUTION_NAME_LENGTH}: choose a shorter name`);
  }
  return name;
}
