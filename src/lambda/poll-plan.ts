/**
 * Which executions may have an activity task pending, so the start phase knows whether to poll
 * and when to stop. Polling when nothing is pending costs a full 60 s long poll (billed), and
 * a long poll must never be cut short (a task handed to an aborted call is lost), so the runner
 * polls only while it expects a task. Pure.
 */

/**
 * Whether a step's success makes its execution's next task ready at once: every step but the
 * last (older inputs without `final` count as "a step may follow").
 */
export function successorFollows(input: { readonly final?: boolean } | undefined): boolean {
  return !input?.final;
}

/** Poll until the activity has nothing pending: when the running executions are unknown. */
export const UNTIL_EMPTY = 'until-empty';

export type PollPlan = ReadonlySet<string> | typeof UNTIL_EMPTY;

export interface SweepFindings {
  /** Executions the state machine has RUNNING (ListExecutions; may lag by seconds). */
  readonly running: readonly string[];
  /** Executions with a task still tracked: in a sequence of steps, none of theirs is pending. */
  readonly occupied: ReadonlySet<string>;
  /** Executions whose step succeeded in this invocation and that have a next step. */
  readonly successorReady: ReadonlySet<string>;
  /** Executions that ended by this invocation's report (last step done, or a step failed). */
  readonly ended: ReadonlySet<string>;
}

/**
 * After a sweep: every running execution with no tracked task (its task may be pending:
 * just started, dispatched again by a Retry, or left by a runner that died) plus those whose
 * next step became ready just now, which ListExecutions may not show yet.
 */
export function pollPlanAfterSweep(f: SweepFindings): PollPlan {
  const expected = new Set(f.running.filter((arn) => !f.occupied.has(arn) && !f.ended.has(arn)));
  f.successorReady.forEach((arn) => expected.add(arn));
  return expected;
}

/** Whether the start phase polls again, given the plan and the tasks it has taken so far. */
export function expectsMoreTasks(plan: PollPlan, taken: ReadonlySet<string>): boolean {
  return plan === UNTIL_EMPTY || [...plan].some((arn) => !taken.has(arn));
}
