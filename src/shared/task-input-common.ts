import type { RerunRequest } from './rerun';

/**
 * Version of the task input shape. The runner rejects inputs of any other version, telling
 * the user to redeploy so the state machine and the runner match.
 */
export const TASK_INPUT_VERSION = 2;

/** The fields every task input has, whatever the step's kind. */
export interface TaskInputCommon {
  readonly version: typeof TASK_INPUT_VERSION;
  readonly stepName: string;
  /** The activity state's TimeoutSeconds: how long the token can live. */
  readonly taskTimeoutSeconds: number;
  /**
   * The activity state's HeartbeatSeconds: the longest a task may go without a heartbeat, and
   * so the longest gap between two runner cycles the runner must plan for.
   */
  readonly heartbeatSeconds: number;
  /**
   * True on a step no other step follows: its success ends the execution, so the runner does
   * not wait for a next task. Unset (older state machines) is read as "a step may follow".
   */
  readonly final?: boolean;
  /**
   * Set on every step of a graph (empty for a step with no dependencies): the steps whose
   * success this step waits for. The runner holds the task until then. Unset in a sequence,
   * where the state machine itself hands out each task after the one before.
   */
  readonly dependsOn?: string[];
  /**
   * Set on every step of a sequence but the first: the step before it. A re-run runs a step
   * when it is the one the re-run starts from, or the step before it ran (was not reused).
   */
  readonly follows?: string;
  /**
   * The re-run the execution asked for (its input's `rerunFrom`, read by the state machine's
   * first states): this step runs, or reuses its result in the earlier execution. Unset: every
   * step runs (no `rerunFrom`, or an older state machine).
   */
  readonly rerunFrom?: RerunRequest;
  /**
   * Keep the step's result this many seconds after it succeeds, for the steps that wait for it
   * or whose arguments refer to it. Unset: nobody needs it, nothing is written.
   */
  readonly keepResultSeconds?: number;
  /**
   * Values of the execution input the arguments refer to (`{{execution.<path>}}`), by path,
   * taken from `$$.Execution.Input` by the state machine.
   */
  readonly inputs?: Record<string, unknown>;
  /**
   * `$$.Execution.Id` of the execution that issued the task. Each attempt of a state gets its
   * own task token, so the token (its hash) identifies the attempt.
   */
  readonly executionId: string;
  /**
   * `$$.State.RetryCount`: how many times Step Functions has retried the state so far (0 on its
   * first try). Unset (older state machines): unknown.
   */
  readonly attempt?: number;
  /**
   * `$$.Execution.RedriveCount`: how many times the execution has been redriven (0 until then).
   * A redrive reruns a failed state with its retry count back at 0, so `attempt` alone repeats;
   * with this it names the attempt. Unset (older state machines): unknown.
   */
  readonly redriveCount?: number;
  /**
   * `$$.StateMachine.Name`: the state machine's name, as the user named it (or CloudFormation
   * generated it), which failure mail and events call the pipeline. Unset: older state machines.
   */
  readonly pipelineName?: string;
  /**
   * The state's `Retry`, in order, as written at synth: what tells the runner whether Step
   * Functions will try a failed step again. Unset: older state machines, and it is not known.
   */
  readonly retry?: TaskRetryPolicy[];
  /**
   * The step's `expectedDuration`, in whole seconds: an attempt whose Glue work runs longer is
   * announced as late (an event and the StepLate metric), once. Unset: the step is never late.
   */
  readonly expectedSeconds?: number;
}

/** One retrier of an activity state: the error names it matches and its `MaxAttempts`. */
export interface TaskRetryPolicy {
  readonly errors: string[];
  readonly maxAttempts: number;
}
