/** Step Functions' largest TimeoutSeconds. */
export const MAX_STATE_TIMEOUT_SECONDS = 99_999_999;

/** One Retry of a state, in seconds. */
export interface RetryTiming {
  readonly maxAttempts: number;
  readonly intervalSeconds: number;
  readonly backoffRate: number;
}

/** A step as its timing sees it. */
export interface TimedStep {
  readonly name: string;
  readonly dependsOn: readonly string[];
  /** The state's own TimeoutSeconds: how long one attempt may take once the step can start. */
  readonly taskSeconds: number;
  /** Every Retry of the state, the lost token's included. */
  readonly retries: readonly RetryTiming[];
}

/** The waits between the tries of one Retry: interval, interval × rate, interval × rate², ... */
export function retryWaitSeconds(retry: RetryTiming): number {
  const { maxAttempts: n, intervalSeconds: interval, backoffRate: rate } = retry;
  return Math.ceil(rate === 1 ? n * interval : interval * (rate ** n - 1) / (rate - 1));
}

/**
 * The longest a step may take once it can start: every attempt its Retries allow, each up to
 * its own timeout, plus the waits between them.
 */
export function worstCaseSeconds(step: TimedStep): number {
  const attempts = 1 + step.retries.reduce((sum, r) => sum + r.maxAttempts, 0);
  return attempts * step.taskSeconds + step.retries.reduce((sum, r) => sum + retryWaitSeconds(r), 0);
}

/**
 * How long each step may wait for its dependencies, from the start of the execution: the
 * latest any of them may end, i.e. the largest of its wait budget plus its worst case.
 * `steps` are acyclic (checked by the step graph).
 */
export function waitBudgets(steps: readonly TimedStep[]): Map<string, number> {
  const byName = new Map(steps.map((s) => [s.name, s]));
  const budgets = new Map<string, number>();
  const budgetOf = (step: TimedStep): number => {
    let budget = budgets.get(step.name);
    if (budget === undefined) {
      budget = Math.max(0, ...step.dependsOn.map((d) => {
        const dep = byName.get(d)!;
        return budgetOf(dep) + worstCaseSeconds(dep);
      }));
      budgets.set(step.name, budget);
    }
    return budget;
  };
  steps.forEach(budgetOf);
  return budgets;
}

/**
 * The TimeoutSeconds of each state of a graph, whose tasks are all handed out when the
 * execution starts: the step's wait budget plus its own timeout. Throws when one exceeds
 * what Step Functions allows.
 */
export function graphStateTimeouts(steps: readonly TimedStep[]): Map<string, number> {
  const budgets = waitBudgets(steps);
  return new Map(steps.map((step) => {
    const budget = budgets.get(step.name)!;
    const timeout = budget + step.taskSeconds;
    if (!(timeout <= MAX_STATE_TIMEOUT_SECONDS)) {
      throw new Error(`step "${step.name}" would need a TimeoutSeconds of ${timeout} (${budget} s waiting for the steps it depends on, `
        + `then ${step.taskSeconds} s of its own), more than Step Functions' maximum of ${MAX_STATE_TIMEOUT_SECONDS}; `
        + 'shorten the timeouts or retries of the steps before it, or let fewer steps wait on one another');
    }
    return [step.name, timeout];
  }));
}

/** The latest any step may end, from the start of the execution. */
export function longestSpanSeconds(steps: readonly TimedStep[]): number {
  const budgets = waitBudgets(steps);
  return Math.max(0, ...steps.map((s) => budgets.get(s.name)! + worstCaseSeconds(s)));
}
