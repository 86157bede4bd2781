import { AwsLimits } from './aws-limits';

/**
 * History events one attempt of an activity task state can add, at most: TaskStateEntered,
 * ActivityScheduled, ActivityStarted, one of ActivitySucceeded/ActivityFailed/ActivityTimedOut,
 * TaskStateExited (the event types of Step Functions' HistoryEventType). AWS does not publish a
 * per-state count, so the state's own entry and exit are counted again for every retry.
 */
export const EVENTS_PER_TASK_ATTEMPT = 5;

/** ParallelStateEntered, ParallelStateStarted, its end (Succeeded/Failed/Aborted), ParallelStateExited, one spare. */
export const EVENTS_PER_PARALLEL_STATE = 5;

/**
 * ExecutionStarted and the execution's end, and the entry and exit of the first two states (the
 * re-run Choice, and the Pass state an execution that is no re-run goes through).
 */
export const EVENTS_PER_EXECUTION = 6;

/** A step as the history budget sees it. */
export interface HistoryStep {
  readonly name: string;
  /** Every try its state's Retries allow, the first included. */
  readonly attempts: number;
}

/** The most events one execution can record: every step tried as often as its Retries allow. */
export function worstCaseHistoryEvents(steps: readonly HistoryStep[], isGraph: boolean): number {
  return EVENTS_PER_EXECUTION + (isGraph ? EVENTS_PER_PARALLEL_STATE : 0)
    + steps.reduce((sum, s) => sum + s.attempts * EVENTS_PER_TASK_ATTEMPT, 0);
}

/** The error when one execution could outgrow Step Functions' history, else undefined. */
export function historyBudgetError(steps: readonly HistoryStep[], isGraph: boolean): string | undefined {
  const events = worstCaseHistoryEvents(steps, isGraph);
  if (events <= AwsLimits.EXECUTION_HISTORY_EVENTS) {
    return undefined;
  }
  const attempts = steps.reduce((sum, s) => sum + s.attempts, 0);
  return `execution history: one execution of this pipeline can record up to ${events} events (${steps.length} steps, `
    + `${attempts} attempts counting every retry, up to ${EVENTS_PER_TASK_ATTEMPT} events each), more than Step Functions' `
    + `${AwsLimits.EXECUTION_HISTORY_EVENTS} per execution, past which the execution fails; `
    + 'use fewer steps or fewer retry.maxAttempts, or split the pipeline in two';
}
