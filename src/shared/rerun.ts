/**
 * Re-run from a step: an execution whose input holds `rerunFrom` runs the named step and every
 * step after it (in a graph: every step that depends on it, directly or not), and takes the result
 * of each other step from an earlier execution of the same state machine instead of running it.
 *
 * Shared by the construct (which reads the field into every task), the runner (which decides,
 * task by task, whether to run or to reuse) and the `glue-pipeline rerun` command (which writes
 * the field). Pure; no AWS SDK.
 */

/** The execution input field that asks for a re-run. Reserved: a pipeline's own input must not use it otherwise. */
export const RERUN_INPUT_FIELD = 'rerunFrom';

/**
 * The field a reused step's result gains in the re-run: the ARN of the execution it was taken
 * from. It also tells the runner that the step was not run, so the steps after it are not either.
 */
export const REUSED_FROM_FIELD = 'reusedFrom';

/** The `rerunFrom` of an execution that is no re-run, as the state machine sets it. */
export const NO_RERUN = 'none';

/** `{"rerunFrom": {"step": ..., "execution": ...}}`, as read from the execution input. */
export interface RerunRequest {
  /** The first step to run again: it and every step after it run; the others are reused. */
  readonly step: string;
  /** The earlier execution whose results the reused steps take: its name, or its ARN. */
  readonly execution: string;
}

/** A step name, as the construct allows them (and so as a rerun may name them). */
const STEP_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** What a `rerunFrom` that cannot be read is told to look like. */
export const RERUN_REQUEST_SHAPE = '{"step": "<step to run again from>", "execution": "<name or ARN of an earlier execution of this pipeline>"}';

/** A `rerunFrom` value that is not a request. */
export class RerunRequestError extends Error {
  public readonly name = 'RerunRequestError';
}

/**
 * The request in a `rerunFrom` value; undefined for none (`"none"`, as the state machine sets it
 * when the execution input has no `rerunFrom`, or null or false). Throws RerunRequestError
 * naming the bad value.
 */
export function readRerunRequest(value: unknown): RerunRequest | undefined {
  if (value === undefined || value === null || value === false || value === NO_RERUN) {
    return undefined;
  }
  const bad = (why: string) => new RerunRequestError(`${RERUN_INPUT_FIELD}${why.startsWith('.') ? '' : ' '}${why}; write ${RERUN_INPUT_FIELD} as ${RERUN_REQUEST_SHAPE}`);
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw bad(`must be an object, got ${JSON.stringify(value)}`);
  }
  const { step, execution, ...rest } = value as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length > 0) {
    throw bad(`has fields it does not know: ${extra.join(', ')}`);
  }
  if (typeof step !== 'string' || !STEP_NAME.test(step)) {
    throw bad(`.step must be the name of a step of the pipeline, got ${JSON.stringify(step)}`);
  }
  if (typeof execution !== 'string' || execution.length === 0) {
    throw bad(`.execution must be the name or ARN of an earlier execution, got ${JSON.stringify(execution)}`);
  }
  return { step, execution };
}

/**
 * The ARN of the execution a request names: an ARN of an execution of `stateMachineArn` as it
 * is, a name made into one. Throws RerunRequestError for an ARN of another state machine's
 * execution, or a name Step Functions could not have given.
 */
export function earlierExecutionArn(execution: string, stateMachineArn: string): string {
  const prefix = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:`;
  if (execution.startsWith('arn:')) {
    const name = execution.startsWith(prefix) ? execution.slice(prefix.length) : '';
    if (name.length === 0 || name.includes(':')) {
      throw new RerunRequestError(`${RERUN_INPUT_FIELD}.execution ${JSON.stringify(execution)} is not an execution of this pipeline's state machine `
        + `(${stateMachineArn}); name an execution of it, by its name or an ARN starting ${prefix}`);
    }
    return execution;
  }
  if (execution.length > 80 || execution.includes(':')) {
    throw new RerunRequestError(`${RERUN_INPUT_FIELD}.execution ${JSON.stringify(execution)} is no execution name (1 to 80 characters, no ":"); `
      + 'name the earlier execution by its name or its ARN');
  }
  return prefix + execution;
}
