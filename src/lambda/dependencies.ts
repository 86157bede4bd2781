/**
 * Pure rules for steps that form a graph: an execution hands out every step's task at once,
 * and the runner holds each task until the steps it depends on have succeeded.
 */

/** Whether the step belongs to a graph (its input lists its dependencies, maybe none). */
export function inGraph(input: { readonly dependsOn?: readonly string[] } | undefined): boolean {
  return input?.dependsOn !== undefined;
}

/** The dependencies that have not succeeded yet; none means the step may start. */
export function unmetDependencies(input: { readonly dependsOn?: readonly string[] }, succeeded: ReadonlySet<string>): string[] {
  return (input.dependsOn ?? []).filter((step) => !succeeded.has(step));
}

/**
 * How many of a graph execution's tasks may still be waiting to be taken: one per step, less
 * those tracked (taken and not finished) and those that succeeded. Never negative.
 */
export function untakenTasks(graphSteps: number, tracked: number, succeeded: number): number {
  return Math.max(0, graphSteps - tracked - succeeded);
}

/**
 * How long a graph step's result is kept when its input does not say: every step of a graph
 * keeps one, so a sweep can count the steps done; one that nobody reads needs to outlive only
 * the execution's other tasks, which it does when it lives as long as its own token and a day.
 */
export function resultLifeSeconds(input: { readonly keepResultSeconds?: number; readonly taskTimeoutSeconds: number }): number {
  return input.keepResultSeconds ?? input.taskTimeoutSeconds + 24 * 3600;
}
