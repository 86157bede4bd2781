import type { TrackingRecord } from '../../shared/contract';

/**
 * Whether a tracked attempt is late: its Glue work has run longer than its step's expected
 * duration (`input.expectedSeconds`), measured from `runningSince`, when the runner sent the
 * start of that work. Looked at by every sweep for each record whose work is in flight, so an
 * attempt is seen late at most one check interval (plus one runner run) after it became so.
 */
export type LateDecision =
  /** The step has no expected duration: never late. */
  | { readonly kind: 'no-expectation' }
  /** Not RUNNING: no work of the attempt is known to run (not started yet, or being closed). */
  | { readonly kind: 'not-running' }
  /** RUNNING, but with no `runningSince` (a record of a runner before it): not measured. */
  | { readonly kind: 'unmeasured' }
  /** Announced already: once per attempt. */
  | { readonly kind: 'announced' }
  /** Within its expected duration; late from `lateAfter` (epoch ms) on. */
  | { readonly kind: 'on-time'; readonly lateAfter: number }
  /** Past its expected duration, not announced yet: announce it. */
  | { readonly kind: 'late'; readonly runningSeconds: number };

/** What the decision reads of a record. */
export type LateFacts = Pick<TrackingRecord, 'status' | 'runningSince' | 'lateAnnouncedAt'> & {
  readonly input: Pick<TrackingRecord['input'], 'expectedSeconds'>;
};

/** Pure: the decision for `record` at `now` (epoch ms). Late means strictly longer than expected. */
export function lateDecision(record: LateFacts, now: number): LateDecision {
  const expectedSeconds = record.input.expectedSeconds;
  if (expectedSeconds === undefined) {
    return { kind: 'no-expectation' };
  }
  if (record.status !== 'RUNNING') {
    return { kind: 'not-running' };
  }
  if (record.runningSince === undefined) {
    return { kind: 'unmeasured' };
  }
  if (record.lateAnnouncedAt !== undefined) {
    return { kind: 'announced' };
  }
  const lateAfter = record.runningSince + expectedSeconds * 1000;
  if (now <= lateAfter) {
    return { kind: 'on-time', lateAfter };
  }
  return { kind: 'late', runningSeconds: Math.floor((now - record.runningSince) / 1000) };
}
