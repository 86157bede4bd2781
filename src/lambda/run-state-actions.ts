import { StepErrorName, StepErrorNames } from '../shared/contract';

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
  | { readonly kind: 'fail'; readonly error: StepErrorName };

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
