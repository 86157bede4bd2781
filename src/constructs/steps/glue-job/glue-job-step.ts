import { Duration } from 'aws-cdk-lib';
import { RESERVED_GLUE_ARGUMENTS } from '../../../shared/contract';
import { GlueAccess, ReferenceSite, StepTaskFields } from '../step-internals';
import { positiveInteger, positiveNumber, validateStringMap, waitMinutesOf } from '../step-options';
import { ExecutionClass, WorkerType } from './capacity';
import { GlueJob } from './glue-job';
import { PipelineStep, PipelineStepOptions } from '../../pipeline-step';
import { referencesOf } from '../../step-references';
import { GLUE_DEFAULT_RUN_TIMEOUT_MINUTES } from '../../step-timing';

/** Glue rejects run timeouts of 7 days (10,080 minutes) or more. */
const MAX_RUN_TIMEOUT_MINUTES = 10_079;

/** A step that runs one Glue job. */
export interface GlueJobStepProps extends PipelineStepOptions {
  /** The job to run. */
  readonly job: GlueJob;

  /**
   * Arguments for this run, `--key` -> value. They are merged over the job's default arguments
   * by Glue. Keys must start with `--`; Glue's internal keys (`--conf`, `--debug`, `--mode`,
   * `--JOB_NAME`) and the pipeline's `--glue-orchestrated-pipeline-task` are refused.
   *
   * Values may hold references to values known only when the pipeline runs, anywhere and any
   * number of times, e.g. `s3://bucket/date={{execution.runDate}}/`; see `StepValue`.
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
   * Run timeout, in whole minutes, passed to Glue for this run (`StartJobRun`'s `Timeout`). The
   * state's `TimeoutSeconds` is derived from the same value, so the state never times out while
   * Glue still considers the run within its timeout.
   *
   * @default - the `glue.CfnJob`'s timeout when the job comes from one that sets it; else Glue's
   * default for a CfnJob's `glueVersion` (480 minutes for 5.0 and later, 2,880 before); else, for
   * `GlueJob.fromName`, 2,880 minutes. The default is passed to Glue too, and overrides the
   * timeout the job itself is configured with: set `timeout` to keep a different one
   */
  readonly timeout?: Duration;
}

/** A step that runs one Glue job. Create it with `PipelineStep.glueJob()`. */
export class GlueJobStep extends PipelineStep {
  public readonly waitMinutes: number;
  /** The job this step runs. */
  public readonly job: GlueJob;
  /** Run arguments, validated. */
  public readonly arguments: { [key: string]: string };
  public readonly workerType?: WorkerType;
  public readonly numberOfWorkers?: number;
  public readonly maxCapacity?: number;
  public readonly executionClass?: ExecutionClass;
  /** Run timeout in minutes, passed to Glue with every run of the step. */
  public readonly runTimeoutMinutes: number;

  /** @internal */
  public readonly _glueAccess: GlueAccess = {
    // GetJob reads the job's MaxRetries when a run fails and the synth did not know it.
    actions: ['glue:StartJobRun', 'glue:GetJobRun', 'glue:GetJobRuns', 'glue:BatchStopJobRun', 'glue:GetJob'],
    resourceType: 'job',
  };

  constructor(props: GlueJobStepProps) {
    super('glue-job', props.job.jobName, props.job.label, props);
    this.job = props.job;

    const where = `step "${this.stepName}"`;
    this.arguments = validateStringMap(where, 'argument', props.arguments ?? {}, argumentKeyProblem);
    referencesOf(this.stepName, this._referenceSites());
    if (props.maxCapacity !== undefined && (props.workerType !== undefined || props.numberOfWorkers !== undefined)) {
      throw new Error(`${where}: maxCapacity (${props.maxCapacity}) cannot be combined with workerType/numberOfWorkers; set either maxCapacity or workerType with numberOfWorkers`);
    }
    if ((props.workerType === undefined) !== (props.numberOfWorkers === undefined)) {
      throw new Error(`${where}: workerType and numberOfWorkers go together; set both or neither (got workerType=${props.workerType?.name}, numberOfWorkers=${props.numberOfWorkers})`);
    }
    positiveInteger(where, 'numberOfWorkers', props.numberOfWorkers);
    positiveNumber(where, 'maxCapacity', props.maxCapacity);

    // Glue and the state agree on the run's timeout: it is always passed to StartJobRun.
    this.runTimeoutMinutes = props.timeout === undefined
      ? props.job.defaultTimeoutMinutes ?? GLUE_DEFAULT_RUN_TIMEOUT_MINUTES
      : waitMinutesOf(where, props.timeout, GLUE_DEFAULT_RUN_TIMEOUT_MINUTES, MAX_RUN_TIMEOUT_MINUTES);
    // Each attempt Glue makes of a run (the job's MaxRetries, when known) may take the run timeout.
    this.waitMinutes = this.runTimeoutMinutes * (1 + (props.job.maxRetries ?? 0));
    this.workerType = props.workerType;
    this.numberOfWorkers = props.numberOfWorkers;
    this.maxCapacity = props.maxCapacity;
    this.executionClass = props.executionClass;
  }

  /** @internal */
  public _taskFields(): StepTaskFields {
    return {
      kind: 'glue-job',
      jobName: this.job.jobName,
      arguments: this.arguments,
      workerType: this.workerType?.name,
      numberOfWorkers: this.numberOfWorkers,
      maxCapacity: this.maxCapacity,
      executionClass: this.executionClass,
      runTimeoutMinutes: this.runTimeoutMinutes,
      maxRetries: this.job.maxRetries,
    };
  }

  /** @internal */
  public _referenceSites(): ReferenceSite[] {
    return Object.entries(this.arguments).map(([key, value]) => ({ what: 'argument', key, value }));
  }

  /** @internal */
  public _describe(): string {
    return `Runs Glue job ${this.label}`;
  }
}

function argumentKeyProblem(key: string): string | undefined {
  if (!key.startsWith('--') || key.length < 3) {
    return `argument key "${key}" must start with "--" followed by a name, e.g. "--${key.replace(/^-*/, '') || 'name'}"`;
  }
  if (RESERVED_GLUE_ARGUMENTS.includes(key)) {
    return `argument key "${key}" is reserved (by Glue, or for the pipeline's run correlation); choose another name (reserved: ${RESERVED_GLUE_ARGUMENTS.join(', ')})`;
  }
  return undefined;
}
