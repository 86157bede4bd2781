import { ANY_STEP_ERRORS, StepErrorNames } from '../error-names';
import type { StepKindSpec } from '../kind-spec';
import type { TaskInputCommon } from '../task-input-common';

/** EventBridge detail-type of Glue's event that a job run changed state. */
export const GLUE_JOB_STATE_CHANGE = 'Glue Job State Change';

/** A step that runs one Glue job. */
export interface GlueJobTaskInput extends TaskInputCommon {
  readonly kind: 'glue-job';
  readonly jobName: string;
  /** Per-run Glue arguments, `--key` -> value; values may hold `{{...}}` references. */
  readonly arguments: Record<string, string>;
  readonly workerType?: string;
  readonly numberOfWorkers?: number;
  readonly maxCapacity?: number;
  readonly executionClass?: 'STANDARD' | 'FLEX';
  /** Glue run timeout in minutes; unset = the job's own timeout. */
  readonly runTimeoutMinutes?: number;
  /**
   * The job's `MaxRetries` when known at synth (a `CfnJob` that sets it): how many times Glue
   * itself runs a failed run again, each a new attempt of the same step. Unset: the runner reads
   * it with GetJob when an attempt fails.
   */
  readonly maxRetries?: number;
}

/** What a job step's success sends: its result. */
export interface GlueJobResult {
  readonly stepName: string;
  readonly jobName: string;
  /** The run that succeeded: the last attempt when Glue retried the run. */
  readonly jobRunId: string;
  readonly state: 'SUCCEEDED';
  readonly startedOn?: string;
  readonly completedOn?: string;
  readonly executionTimeSeconds?: number;
}

export const GLUE_JOB: StepKindSpec<GlueJobTaskInput, GlueJobResult> = {
  kind: 'glue-job',
  targetField: 'jobName',
  resource: 'job',
  fields: {
    jobName: 'name',
    arguments: 'arguments',
    workerType: 'text?',
    numberOfWorkers: 'count?',
    maxCapacity: 'amount?',
    executionClass: { oneOf: ['STANDARD', 'FLEX'] },
    runTimeoutMinutes: 'count?',
    maxRetries: 'whole?',
  },
  resultFields: { stepName: true, jobName: true, jobRunId: true, state: true, startedOn: true, completedOn: true, executionTimeSeconds: true },
  errors: [
    StepErrorNames.JOB_FAILED, StepErrorNames.JOB_TIMEOUT, StepErrorNames.JOB_STOPPED, StepErrorNames.JOB_ERROR,
    StepErrorNames.JOB_EXPIRED, StepErrorNames.RUN_NOT_FOUND, ...ANY_STEP_ERRORS,
  ],
  // Glue sends the event for these final states only: a run that ends ERROR or EXPIRED sends
  // none, and the next sweep finds it.
  endEvent: {
    detailType: GLUE_JOB_STATE_CHANGE,
    nameField: 'jobName',
    runIdField: 'jobRunId',
    states: ['SUCCEEDED', 'FAILED', 'TIMEOUT', 'STOPPED'],
    ruleId: 'RunEnded',
    ruleDescription: 'Invokes the pipeline runner when a run of one of its Glue jobs ends',
  },
  console: {
    page: { console: 'gluestudio', fragment: '/job/{name}/run/{runId}' },
    logs: {
      output: { group: '/aws-glue/jobs/output', streamNamedBy: 'runId' },
      error: { group: '/aws-glue/jobs/error', streamNamedBy: 'runId' },
    },
  },
};
