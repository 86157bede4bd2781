/**
 * Which executions may have activity tasks pending, and how many, so the start phase knows
 * whether to poll and when to stop. Polling when nothing is pending costs a full 60 s long
 * poll (billed), and a long poll must never be cut short (a task handed to an aborted call is
 * lost), so the runner polls only while it expects a task. Pure.
 */

import { inGraph, untakenTasks } from './dependencies';

/**
 * Whether a step's success makes its execution's next task ready at once: every step of a
 * sequence but the last (older inputs without `final` count as "a step may follow"). In a
 * graph every task was handed out when the execution started, so none becomes ready.
 */
export function successorFollows(input: { readonly final?: boolean; readonly dependsOn?: readonly string[] } | undefined): boolean {
  return !input?.final && !inGraph(input);
}

/** Poll until the activity has nothing pending: when the running executions are unknown. */
export const UNTIL_EMPTY = 'until-empty';

/** Execution -> how many of its tasks to expect; or poll until empty. */
export type PollPlan = ReadonlyMap<string, number> | typeof UNTIL_EMPTY;

/** A plan expecting one task of each execution listed. */
export function expectOneEach(executions: Iterable<string>): PollPlan {
  return new Map([...executions].map((arn) => [arn, 1]));
}

/**
 * What an "execution started" event's invocation expects: the execution's first tasks while it is
 * younger than one check interval, nothing once it is older (a sweep takes them; see
 * leftToStartEvent). Without a start time it expects them, as a sweep cannot tell the event ran.
 */
export function planAtStart(
  executionArn: string, startedAt: number | undefined, invokedAt: number, checkIntervalMs: number, graphSteps: number | undefined,
): PollPlan {
  if (startedAt !== undefined && !leftToStartEvent(startedAt, invokedAt, checkIntervalMs)) {
    return new Map();
  }
  return new Map([[executionArn, tasksAtStart(graphSteps)]]);
}

/**
 * How many tasks a new execution hands out at once: one per step in a graph, the first step's
 * one in a sequence.
 */
export function tasksAtStart(graphSteps: number | undefined): number {
  return graphSteps ?? 1;
}

/** An execution `ListExecutions` shows RUNNING, and when it started (epoch ms, its `startDate`). */
export interface RunningExecution {
  readonly arn: string;
  readonly startedAt: number;
}

/**
 * Who takes an execution's first tasks: its own "execution started" event while the execution is
 * younger than one check interval, a sweep from then on. Never both: in a burst a throttled event
 * waits in Lambda's retry queue, for minutes once its retries back off, and a sweep that took the
 * task meanwhile would leave the event's invocation to an empty 60 s poll, holding a container
 * that other events then find busy. So a sweep leaves a young execution to its event, and an event
 * that runs one interval or more after the start (late: throttled, or slow) polls for nothing and
 * leaves its execution to the sweep. The cost: an execution whose start event was lost or late
 * starts its first step up to two intervals after it started instead of one.
 */
export function leftToStartEvent(startedAt: number, sweepAt: number, checkIntervalMs: number): boolean {
  return sweepAt - startedAt < checkIntervalMs;
}

export interface SweepFindings {
  /** Executions the state machine has RUNNING (ListExecutions; may lag by seconds). */
  readonly running: readonly RunningExecution[];
  /** When the sweep listed them (epoch ms), and the schedule's period. */
  readonly sweepAt: number;
  readonly checkIntervalMs: number;
  /** Executions with a task still tracked: in a sequence of steps, none of theirs is pending. */
  readonly occupied: ReadonlySet<string>;
  /** Executions whose step succeeded in this invocation and that have a next step. */
  readonly successorReady: ReadonlySet<string>;
  /** Executions that ended by this invocation's report (last step done, or a step failed). */
  readonly ended: ReadonlySet<string>;
  /**
   * Pipelines whose steps form a graph: the number of steps, and per running execution how
   * many of its tasks are tracked and how many steps succeeded.
   */
  readonly graph?: {
    readonly steps: number;
    readonly tracked: ReadonlyMap<string, number>;
    readonly succeeded: ReadonlyMap<string, number>;
  };
}

/**
 * After a sweep. A sequence: every running execution with no tracked task (its task may be
 * pending: its start event lost, dispatched again by a Retry, or left by a runner that died) plus
 * those whose next step became ready just now, which ListExecutions may not show yet. A graph:
 * each running execution's steps that are neither tracked nor done (not taken yet, or dispatched
 * again by a Retry). Either way an execution younger than one check interval is left to its own
 * start event (see leftToStartEvent), unless its next step became ready just now.
 */
export function pollPlanAfterSweep(f: SweepFindings): PollPlan {
  const expected = new Map<string, number>();
  for (const { arn, startedAt } of f.running) {
    if (f.ended.has(arn) || leftToStartEvent(startedAt, f.sweepAt, f.checkIntervalMs)) {
      continue;
    }
    if (f.graph) {
      const untaken = untakenTasks(f.graph.steps, f.graph.tracked.get(arn) ?? 0, f.graph.succeeded.get(arn) ?? 0);
      if (untaken > 0) {
        expected.set(arn, untaken);
      }
    } else if (!f.occupied.has(arn)) {
      expected.set(arn, 1);
    }
  }
  f.successorReady.forEach((arn) => expected.set(arn, Math.max(expected.get(arn) ?? 0, 1)));
  return expected;
}

/**
 * Whether the start phase polls again, given the plan and how many tasks it has taken so far,
 * of whichever executions. A poll cannot ask for a given execution's task: the activity hands
 * out whatever is pending, so in a burst invocations take each other's tasks. Waiting for its
 * own would end every such invocation with an empty long poll (60 s billed, and a container
 * held) once the others had taken it; counting every task taken ends each invocation after as
 * many tasks as it made ready or found pending. The cost: an invocation that takes a task
 * nobody expected (dispatched again by a Retry, or of an execution whose event was lost)
 * instead of its own leaves its own to the next sweep, at most one check interval later.
 */
export function expectsMoreTasks(plan: PollPlan, taken: number): boolean {
  return plan === UNTIL_EMPTY || taken < [...plan.values()].reduce((sum, count) => sum + count, 0);
}
