/**
 * Logical dates and the execution names made from them. A logical date is the period a run is
 * for (a day, `YYYY-MM-DD`, or an hour, `YYYY-MM-DDTHH`, both UTC), not the moment it started.
 * The backfill command and a schedule (whose logical dates are read in its time zone:
 * `logicalDateOf`, scheduled-start.ts) name an execution by its logical date with the same rule,
 * so one date is one execution name, and Step Functions refuses a second execution of that name
 * (docs/aws-assumptions.md, "Execution names"). Pure.
 */

/** `day`: `YYYY-MM-DD`; `hour`: `YYYY-MM-DDTHH` (no minutes: `:` is not allowed in an execution name). */
export type Granularity = 'day' | 'hour';

/** The prefix of every execution name unless the user gives another: `run-2026-11-24`. */
export const DEFAULT_EXECUTION_NAME_PREFIX = 'run';

/** Step Functions execution names: 1 to 80 characters. */
export const MAX_EXECUTION_NAME_LENGTH = 80;

/** The most attempts one value may have; the name of the last is `<name>-attempt-99`. */
export const MAX_ATTEMPTS = 99;

/** The most dates one range may hold (about 27 years of days, or 14 months of hours). */
export const MAX_RANGE_LENGTH = 10_000;

/** A value that cannot be a logical date or part of an execution name: the message says which and what to do. */
export class LogicalDateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogicalDateError';
  }
}

/**
 * The characters allowed in a prefix and a value: the ones Step Functions asks for when the
 * execution's events are logged to CloudWatch Logs (0-9, A-Z, a-z, `-`, `_`), stricter than what
 * the service accepts.
 */
const NAME_PART = /^[0-9A-Za-z_-]+$/;
const ATTEMPT_SUFFIX = /-attempt-\d+$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const HOUR = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})$/;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A logical date read: its granularity and the UTC moment it begins. */
export interface ParsedLogicalDate {
  readonly granularity: Granularity;
  readonly startMs: number;
}

/** Reads `YYYY-MM-DD` or `YYYY-MM-DDTHH`; a `LogicalDateError` naming the text otherwise. */
export function parseLogicalDate(text: string): ParsedLogicalDate {
  const day = DAY.exec(text);
  const hour = day ? undefined : HOUR.exec(text);
  const parts = day ?? hour;
  if (!parts) {
    throw new LogicalDateError(`"${text}" is not a logical date: write a day as YYYY-MM-DD (2026-11-24) or an hour as YYYY-MM-DDTHH (2026-11-24T05), in UTC`);
  }
  const [year, month, date, hh] = parts.slice(1).map(Number);
  const startMs = Date.UTC(year, month - 1, date, hh ?? 0);
  const back = new Date(startMs);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== date || (hh ?? 0) > 23) {
    throw new LogicalDateError(`"${text}" is not a date of the calendar: check the month, the day${hour ? ' and the hour (00-23)' : ''}`);
  }
  return { granularity: hour ? 'hour' : 'day', startMs };
}

/** The logical date of the period beginning at `startMs` (UTC). */
export function formatLogicalDate(startMs: number, granularity: Granularity): string {
  const iso = new Date(startMs).toISOString();
  return granularity === 'day' ? iso.slice(0, 10) : iso.slice(0, 13);
}

/**
 * Every logical date from `from` to `to`, both included, oldest first. Both must have the same
 * granularity, `from` must not be after `to`, and the range holds at most `MAX_RANGE_LENGTH`.
 */
export function logicalDatesBetween(from: string, to: string): string[] {
  const first = parseLogicalDate(from);
  const last = parseLogicalDate(to);
  if (first.granularity !== last.granularity) {
    const kind = (g: Granularity) => (g === 'day' ? 'a day' : 'an hour');
    throw new LogicalDateError(`"${from}" is ${kind(first.granularity)} and "${to}" ${kind(last.granularity)}: give both ends as days (YYYY-MM-DD) or both as hours (YYYY-MM-DDTHH)`);
  }
  if (first.startMs > last.startMs) {
    throw new LogicalDateError(`the range starts at "${from}", after its end "${to}": give the earlier date first`);
  }
  const step = first.granularity === 'day' ? DAY_MS : HOUR_MS;
  const count = (last.startMs - first.startMs) / step + 1;
  if (count > MAX_RANGE_LENGTH) {
    throw new LogicalDateError(`"${from}" to "${to}" holds ${count} ${first.granularity}s, more than ${MAX_RANGE_LENGTH}: split it into smaller ranges`);
  }
  return Array.from({ length: count }, (_, i) => formatLogicalDate(first.startMs + i * step, first.granularity));
}

/**
 * A run value (a logical date, or any value of a list) checked for use in an execution name:
 * 0-9, A-Z, a-z, `-` and `_` only, and no `-attempt-<n>` ending (that ending names later
 * attempts).
 */
export function checkRunValue(value: string): string {
  if (!NAME_PART.test(value)) {
    throw new LogicalDateError(`"${value}" cannot be part of an execution name: use only letters, digits, "-" and "_"`);
  }
  if (ATTEMPT_SUFFIX.test(value)) {
    throw new LogicalDateError(`"${value}" ends like a later attempt's name ("-attempt-<n>"): choose another value`);
  }
  return value;
}

/**
 * The execution name of a value's attempt: `<prefix>-<value>` for the first, and
 * `<prefix>-<value>-attempt-<n>` for attempt n (2 to 99), which `--only-failed` starts when the
 * failed execution can no longer be redriven. Deterministic: the same value, prefix and attempt
 * always give the same name. 80 characters at most.
 */
export function executionNameFor(value: string, prefix: string = DEFAULT_EXECUTION_NAME_PREFIX, attempt = 1): string {
  if (!NAME_PART.test(prefix)) {
    throw new LogicalDateError(`the execution name prefix "${prefix}" is not allowed: use only letters, digits, "-" and "_", at least one`);
  }
  checkRunValue(value);
  if (!Number.isInteger(attempt) || attempt < 1 || attempt > MAX_ATTEMPTS) {
    throw new LogicalDateError(`attempt ${attempt} of "${value}" is out of range: attempts are numbered 1 to ${MAX_ATTEMPTS}`);
  }
  const name = attempt === 1 ? `${prefix}-${value}` : `${prefix}-${value}-attempt-${attempt}`;
  if (name.length > MAX_EXECUTION_NAME_LENGTH) {
    throw new LogicalDateError(`the execution name "${name}" is ${name.length} characters, more than Step Functions' ${MAX_EXECUTION_NAME_LENGTH}: use a shorter prefix or value`);
  }
  return name;
}

/**
 * Checks that every attempt's name of `value` fits, so a run that has started some dates never
 * stops at a name it cannot make.
 */
export function checkNamesFit(value: string, prefix: string = DEFAULT_EXECUTION_NAME_PREFIX): void {
  executionNameFor(value, prefix, MAX_ATTEMPTS);
}

/**
 * The ARN of a state machine's execution of a name: `arn:<partition>:states:<region>:<account>:
 * execution:<state machine name>:<execution name>` (docs/aws-assumptions.md, "Execution names").
 */
export function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}
