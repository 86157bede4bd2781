import { Duration, Token } from 'aws-cdk-lib';
import { ExecutionClass, WorkerType } from './capacity';
import { GlueJob } from './glue-job';
import { RESERVED_GLUE_ARGUMENTS } from '../shared/contract';

/** A step name is a state name and a key of `$.results`: letters, digits, underscores. */
const STEP_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** Glue rejects run timeouts of 7 days (10,080 minutes) or more. */
const MAX_RUN_TIMEOUT_MINUTES = 10_079;

/**
 * How a step is tried again after it fails. Each try is a new task, so a new Glue run.
 */
export interface StepRetry {
  /**
   * The error names to retry on, e.g. `StepErrors.JOB_FAILED`, `StepErrors.START_FAILED`, or
   * `States.ALL` for any.
   */
  readonly errors: string[];

  /**
   * How many times to try again.
   *
   * @default 2
   */
  readonly maxAttempts?: number;

  /**
   * Wait before the first retry; whole seconds.
   *
   * @default Duration.minutes(1)
   */
  readonly interval?: Duration;

  /**
   * Multiplier of the wait for each further retry; at least 1.
   *
   * @default 2
   */
  readonly backoffRate?: number;
}

/** Options every kind of step shares. */
export interface PipelineStepOptions {
  /**
   * The step's name: its state name in the state machine and the key of its result in the
   * execution output (`$.results.<stepName>`). Letters, digits and underscores, starting with a
   * letter, at most 64 characters; unique in the pipeline.
   *
   * @default - derived from the job name, with every other character replaced by "_"
   */
  readonly stepName?: string;

  /**
   * Try the step again when it fails with one of the given errors. A step whose task token was
   * lost is always dispatched again (Retry on `States.HeartbeatTimeout`), whatever this says.
   *
   * @default - a failed step fails the execution
   */
  readonly retry?: StepRetry;
}

/** A step that runs one Glue job. */
export interface GlueJobStepProps extends PipelineStepOptions {
  /** The job to run. */
  readonly job: GlueJob;

  /**
   * Arguments for this run, `--key` -> value. They are merged over the job's default arguments
   * by Glue. Keys must start with `--`; Glue's internal keys (`--conf`, `--debug`, `--mode`,
   * `--JOB_NAME`) and the pipeline's `--glue-orchestrated-pipeline-task` are refused.
   *
   * @default - no run arguments: the job's default arguments apply
   */
  readonly arguments?: { [key: string]: string };

  /**
   * Worker type for this run. Set together with `numberOfWorkers`; not with `maxCapacity`.
   *
   * @default - the job's worker type
   */
  readonly workerType?: WorkerType;

  /**
   * Number of workers for this run. Set together with `workerType`; not with `maxCapacity`.
   *
   * @default - the job's number of workers
   */
  readonly numberOfWorkers?: number;

  /**
   * DPUs for this run, for jobs that do not use worker types (Python shell: 0.0625 or 1).
   * Not together with `workerType` / `numberOfWorkers`.
   *
   * @default - the job's capacity
   */
  readonly maxCapacity?: number;

  /**
   * Standard or flexible execution for this run.
   *
   * @default - the job's execution class
   */
  readonly executionClass?: ExecutionClass;

  /**
   * Run timeout, in whole minutes, passed to Glue for this run. Also bounds how long the
   * state machine waits for the step.
   *
   * @default - the job's own timeout; for the state's timeout, the `glue.CfnJob`'s timeout when
   * the job comes from one, else Glue's default of 2,880 minutes
   */
  readonly timeout?: Duration;
}

/**
 * One step of a pipeline. Steps run in the order they are listed.
 */
export abstract class PipelineStep {
  /** A step that runs a Glue job and waits for its run to end. */
  public static glueJob(props: GlueJobStepProps): GlueJobStep {
    return new GlueJobStep(props);
  }

  /** The step's name, unique in the pipeline. */
  public abstract readonly stepName: string;

  protected constructor() {}
}

/** A step that runs one Glue job. Create it with `PipelineStep.glueJob()`. */
export class GlueJobStep extends PipelineStep {
  public readonly stepName: string;
  /** The job this step runs. */
  public readonly job: GlueJob;
  /** Run arguments, validated. */
  public readonly arguments: { [key: string]: string };
  public readonly workerType?: WorkerType;
  public readonly numberOfWorkers?: number;
  public readonly maxCapacity?: number;
  public readonly executionClass?: ExecutionClass;
  /** Run timeout in minutes passed to Glue, when set. */
  public readonly runTimeoutMinutes?: number;
  /** The step's retry policy, validated. */
  public readonly retry?: StepRetry;

