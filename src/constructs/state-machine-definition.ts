import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { PipelinePlan, StepPlan } from './pipeline-plan';
import { RESULTS_PATH, StepErrorNames } from '../shared/contract';
import { NO_RERUN, RERUN_INPUT_FIELD } from '../shared/rerun';

/** The Parallel state of a graph. The space keeps it apart from every step name. */
export const GRAPH_STATE_NAME = 'Step graph';

/** The first state: is the execution a re-run (its input has `rerunFrom`)? */
export const RERUN_CHOICE_STATE_NAME = 'Rerun from a step?';

/** The second state of a re-run: is the step it names a step of this pipeline? */
export const RERUN_STEP_STATE_NAME = 'Rerun from which step?';

/** Where a re-run naming no step of this pipeline ends. */
export const UNKNOWN_RERUN_STEP_STATE_NAME = 'Not a step of this pipeline';

/** The steps a re-run naming no step lists in its cause, at most: the cause stays short at any size. */
const LISTED_STEPS = 20;

/**
 * The state that sets `rerunFrom` to "none" when the input has none, so every task can read it.
 * Not null or false: some interpreters take a Pass state's `Result` that JavaScript calls false
 * for no Result at all, which would put the whole input there.
 */
export const NO_RERUN_STATE_NAME = 'Not a rerun';

export interface DefinitionOptions {
  readonly activity: sfn.IActivity;
  readonly plan: PipelinePlan;
}

/**
 * Builds the states of the plan. A sequence is a chain of activity states, one per step, in
 * order. A graph is one Parallel state with a branch per step, each a single activity state:
 * every task is handed out when the execution starts, and the runner holds each until the
 * step's dependencies have succeeded. Either way each result lands in `$.results.<step>`, and a
 * failed step fails its state and, with no Catch, the execution: it ends FAILED with the
 * runner's error name.
 *
 * Before them, a Choice and a Pass state see that the execution's state holds `rerunFrom`
 * ("none" unless the input asked for a re-run): every task passes it on to the runner, and a path
 * to a field that is not there would fail the state (States.Runtime).
 */
export function buildDefinition(scope: Construct, options: DefinitionOptions): sfn.IChainable {
  const steps = stepStates(scope, options);
  const noRerun = new sfn.Pass(scope, 'NoRerun', {
    stateName: NO_RERUN_STATE_NAME,
    comment: `No ${RERUN_INPUT_FIELD} in the input: every step runs`,
    result: sfn.Result.fromString(NO_RERUN),
    resultPath: `$.${RERUN_INPUT_FIELD}`,
  });
  noRerun.next(steps);
  return new sfn.Choice(scope, 'RerunChoice', {
    stateName: RERUN_CHOICE_STATE_NAME,
    comment: `An input with ${RERUN_INPUT_FIELD} reruns the steps from the one it names, and reuses the other steps' results`,
  })
    .when(sfn.Condition.isPresent(`$.${RERUN_INPUT_FIELD}`), rerunStepCheck(scope, options.plan, steps))
    .otherwise(noRerun);
}

/**
 * The second state of a re-run: the step it names must be a step of this pipeline, or the
 * execution fails at once, before any task, with `Pipeline.InvalidInput` (a step of an older
 * version of the pipeline would otherwise have every step reused, and nothing run). A `rerunFrom`
 * without a string `step` goes on to the tasks, whose runner fails them naming the shape to write.
 */
function rerunStepCheck(scope: Construct, plan: PipelinePlan, steps: sfn.State): sfn.Choice {
  const names = plan.steps.map((s) => s.step.stepName);
  const step = `$.${RERUN_INPUT_FIELD}.step`;
  const listed = names.length > LISTED_STEPS ? `${names.slice(0, LISTED_STEPS).join(', ')} and ${names.length - LISTED_STEPS} more` : names.join(', ');
  const cause = `${RERUN_INPUT_FIELD}.step names no step of this pipeline; name one of its steps: ${listed}`;
  const unknown = new sfn.Fail(scope, 'UnknownRerunStep', {
    stateName: UNKNOWN_RERUN_STEP_STATE_NAME,
    error: StepErrorNames.INVALID_INPUT,
    cause,
  });
  return new sfn.Choice(scope, 'RerunStepChoice', { stateName: RERUN_STEP_STATE_NAME, comment: `Is ${RERUN_INPUT_FIELD}.step a step of this pipeline?` })
    // Not(IsPresent) rather than IsPresent false, and so on: aws-local-stepfunctions 3.0.0 never
    // matches a rule of IsPresent (or IsString) false, and a later rule then meets a path to nothing.
    .when(sfn.Condition.not(sfn.Condition.isPresent(step)), steps)
    .when(sfn.Condition.not(sfn.Condition.isString(step)), steps)
    .when(sfn.Condition.or(...names.map((name) => sfn.Condition.stringEquals(step, name))), steps)
    .otherwise(unknown);
}

function stepStates(scope: Construct, options: DefinitionOptions): sfn.State {
  // States get their own scope: a step named like a sibling construct ("Runner") must not clash.
  const stepsScope = new Construct(scope, 'Steps');
  const { plan } = options;
  if (plan.isGraph) {
    const graph = new sfn.Parallel(scope, 'StepGraph', {
      stateName: GRAPH_STATE_NAME,
      comment: 'Runs each step as soon as the steps it depends on have succeeded',
      // Branch i's output is step i's result: name each, so the output is as a sequence's.
      resultSelector: Object.fromEntries(plan.steps.map((s, i) => [s.step.stepName, sfn.JsonPath.stringAt(`$[${i}]`)])),
      resultPath: RESULTS_PATH,
    });
    for (const step of plan.steps) {
      graph.branch(activityState(stepsScope, options.activity, step, undefined));
    }
    return graph;
  }
  const states = plan.steps.map((step) => activityState(stepsScope, options.activity, step, `${RESULTS_PATH}.${step.step.stepName}`));
  states.slice(1).forEach((state, i) => states[i].next(state));
  return states[0];
}

function activityState(scope: Construct, activity: sfn.IActivity, plan: StepPlan, resultPath: string | undefined): sfn.TaskStateBase {
  const state = new tasks.StepFunctionsInvokeActivity(scope, plan.step.stepName, {
    activity,
    comment: plan.step._describe(),
    parameters: {
      ...withoutUndefined(plan.input),
      ...(plan.inputPaths.length > 0 && {
        inputs: Object.fromEntries(plan.inputPaths.map((path) => [path, sfn.JsonPath.stringAt(`$$.Execution.Input.${path}`)])),
      }),
      executionId: sfn.JsonPath.stringAt('$$.Execution.Id'),
      // The re-run the execution asked for, or "none" (set by the first states).
      [RERUN_INPUT_FIELD]: sfn.JsonPath.objectAt(`$.${RERUN_INPUT_FIELD}`),
      // Context object fields (Step Functions "Context object"): the retries of this state so far,
      // the execution's redrives (a redrive starts the retries at 0 again), and the state
      // machine's name, which failure mail and events call the pipeline by.
      attempt: sfn.JsonPath.numberAt('$$.State.RetryCount'),
      redriveCount: sfn.JsonPath.numberAt('$$.Execution.RedriveCount'),
      pipelineName: sfn.JsonPath.stringAt('$$.StateMachine.Name'),
    },
    heartbeatTimeout: sfn.Timeout.duration(plan.heartbeat),
    taskTimeout: sfn.Timeout.duration(plan.timeout),
    resultPath,
  });
  for (const retry of plan.retries) {
    state.addRetry(retry);
  }
  return state;
}

function withoutUndefined<T extends object>(value: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
