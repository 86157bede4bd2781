/**
 * Starting executions on a schedule: what the construct's EventBridge Scheduler schedule sends
 * the runner, and the logical date of a scheduled run. Shared by the construct (which writes the
 * payload) and the runner (which reads it). Pure.
 */

/** `source` of the payload a pipeline schedule sends the runner. */
export const SCHEDULED_START_SOURCE = 'glue-orchestrated-pipeline.schedule';

/** EventBridge Scheduler's context attribute for the time a run was scheduled for (ISO 8601, UTC). */
export const SCHEDULED_TIME_ATTRIBUTE = '<aws.scheduler.scheduled-time>';

/** The execution input field a schedule puts the logical date in, unless told another. */
export const DEFAULT_DATE_FIELD = 'runDate';

/** What a logical date names: a day (`YYYY-MM-DD`) or an hour (`YYYY-MM-DDTHH`). */
export type LogicalPeriod = 'DAY' | 'HOUR';

/**
 * The payload of one schedule: everything the runner needs to start the run, so one function
 * serves any number of schedules and needs no setting of its own for them.
 */
export interface ScheduledStart {
  readonly source: typeof SCHEDULED_START_SOURCE;
  /** When the run was scheduled for: Scheduler's `<aws.scheduler.scheduled-time>`, substituted. */
  readonly scheduledTime: string;
  /** IANA time zone the logical date is read in (the schedule's own). */
  readonly timeZone: string;
  readonly period: LogicalPeriod;
  /** Periods before the one the schedule fired in: 1 = a nightly run is for the day before. */
  readonly periodsBack: number;
  /** The execution input field that receives the logical date. */
  readonly dateField: string;
  /** The rest of the execution input, as the user gave it. */
  readonly input: Record<string, unknown>;
  /** The execution name is this prefix, `-`, and the logical date (`executionNameFor`, logical-date.ts). */
  readonly namePrefix: string;
}

/** A payload that does not read as a `ScheduledStart`: which field and why. */
export class ScheduledStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduledStartError';
  }
}

/**
 * The logical date of a run scheduled for `scheduledAt` (epoch ms): the day or hour, in
 * `timeZone`, `periodsBack` periods before the one holding `scheduledAt`. Both are counted on
 * the wall clock, not in elapsed time: a day of 23 or 25 hours is still one day, and an hour
 * back from 03:00 is 02:00 whether or not the clocks changed in between. So consecutive runs of
 * a cron schedule (which Scheduler runs once per wall-clock time) name consecutive dates and
 * hours: none is skipped and none named twice. (An hour the clocks skip in spring may be named:
 * its run finds no data of that hour.)
 */
export function logicalDateOf(scheduledAt: number, timeZone: string, period: LogicalPeriod, periodsBack: number): string {
  const { date, hour } = localParts(scheduledAt, timeZone);
  // The local label, as if it were UTC: plain calendar and clock arithmetic, free of the zone's offsets.
  const label = new Date(`${date}T${hour}:00:00Z`);
  if (period === 'HOUR') {
    label.setUTCHours(label.getUTCHours() - periodsBack);
    return label.toISOString().slice(0, 13);
  }
  label.setUTCDate(label.getUTCDate() - periodsBack);
  return label.toISOString().slice(0, 10);
}

/** The local calendar date (`YYYY-MM-DD`) and hour (`HH`, 00–23) of an instant in a time zone. */
function localParts(at: number, timeZone: string): { date: string; hour: string } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit',
  }).formatToParts(new Date(at));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return { date: `${part('year')}-${part('month')}-${part('day')}`, hour: part('hour') };
}

/** Whether `timeZone` is an IANA time zone this runtime knows. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads a runner event as a schedule's payload: undefined when it is not one (another source),
 * a `ScheduledStartError` naming the field when it claims to be one but a field is missing or
 * wrong.
 */
export function readScheduledStart(event: unknown): ScheduledStart | ScheduledStartError | undefined {
  if (!isObject(event) || event.source !== SCHEDULED_START_SOURCE) {
    return undefined;
  }
  const bad = (field: string, want: string) =>
    new ScheduledStartError(`schedule payload field "${field}" must be ${want}, got ${JSON.stringify(event[field])}`);
  const { scheduledTime, timeZone, period, periodsBack, dateField, input, namePrefix } = event;
  if (typeof scheduledTime !== 'string' || !Number.isFinite(Date.parse(scheduledTime))) {
    return bad('scheduledTime', 'an ISO 8601 time');
  }
  if (typeof timeZone !== 'string' || !isKnownTimeZone(timeZone)) {
    return bad('timeZone', 'an IANA time zone');
  }
  if (period !== 'DAY' && period !== 'HOUR') {
    return bad('period', '"DAY" or "HOUR"');
  }
  if (typeof periodsBack !== 'number' || !Number.isInteger(periodsBack) || periodsBack < 0) {
    return bad('periodsBack', 'a whole number, 0 or more');
  }
  if (typeof dateField !== 'string' || dateField.length === 0) {
    return bad('dateField', 'a non-empty string');
  }
  if (!isObject(input)) {
    return bad('input', 'a JSON object');
  }
  if (typeof namePrefix !== 'string' || !/^[0-9A-Za-z_-]+$/.test(namePrefix)) {
    return bad('namePrefix', 'letters, digits, "-" and "_", at least one');
  }
  return { source: SCHEDULED_START_SOURCE, scheduledTime, timeZone, period, periodsBack, dateField, input, namePrefix };
}

/** The execution input of a scheduled run: the user's input with the logical date in `dateField`. */
export function scheduledInput(start: ScheduledStart, logicalDate: string): Record<string, unknown> {
  return { ...start.input, [start.dateField]: logicalDate };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

