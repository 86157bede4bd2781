import { Duration } from 'aws-cdk-lib';
import { historyBudgetError } from './limits/execution-history';
import { PipelineStep } from './pipeline-step';
import { resolveStepGraph, StepGraph } from './step-graph';
import { checkStepReferences, executionPaths, Reference, referencedSteps, referencesOf } from './step-references';
import { stateRetries, StateRetry, stepTimeouts, StepTimeouts } from './step-timing';
import { lateStepError } from './steps/step-options';
import { graphStateTimeouts, longestSpanSeconds, MAX_STATE_TIMEOUT_SECONDS, TimedStep } from './wait-budget';
import { StepKind, StepTaskInput, TASK_INPUT_VERSION } from '../shared/contract';
import { REDRIVE_WINDOW_SECONDS } from '../shared/timing-policy';

/** How long a kept result outlives the longest an execution may still need it. */
export const KEEP_RESULT_MARGIN = Duration.hours(24);

/**
 * How long a kept result lasts, given the longest the execution can last (`longestSpanSeconds`):
 * long enough for a redrive. The execution ends at most one span after its start (and so after
 * any result is kept), Step Functions lets it be redriven for 14 days after that, and the
 * redriven run, whose states' timeouts start afresh, lasts at most one span more: a held step of
 * a redriven execution still finds every result it waits for. Plus the margin.
 */
export function keepResultSecondsFor(spanSeconds: number): number {
  return 2 * spanSeconds + REDRIVE_WINDOW_SECONDS + KEEP_RESULT_MARGIN.toSeconds();
}

/**
 * The static part of a task input: all but what the state machine takes from the execution
 * and its context at run time (`executionId`, `inputs`, `attempt`, `redriveCount`, `pipelineName`,
 * `rerunFrom`).
 */
export type StaticTaskInput = StepTaskInput extends infer T
  ? T extends StepTaskInput ? Omit<T, 'executionId' | 'inputs' | 'attempt' | 'redriveCount' | 'pipelineName' | 'rerunFrom'> : never
  : never;

/** One step, compiled: what its activity state needs. */
export interface StepPlan {
  readonly step: PipelineStep;
  readonly heartbeat: Duration;
  /** The state's TimeoutSeconds: in a graph, the wait for its dependencies included. */
  readonly timeout: Duration;
  readonly retries: readonly StateRetry[];
  readonly input: StaticTaskInput;
  /** The execution input paths its values refer to; the state passes their values in `inputs`. */
  readonly inputPaths: readonly string[];
}

/** The whole pipeline, compiled. */
export interface PipelinePlan {
  /** True when the steps form a graph (one Parallel state); false for a sequence (a chain). */
  readonly isGraph: boolean;
  readonly steps: readonly StepPlan[];
}

/**
 * Compiles the steps: resolves and checks their dependencies and references, and derives each
 * state's timeouts and task input. Throws a synth error naming the steps at fault.
 */
