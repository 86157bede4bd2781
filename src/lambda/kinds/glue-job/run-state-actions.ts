import type { JobRun } from '@aws-sdk/client-glue';
import { StepErrorName, StepErrorNames } from '../../../shared/contract';

/** Every value of Glue's `JobRunState`. */
export const JOB_RUN_STATES = [
  'STARTING', 'RUNNING', 'STOPPING', 'WAITING',
  'SUCCEEDED', 'FAILED', 'STOPPED', 'TIMEOUT', 'ERROR', 'EXPIRED',
] as const;

export type JobRunState = typeof JOB_RUN_STATES[number];

/** What the check phase does with a tracked run, given its Glue state. */
export type RunAction =
  /** Not finished: keep the task alive with SendTaskHeartbeat. */
  | { readonly kind: 'heartbeat' }
  /** Finished well: SendTaskSuccess and close the record. */
  | { readonly kind: 'succeed' }
  /** Finished badly: SendTaskFailure with `error`, mail the team, close the record. */
  | { readonly kind: 'fail'; readonly error: StepErrorName }
  /**
   * This attempt failed, but Glue runs it again (the job's MaxRetries): the step goes on with
   * the next attempt, which is heartbeated like the first.
   */
  | { readonly kind: 'await-retry' };

const HEARTBEAT: RunAction = { kind: 'heartbeat' };
const fail = (error: StepErrorName): RunAction => ({ kind: 'fail', error });

/**
 * The decision table: Glue run state -> action. All ten states are listed, so adding one to
 * `JOB_RUN_STATES` without deciding what it means is a compile error.
 */
export const RUN_STATE_ACTIONS: Readonly<Record<JobRunState, RunAction>> = {
  STARTING: HEARTBEAT,
  RUNNING: HEARTBEAT,
  STOPPING: HEARTBEAT,
  WAITING: HEARTBEAT,
  SUCCEEDED: { kind: 'succeed' },
  FAILED: fail(StepErrorNames.JOB_FAILED),
  STOPPED: fail(StepErrorNames.JOB_STOPPED),
  TIMEOUT: fail(StepErrorNames.JOB_TIMEOUT),
  ERROR: fail(StepErrorNames.JOB_ERROR),
  EXPIRED: fail(StepErrorNames.JOB_EXPIRED),
};

export function isJobRunState(state: string | undefined): state is JobRunState {
  return state !== undefined && (JOB_RUN_STATES as readonly string[]).includes(state);
}

/**
 * The action for a state reported by Glue. A state this runner does not know (Glue added one)
 * is treated as still running: the task is heartbeated and stays bounded by the state's
 * TimeoutSeconds, instead of being failed or succeeded on a guess.
 */
export function actionForRunState(state: string | undefined): RunAction {
  return isJobRunState(state) ? RUN_STATE_ACTIONS[state] : HEARTBEAT;
}

/**
 * Whether Glue runs a run that ended in this state again, as a new attempt, while its job's
 * `MaxRetries` allows. Glue documents retries of a run that fails, and that a run that reaches
 * its timeout is not restarted; a stopped run, one that errored (its job was deleted) or expired
 * is not a failure it retries. Sources: docs/aws-assumptions.md.
 */
export const RETRIED_BY_GLUE: Readonly<Record<JobRunState, boolean>> = {
  STARTING: false,
  RUNNING: false,
  STOPPING: false,
  WAITING: false,
  SUCCEEDED: false,
  FAILED: true,
  STOPPED: false,
  TIMEOUT: false,
  ERROR: false,
  EXPIRED: false,
};

export function retriedByGlue(state: string | undefined): boolean {
  return isJobRunState(state) && RETRIED_BY_GLUE[state];
}

/**
 * The action for one attempt of a run: as for any run, except that a failure Glue retries is
 * not the step's end while attempts are left. `attempt` is Glue's `Attempt` (0 for the run the
 * runner started), so the last attempt is the one whose `Attempt` equals `MaxRetries`.
 */
export function actionForAttempt(state: string | undefined, attempt: number, maxRetries: number): RunAction {
  return retriedByGlue(state) && attempt < maxRetries ? { kind: 'await-retry' } : actionForRunState(state);
}

/**
 * How long after a failed attempt ended the runner waits for Glue's retry of it before it takes
 * the failure as final (Glue publishes no delay; the job's MaxRetries may have been lowered).
 */
export const RETRY_START_GRACE_MS = 10 * 60_000;

/** What a job step's attempts add up to: the attempt that decides the step, and its action. */
export interface AttemptDecision {
  /** The newest attempt: the one the step now tracks. */
  readonly run: JobRun;
  readonly action: Exclude<RunAction, { kind: 'await-retry' }>;
  /** True while the newest attempt failed and Glue's retry of it has not started: nothing runs. */
  readonly between?: boolean;
}

/**
 * Where a job step stands, given the run it tracks and the other attempts of its task that
 * Glue lists (same correlation argument, any order): the newest attempt decides. A failed
 * attempt Glue will retry keeps the step in flight (`between`) until the retry shows, or for at
 * most RETRY_START_GRACE_MS after it ended; then its failure is the step's. Pure.
 */
export function decideAttempts(tracked: JobRun, attempts: readonly JobRun[], maxRetries: number, now: number): AttemptDecision {
  // A listed copy of an attempt is as fresh as the tracked one, or fresher: it wins a tie.
  const run = attempts.reduce((newest, a) => ((a.Attempt ?? 0) >= (newest.Attempt ?? 0) ? a : newest), tracked);
  const action = actionForAttempt(run.JobRunState, run.Attempt ?? 0, maxRetries);
  if (action.kind !== 'await-retry') {
    return { run, action };
  }
  const endedAt = run.CompletedOn?.getTime();
  if (endedAt !== undefined && now - endedAt > RETRY_START_GRACE_MS) {
    return { run, action: actionForRunState(run.JobRunState) as AttemptDecision['action'] };
  }
  return { run, action: HEARTBEAT as AttemptDecision['action'], between: true };
}
