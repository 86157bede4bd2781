import { EXECUTION_STATUS_CHANGE, GLUE_CRAWLER_STATE_CHANGE, GLUE_JOB_STATE_CHANGE } from '../../shared/contract';

/** Why the runner was invoked, read from its event. Pure. */
export type RunnerTrigger =
  /** The schedule, a manual call, or anything unrecognised: check everything, start what is expected. */
  | { readonly kind: 'sweep' }
  /** EventBridge "Glue Job State Change": one run reached a final state. */
  | { readonly kind: 'run-ended'; readonly jobName: string; readonly jobRunId: string; readonly state: string }
  /** EventBridge "Glue Crawler State Change" Succeeded or Failed: a crawl ended. */
  | { readonly kind: 'crawl-ended'; readonly crawlerName: string; readonly state: string }
  /**
   * EventBridge "Step Functions Execution Status Change" RUNNING: its first task is on its way.
   * `startedAt` (epoch ms) is the detail's `startDate`, else the event's `time`; unset when neither reads.
   */
  | { readonly kind: 'execution-started'; readonly executionArn: string; readonly startedAt?: number };


/**
 * Classifies an invocation event. An event that looks like one of ours but lacks a field falls
 * back to a sweep: a sweep is always safe, it only costs more.
 */
export function classifyEvent(event: unknown): RunnerTrigger {
  const e = isObject(event) ? event : {};
  const detail = isObject(e.detail) ? e.detail : {};
  if (e.source === 'aws.glue' && e['detail-type'] === GLUE_JOB_STATE_CHANGE
    && nonEmpty(detail.jobName) && nonEmpty(detail.jobRunId) && nonEmpty(detail.state)) {
    return { kind: 'run-ended', jobName: detail.jobName, jobRunId: detail.jobRunId, state: detail.state };
  }
  if (e.source === 'aws.glue' && e['detail-type'] === GLUE_CRAWLER_STATE_CHANGE
    && nonEmpty(detail.crawlerName) && (detail.state === 'Succeeded' || detail.state === 'Failed')) {
    return { kind: 'crawl-ended', crawlerName: detail.crawlerName, state: detail.state };
  }
  if (e.source === 'aws.states' && e['detail-type'] === EXECUTION_STATUS_CHANGE
    && detail.status === 'RUNNING' && nonEmpty(detail.executionArn)) {
    return { kind: 'execution-started', executionArn: detail.executionArn, startedAt: startTimeOf(detail.startDate, e.time) };
  }
  return { kind: 'sweep' };
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
