/**
 * What a phase did with one task: the runner's one vocabulary of outcomes. Each phase returns
 * the part of it that it can reach (`Extract<TaskOutcome, ...>`), so an outcome means the same
 * wherever it is counted: in a sweep's summary, a start's, an event's, and the `cycle done` line.
 */
export type TaskOutcome =
  /** The step's Glue work started, and its id is saved. */
  | 'started'
  /** A start Glue refused for now; it is tried again later. */
  | 'deferred'
  /** The step succeeded: SendTaskSuccess was sent (or Step Functions had it already). */
  | 'succeeded'
  /** The step failed: SendTaskFailure was sent, and the team mailed. */
  | 'failed'
  /** Step Functions no longer accepts the token (the task was closed); the record is gone all the same. */
  | 'closed'
  /** Another invocation holds the record's lease, or moved it on: left to it. */
  | 'leased'
  /** A step of a graph whose dependencies have not all succeeded: its task is held. */
  | 'waiting'
  /** The record's token is dead for sure (past its timeout): removed. */
  | 'expired'
  /** In flight, and heartbeated now. */
  | 'heartbeat'
  /** In flight; no heartbeat due in this sweep. */
  | 'quiet'
  /** A refused start waiting for its next try, not due yet. */
  | 'waiting-to-start'
  /** A start whose id was never saved, found in Glue and tracked from now on. */
  | 'recovered'
  /** Glue still reports the work in flight (an event ran ahead of Glue's reads). */
  | 'in-flight'
  /** The run an event named is no task's (no correlation), or Glue does not know it. */
  | 'foreign'
  /** A task handed out that the runner did not take up (it was already tracked). */
  | 'skipped'
  /** Not looked at: too little time left in this invocation. */
  | 'postponed'
  /** Could not be done (an AWS call failed): the record stays, and the next cycle tries again. */
  | 'error';
