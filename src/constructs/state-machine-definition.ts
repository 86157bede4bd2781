import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { GlueJobStep } from './pipeline-step';
import { GLUE_DEFAULT_RUN_TIMEOUT_MINUTES, stepTimeouts } from './step-timing';
import { RESULTS_PATH, StepTaskInput, TASK_INPUT_VERSION } from '../shared/contract';

/** The static part of a task input; the rest comes from the execution context at run time. */
type StaticTaskInput = Omit<StepTaskInput, 'executionId'>;

/** How many times a step whose task token was lost (heartbeat timeout) is dispatched again. */
export const LOST_TOKEN_RETRIES = 2;

export interface DefinitionOptions {
  readonly activity: sfn.IActivity;
  readonly steps: readonly GlueJobStep[];
  readonly checkInterval: Duration;
}

/**
 * Builds the chain of activity states, one per step, in order. A failed step fails its state
 * and, with no Catch, the execution: it ends FAILED with the runner's error name.
 */
export function buildDefinition(scope: Construct, options: DefinitionOptions): sfn.IChainable {
  // States get their own scope: a step named like a sibling construct ("Runner") must not clash.
  const stepsScope = new Construct(scope, 'Steps');
  const states = options.steps.map((step, i) => activityState(stepsScope, options, step, i === options.steps.length - 1));
  let chain: sfn.Chain = sfn.Chain.start(states[0]);
  for (const state of states.slice(1)) {
    chain = chain.next(state);
  }
  return chain;
}

function activityState(scope: Construct, options: DefinitionOptions, step: GlueJobStep, final: boolean): sfn.TaskStateBase {
  const timeouts = stepTimeouts(
    options.checkInterval,
    step.runTimeoutMinutes ?? step.job.defaultTimeoutMinutes ?? GLUE_DEFAULT_RUN_TIMEOUT_MINUTES,
  );
  const input: StaticTaskInput = {
    version: TASK_INPUT_VERSION,
    kind: 'glue-job',
    stepName: step.stepName,
    jobName: step.job.jobName,
    arguments: step.arguments,
    workerType: step.workerType?.name,
    numberOfWorkers: step.numberOfWorkers,
    maxCapacity: step.maxCapacity,
    executionClass: step.executionClass,
    runTimeoutMinutes: step.runTimeoutMinutes,
    taskTimeoutSeconds: timeouts.task.toSeconds(),
    heartbeatSeconds: timeouts.heartbeat.toSeconds(),
    // Tells the runner not to wait for a next task after this step succeeds.
    final: final || undefined,
  };
  const state = new tasks.StepFunctionsInvokeActivity(scope, step.stepName, {
    activity: options.activity,
    comment: `Runs Glue job ${step.job.label}`,
    parameters: {
      ...withoutUndefined(input),
      executionId: sfn.JsonPath.stringAt('$$.Execution.Id'),
    },
    heartbeatTimeout: sfn.Timeout.duration(timeouts.heartbeat),
    taskTimeout: sfn.Timeout.duration(timeouts.task),
    resultPath: `${RESULTS_PATH}.${step.stepName}`,
  });
  state.addRetry({
    errors: ['States.HeartbeatTimeout'],
    maxAttempts: LOST_TOKEN_RETRIES,
    interval: Duration.seconds(1),
    backoffRate: 1,
  });
  if (step.retry) {
    state.addRetry({
      errors: step.retry.errors,
      maxAttempts: step.retry.maxAttempts ?? 2,
      interval: step.retry.interval ?? Duration.minutes(1),
      backoffRate: step.retry.backoffRate ?? 2,
    });
  }
  return state;
}

function withoutUndefined<T extends object>(value: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
