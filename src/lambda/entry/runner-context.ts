import { RunnerConfig } from './runner-config';
import type { EarlierRun } from '../decisions/rerun';
import { TrackingStore } from '../store/tracking-store';

/** What both phases of one invocation share. */
export interface RunnerContext {
  readonly config: RunnerConfig;
  readonly store: TrackingStore;
  /** Milliseconds left before the Lambda deadline. */
  readonly remainingMs: () => number;
  /** Epoch ms until which records this invocation claims stay its own: its deadline plus a margin. */
  readonly leaseUntil: number;
  readonly now: () => number;
  /** What this invocation counts for its `cycle done` summary. */
  readonly tally: RunnerTally;
  /**
   * The earlier executions re-runs reuse results of, as read in this invocation, by ARN
   * (undefined: no such execution): a re-run's reused steps read one history once.
   */
  readonly earlierRuns: Map<string, Promise<EarlierRun | undefined>>;
}

/** Counts kept over one invocation. */
export interface RunnerTally {
  /** Failure mails SES refused or that could not be sent. */
  failureMailNotSent: number;
  /** Failure events EventBridge refused or that could not be put. */
  failureEventNotSent: number;
  /** Late events EventBridge refused or that could not be put. */
  lateEventNotSent: number;
}

/** Margin added to the invocation's deadline for the leases it takes. */
export const LEASE_MARGIN_MS = 30_000;

export function runnerContext(config: RunnerConfig, store: TrackingStore, remainingMs: () => number, now: () => number = Date.now): RunnerContext {
  return {
    config,
    store,
    remainingMs,
    now,
    leaseUntil: now() + remainingMs() + LEASE_MARGIN_MS,
    tally: { failureMailNotSent: 0, failureEventNotSent: 0, lateEventNotSent: 0 },
    earlierRuns: new Map(),
  };
}