  constructor(props: GlueJobStepProps) {
    super();
    this.job = props.job;
    this.stepName = props.stepName ?? defaultStepName(props.job.label);
    validateStepName(this.stepName);
    this.arguments = validateArguments(this.stepName, props.arguments ?? {});

    const where = `step "${this.stepName}"`;
    if (props.maxCapacity !== undefined && (props.workerType !== undefined || props.numberOfWorkers !== undefined)) {
      throw new Error(`${where}: maxCapacity (${props.maxCapacity}) cannot be combined with workerType/numberOfWorkers; set either maxCapacity or workerType with numberOfWorkers`);
    }
    if ((props.workerType === undefined) !== (props.numberOfWorkers === undefined)) {
      throw new Error(`${where}: workerType and numberOfWorkers go together; set both or neither (got workerType=${props.workerType?.name}, numberOfWorkers=${props.numberOfWorkers})`);
    }
    positiveInteger(where, 'numberOfWorkers', props.numberOfWorkers);
    positiveNumber(where, 'maxCapacity', props.maxCapacity);

    if (props.timeout !== undefined && !props.timeout.isUnresolved()) {
      const minutes = props.timeout.toMinutes({ integral: false });
      if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_RUN_TIMEOUT_MINUTES) {
        throw new Error(`${where}: timeout must be a whole number of minutes from 1 to ${MAX_RUN_TIMEOUT_MINUTES}, got ${props.timeout.toHumanString()}`);
      }
      this.runTimeoutMinutes = minutes;
    }
    this.retry = props.retry && validateRetry(where, props.retry);
    this.workerType = props.workerType;
    this.numberOfWorkers = props.numberOfWorkers;
    this.maxCapacity = props.maxCapacity;
    this.executionClass = props.executionClass;
  }
}

function validateRetry(where: string, retry: StepRetry): StepRetry {
  if (retry.errors.length === 0 || retry.errors.some((e) => typeof e !== 'string' || e.length === 0)) {
    throw new Error(`${where}: retry.errors must list at least one error name, e.g. StepErrors.JOB_FAILED, got ${JSON.stringify(retry.errors)}`);
  }
  if (retry.maxAttempts !== undefined && !(Number.isInteger(retry.maxAttempts) && retry.maxAttempts >= 1 && retry.maxAttempts <= 99_999_999)) {
    throw new Error(`${where}: retry.maxAttempts must be a whole number from 1 to 99999999, got ${retry.maxAttempts}`);
  }
  if (retry.backoffRate !== undefined && !(retry.backoffRate >= 1)) {
    throw new Error(`${where}: retry.backoffRate must be at least 1, got ${retry.backoffRate}`);
  }
  if (retry.interval !== undefined && !retry.interval.isUnresolved()) {
    const seconds = retry.interval.toSeconds({ integral: false });
    if (!Number.isInteger(seconds) || seconds < 1) {
      throw new Error(`${where}: retry.interval must be a whole number of seconds, at least 1, got ${retry.interval.toHumanString()}`);
    }
  }
  return retry;
}

function defaultStepName(label: string): string {
  const name = label.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 64);
  return /^[A-Za-z]/.test(name) ? name : `step_${name}`.slice(0, 64);
}

function validateStepName(name: string) {
  if (Token.isUnresolved(name) || !STEP_NAME.test(name)) {
    throw new Error(`step name "${name}" is not valid: use 1 to 64 letters, digits and underscores, starting with a letter`);
  }
}

function validateArguments(stepName: string, args: { [key: string]: string }): { [key: string]: string } {
  for (const [key, value] of Object.entries(args)) {
    if (!key.startsWith('--') || key.length < 3) {
      throw new Error(`step "${stepName}": argument key "${key}" must start with "--" followed by a name, e.g. "--${key.replace(/^-*/, '') || 'name'}"`);
    }
    if (RESERVED_GLUE_ARGUMENTS.includes(key)) {
      throw new Error(`step "${stepName}": argument key "${key}" is reserved (by Glue, or for the pipeline's run correlation); choose another name (reserved: ${RESERVED_GLUE_ARGUMENTS.join(', ')})`);
    }
    if (typeof value !== 'string') {
      throw new Error(`step "${stepName}": argument "${key}" must be a string, got ${typeof value}`);
    }
  }
  return { ...args };
}

function positiveInteger(where: string, field: string, value: number | undefined) {
  if (value !== undefined && !Token.isUnresolved(value) && !(Number.isInteger(value) && value > 0)) {
    throw new Error(`${where}: ${field} must be a positive whole number, got ${value}`);
  }
}

function positiveNumber(where: string, field: string, value: number | undefined) {
  if (value !== undefined && !Token.isUnresolved(value) && !(Number.isFinite(value) && value > 0)) {
    throw new Error(`${where}: ${field} must be a positive number, got ${value}`);
  }
}
