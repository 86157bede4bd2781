import { EXECUTION_STATUS_CHANGE, STEP_KIND_SPECS, STEP_KINDS, StepKind } from '../../shared/contract';
import { readScheduledStart, ScheduledStart } from '../../shared/scheduled-start';

/** Why the runner was invoked, read from its event. Pure. */
export type RunnerTrigger =
  /** The schedule, a manual call, or anything unrecognised: check everything, start what is expected. */
  | { readonly kind: 'sweep' }
  /**
   * Glue's event that the work of a step kind ended (its `endEvent`): a job run reached a final
   * state ("Glue Job State Change", naming the run), a crawl ended ("Glue Crawler State Change").
   */
  | {
    readonly kind: 'work-ended';
    readonly stepKind: StepKind;
    /** The job, crawler... the event names. */
    readonly resourceName: string;
    /** The run the event names, for a kind whose event names one. */
    readonly runId?: string;
    readonly state: string;
  }
  /**
   * EventBridge "Step Functions Execution Status Change" RUNNING: its first task is on its way.
   * `startedAt` (epoch ms) is the detail's `startDate`, else the event's `time`; unset when neither reads.
   */
  | { readonly kind: 'execution-started'; readonly executionArn: string; readonly startedAt?: number }
  /**
   * A pipeline schedule fired (EventBridge Scheduler): start the execution of its logical date.
   * `start` is unset, with `invalid` saying why, when the payload claims to be a schedule's but
   * does not read as one: nothing is started, and no sweep either (the schedule is not the sweep).
   */
  | { readonly kind: 'scheduled-start'; readonly start?: ScheduledStart; readonly invalid?: string };

/**
 * Classifies an invocation event. An event that looks like one of ours but lacks a field falls
 * back to a sweep: a sweep is always safe, it only costs more.
 */
export function classifyEvent(event: unknown): RunnerTrigger {
  const e = isObject(event) ? event : {};
  const detail = isObject(e.detail) ? e.detail : {};
  const scheduled = readScheduledStart(event);
  if (scheduled instanceof Error) {
    return { kind: 'scheduled-start', invalid: scheduled.message };
  }
  if (scheduled) {
    return { kind: 'scheduled-start', start: scheduled };
  }
  if (e.source === 'aws.glue') {
    return workEnded(e['detail-type'], detail) ?? { kind: 'sweep' };
  }
  if (e.source === 'aws.states' && e['detail-type'] === EXECUTION_STATUS_CHANGE
    && detail.status === 'RUNNING' && nonEmpty(detail.executionArn)) {
    return { kind: 'execution-started', executionArn: detail.executionArn, startedAt: startTimeOf(detail.startDate, e.time) };
  }
  return { kind: 'sweep' };
}

/** The end of a kind's work that a Glue event tells, read by the kind's `endEvent`; undefined for none. */
function workEnded(detailType: unknown, detail: Record<string, unknown>): RunnerTrigger | undefined {
  const stepKind = STEP_KINDS.find((kind) => STEP_KIND_SPECS[kind].endEvent?.detailType === detailType);
  const spec = stepKind && STEP_KIND_SPECS[stepKind].endEvent;
  if (!stepKind || !spec) {
    return undefined;
  }
  const resourceName = detail[spec.nameField];
  const state = detail.state;
  if (!nonEmpty(resourceName) || !nonEmpty(state)) {
    return undefined;
  }
  if (spec.runIdField === undefined) {
    return spec.states.includes(state) ? { kind: 'work-ended', stepKind, resourceName, state } : undefined;
  }
  const runId = detail[spec.runIdField];
  return nonEmpty(runId) ? { kind: 'work-ended', stepKind, resourceName, runId, state } : undefined;
}

/** The execution's start (epoch ms): `detail.startDate` (epoch ms), else the envelope's ISO `time`. */
function startTimeOf(startDate: unknown, time: unknown): number | undefined {
  if (typeof startDate === 'number' && Number.isFinite(startDate) && startDate > 0) {
    return startDate;
  }
  const parsed = typeof time === 'string' ? Date.parse(time) : NaN;
  return Number.isFinite(parsed) ? parsed : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}