export function planPipeline(steps: readonly PipelineStep[], checkInterval: Duration): PipelinePlan {
  const graph = resolveStepGraph(steps.map((s) => ({ name: s.stepName, dependsOn: s.dependsOn })));
  const kinds = new Map(steps.map((s) => [s.stepName, s.kind as StepKind]));
  const references = new Map<string, Reference[]>(steps.map((s) => {
    const refs = referencesOf(s.stepName, s._referenceSites());
    checkStepReferences(s.stepName, refs, { stepNames: graph.names, kinds, upstream: graph.upstream.get(s.stepName)! });
    return [s.stepName, refs];
  }));
  const referenced = new Set([...references.values()].flatMap(referencedSteps));
  const own = new Map(steps.map((s) => [s.stepName, ownTimeouts(s, checkInterval)]));
  for (const step of steps) {
    const error = lateStepError(step.stepName, step.expectedDuration, step.waitMinutes);
    if (error) {
      throw new Error(error);
    }
  }

  // Results are kept for the steps that wait for them (graph) or use them (references).
  const kept = new Set([...referenced, ...(graph.isSequence ? [] : graph.dependedOn)]);
  const timed = graph.isSequence && kept.size === 0 ? [] : steps.map((s) => timedStep(s, graph, own.get(s.stepName)!));
  const stateTimeouts = graph.isSequence ? undefined : graphStateTimeouts(timed);
  const keepResultSeconds = kept.size === 0 ? undefined : keepResultSecondsFor(longestSpanSeconds(timed));

  const historyError = historyBudgetError(steps.map((s) => ({
    name: s.stepName,
    attempts: 1 + stateRetries(s.retry).reduce((sum, r) => sum + r.maxAttempts, 0),
  })), !graph.isSequence);
  if (historyError) {
    throw new Error(historyError);
  }

  return {
    isGraph: !graph.isSequence,
    steps: steps.map((step, i) => {
      const name = step.stepName;
      const heartbeat = own.get(name)!.heartbeat;
      const timeout = stateTimeouts ? Duration.seconds(stateTimeouts.get(name)!) : own.get(name)!.task;
      const { kind, ...fields } = step._taskFields();
      const retries = stateRetries(step.retry);
      const input = {
        version: TASK_INPUT_VERSION,
        kind,
        stepName: name,
        ...fields,
        taskTimeoutSeconds: timeout.toSeconds(),
        heartbeatSeconds: heartbeat.toSeconds(),
        // Tells the runner not to wait for a next task after the last step of a sequence.
        final: graph.isSequence && i === steps.length - 1 ? true : undefined,
        // In a sequence, the step before: a re-run runs a step when the one before it ran.
        follows: graph.isSequence && i > 0 ? steps[i - 1].stepName : undefined,
        dependsOn: graph.isSequence ? undefined : [...graph.dependencies.get(name)!],
        keepResultSeconds: kept.has(name) ? keepResultSeconds : undefined,
        // The state's Retry, for the runner to tell whether a failed attempt will be retried.
        retry: retries.map((r) => ({ errors: r.errors, maxAttempts: r.maxAttempts })),
        // Only on steps that set one: the task input of every other step is as it was.
        expectedSeconds: step.expectedDuration?.toSeconds(),
      } as StaticTaskInput;
      return {
        step,
        heartbeat,
        timeout,
        retries,
        input,
        inputPaths: executionPaths(references.get(name)!),
      };
    }),
  };
}

/** The step's own timeouts; throws when its own TimeoutSeconds exceeds what Step Functions allows. */
function ownTimeouts(step: PipelineStep, checkInterval: Duration): StepTimeouts {
  const timeouts = stepTimeouts(checkInterval, step.waitMinutes);
  const seconds = timeouts.task.toSeconds();
  if (seconds > MAX_STATE_TIMEOUT_SECONDS) {
    throw new Error(`step "${step.stepName}" would need a TimeoutSeconds of ${seconds} (its timeout of ${step.waitMinutes} minutes plus the `
      + `runner's allowances), more than Step Functions' maximum of ${MAX_STATE_TIMEOUT_SECONDS}; shorten the step's timeout`);
  }
  return timeouts;
}

function timedStep(step: PipelineStep, graph: StepGraph, own: StepTimeouts): TimedStep {
  return {
    name: step.stepName,
    dependsOn: graph.dependencies.get(step.stepName)!,
    taskSeconds: own.task.toSeconds(),
    retries: stateRetries(step.retry).map((r) => {
      if (r.interval.isUnresolved()) {
        throw new Error(`step "${step.stepName}": retry.interval must be a concrete duration, not a token, `
          + 'in a pipeline whose timeouts or kept results are derived from the retries of its steps');
      }
      return { maxAttempts: r.maxAttempts, intervalSeconds: r.interval.toSeconds(), backoffRate: r.backoffRate };
    }),
  };
}
