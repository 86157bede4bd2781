import { TrackingRecord } from '../../shared/contract';
import { heartbeatLeadMs } from '../../shared/timing-policy';

/**
 * Heartbeats go out in rounds. A sweep that finds any tracked task whose heartbeat deadline is
 * near heartbeats every tracked task, and, when none was missed, stores the time it began as
 * the pipeline's round time. A task's last heartbeat is then the later of that round time and
 * the time its record was created (the token was handed out just before): one stored time per
 * pipeline instead of one write per task. How near a deadline must be is the shared timing
 * policy's `heartbeatLeadMs`.
 */

/** When the task behind `record` was last heartbeated, given the pipeline's round time. */
export function lastHeartbeatAt(record: TrackingRecord, roundAt: number): number {
  return Math.max(Date.parse(record.createdAt), roundAt);
}

/** Whether `record`'s task needs a heartbeat in this sweep. */
export function heartbeatDue(record: TrackingRecord, roundAt: number, now: number, checkIntervalMs: number): boolean {
  const deadline = lastHeartbeatAt(record, roundAt) + record.input.heartbeatSeconds * 1000;
  return deadline - now < heartbeatLeadMs(checkIntervalMs);
}

/** A sweep heartbeats all tasks or none: all as soon as one is due. */
export function roundDue(records: readonly TrackingRecord[], roundAt: number, now: number, checkIntervalMs: number): boolean {
  return records.some((r) => r.status !== 'CLOSING' && r.input !== undefined && heartbeatDue(r, roundAt, now, checkIntervalMs));
}
