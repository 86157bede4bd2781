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
}
