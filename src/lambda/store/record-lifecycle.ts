import type { TrackingStatus } from '../../shared/contract';

/**
 * The tracking record's lifecycle: the statuses a record moves through (`TrackingStatus`, in
 * the contract) and every transition the runner makes, each one conditional write of
 * `TrackingStore` that succeeds only from the statuses listed here, so two invocations never
 * both make it.
 *
 * A record leaves the table by removal (its task reported, closed or expired) from any status.
 * test/lambda/record-lifecycle.dynalite.test.ts holds each store write to this table.
 */
export interface Transition {
  /** The statuses the write's condition accepts. */
  readonly from: readonly TrackingStatus[];
  /** The status the record has after it. */
  readonly to: TrackingStatus;
}

/** The statuses a new record is written with: STARTING to start now, WAITING when held (a graph step). */
export const INITIAL_STATUSES: readonly TrackingStatus[] = ['STARTING', 'WAITING'];

/** Every transition between statuses; each is one conditional write (see TrackingStore). */
export const TRANSITIONS = {
  /** A held step's dependencies all succeeded: claimed to start it (waiting-steps.ts). */
  startHeld: { from: ['WAITING'], to: 'STARTING' },
  /** A start nobody holds (its owner died, or its deferral is due): claimed to resume it (check-phase.ts). */
  resumeStart: { from: ['STARTING'], to: 'STARTING' },
  /** A start of a kind without a correlation is about to be sent: its time is noted first (`markStartSent`). */
  markStartSent: { from: ['STARTING'], to: 'STARTING' },
  /** A start refused for now waits for its next try (`deferStart`). */
  deferStart: { from: ['STARTING'], to: 'STARTING' },
  /** The run started and its id is saved (`markRunning`; repeating it with the same run id succeeds). */
  markRunning: { from: ['STARTING'], to: 'RUNNING' },
  /** Glue ran the tracked run again: the record follows the new attempt (`followAttempt`). */
  followAttempt: { from: ['RUNNING'], to: 'RUNNING' },
  /** The attempt's work runs past the step's expected duration: its announcement is claimed, once (`markLateAnnounced`). */
  announceLate: { from: ['RUNNING'], to: 'RUNNING' },
  /** The run ended: one invocation claims the report; a CLOSING left by a crash is claimed again (close-run.ts). */
  close: { from: ['RUNNING', 'CLOSING'], to: 'CLOSING' },
  /** A fact of the failure report is noted on the claimed record, so a failure is mailed once (`rememberFailure`). */
  rememberFailure: { from: ['CLOSING'], to: 'CLOSING' },
} as const satisfies Readonly<Record<string, Transition>>;

/** The statuses of a record whose run was started, and is read to see where it is. */
export const OBSERVED_STATUSES: readonly TrackingStatus[] = TRANSITIONS.close.from;

/**
 * Attributes renamed since records were first written, old name to new. A record written by a
 * runner of before the rename (deployed, then updated while tasks were in flight) is moved to
 * the new names by `TrackingStore.pages()` the first time a sweep reads it: one conditional
 * write, which changes no status and succeeds only while the old names are there.
 */
export const RENAMED_ATTRIBUTES = { jobName: 'resourceName', jobRunId: 'runId' } as const;

/** The renamed attributes an item still has under their old names, old to new. Pure. */
export function legacyAttributes(item: Record<string, unknown>): Array<[string, string]> {
  return Object.entries(RENAMED_ATTRIBUTES).filter(([old, now]) => item[old] !== undefined && item[now] === undefined);
}
