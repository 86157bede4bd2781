/**
 * The contract between the construct and the runner Lambda.
 *
 * Both sides import this module, so a change to a name or a shape is a compile error on the
 * other side instead of a runtime surprise. It must not import the AWS SDK or aws-cdk-lib: it
 * is bundled into the runner and compiled into the construct library alike.
 */

/** Environment variables the construct sets on the runner function. */
export const RunnerEnv = {
  /** ARN of the Step Functions activity the runner polls. */
  ACTIVITY_ARN: 'GOP_ACTIVITY_ARN',
  /** Name of the DynamoDB tracking table. */
  TRACKING_TABLE: 'GOP_TRACKING_TABLE',
  /** Identifies this pipeline's records in the tracking table (partition key value). */
  PIPELINE_ID: 'GOP_PIPELINE_ID',
  /** Sender address of failure mail; unset when failure mail is off. */
  NOTIFY_SENDER: 'GOP_NOTIFY_SENDER',
  /** Comma-separated recipients of failure mail. */
  NOTIFY_RECIPIENTS: 'GOP_NOTIFY_RECIPIENTS',
  /** ARN of the pipeline's state machine: its running executions tell the runner when to poll. */
  STATE_MACHINE_ARN: 'GOP_STATE_MACHINE_ARN',
  /** The schedule's period in seconds: heartbeats are sent when the next sweeps might be too late. */
  CHECK_INTERVAL_SECONDS: 'GOP_CHECK_INTERVAL_SECONDS',
} as const;

/** EventBridge detail-types the runner is invoked with (besides its schedule). */
export const GLUE_JOB_STATE_CHANGE = 'Glue Job State Change';
export const EXECUTION_STATUS_CHANGE = 'Step Functions Execution Status Change';

/**
 * Version of the task input shape. The runner rejects inputs of any other version, telling
 * the user to redeploy so the state machine and the runner match.
 */
export const TASK_INPUT_VERSION = 2;

/** What kind of work a step does. Only Glue jobs today; crawlers etc. come later. */
export type StepKind = 'glue-job';

/**
 * The input of one activity task: what the state machine hands to the runner for one step.
 * Every field here is a control field except `arguments`, the only source of Glue run arguments.
 */
export interface StepTaskInput {
  readonly version: typeof TASK_INPUT_VERSION;
  readonly kind: StepKind;
  readonly stepName: string;
  readonly jobName: string;
  /** Per-run Glue arguments, `--key` -> value. */
  readonly arguments: Record<string, string>;
  readonly workerType?: string;
  readonly numberOfWorkers?: number;
  readonly maxCapacity?: number;
  readonly executionClass?: 'STANDARD' | 'FLEX';
  /** Glue run timeout in minutes; unset = the job's own timeout. */
  readonly runTimeoutMinutes?: number;
  /** The activity state's TimeoutSeconds: how long the token can live. */
  readonly taskTimeoutSeconds: number;
  /**
   * The activity state's HeartbeatSeconds: the longest a task may go without a heartbeat, and
   * so the longest gap between two runner cycles the runner must plan for.
   */
  readonly heartbeatSeconds: number;
  /**
   * True on a step no other step follows: its success ends the execution, so the runner does
   * not wait for a next task. Unset (older state machines) is read as "a step may follow".
   */
  readonly final?: boolean;
  /**
   * `$$.Execution.Id` of the execution that issued the task. Each attempt of a state gets its
   * own task token, so the token (its hash) identifies the attempt.
   */
  readonly executionId: string;
}

/** What the runner sends with SendTaskSuccess; the state machine stores it under `$.results.<step>`. */
export interface StepTaskOutput {
  readonly stepName: string;
  readonly jobName: string;
  readonly jobRunId: string;
  readonly state: 'SUCCEEDED';
  readonly startedOn?: string;
  readonly completedOn?: string;
  readonly executionTimeSeconds?: number;
}

/** Where the state machine keeps step results in the execution state. */
export const RESULTS_PATH = '$.results';

/** Key schema and attributes of the tracking table. */
export const TrackingKeys = {
  PARTITION_KEY: 'pk',
  SORT_KEY: 'sk',
  TTL_ATTRIBUTE: 'expiresAt',
} as const;

/** Partition key value that groups every in-flight task of one pipeline. */
export function trackingPartition(pipelineId: string): string {
  return `pipeline#${pipelineId}`;
}

/** Sort key value of one task; `tokenId` is a hash of the task token, never the token. */
export function trackingSortKey(tokenId: string): string {
  return `task#${tokenId}`;
}

/**
 * The item that remembers the pipeline's last complete heartbeat round: the time a sweep began
 * that then heartbeated every task tracked at that time. Kept in its own partition, so the
 * check phase's query of task records never reads it.
 */
export function heartbeatRoundKey(pipelineId: string): Record<string, string> {
  return { [TrackingKeys.PARTITION_KEY]: `pipeline#${pipelineId}#heartbeats`, [TrackingKeys.SORT_KEY]: 'round' };
}

/** Lifecycle of a tracking record. */
export type TrackingStatus =
  /** Intent recorded; no run confirmed yet (starting now, crashed, or waiting to retry). */
  | 'STARTING'
  /** Glue run started; `jobRunId` is set. */
  | 'RUNNING'
  /** The run ended and one invocation holds the claim to report it. */
  | 'CLOSING';

/**
 * Glue run argument that ties a run to its task (`tokenId`), so a run whose id was never saved
 * (the runner died right after StartJobRun) is found again with GetJobRuns instead of started
 * twice. Glue scripts that do not ask for it never see it.
 */
export const CORRELATION_ARGUMENT = '--glue-orchestrated-pipeline-task';

/** One in-flight task in the tracking table. */
export interface TrackingRecord {
  readonly pk: string;
  readonly sk: string;
  /** The task token. A credential: stored, never logged. */
  readonly taskToken: string;
  /** Short hash of the token, safe to log. */
  readonly tokenId: string;
  readonly status: TrackingStatus;
  readonly stepName: string;
  readonly jobName: string;
  readonly jobRunId?: string;
  readonly executionId: string;
  /** ISO-8601 time the record was created. */
  readonly createdAt: string;
  /** Epoch seconds after which the token is dead for sure; the table's TTL attribute. */
  readonly expiresAt: number;
  /** The parsed task input, so a start can be resumed by any invocation. */
  readonly input: StepTaskInput;
  /**
   * Epoch ms until which one invocation owns the record's next transition (its own deadline
   * plus a margin); others leave the record alone until then.
   */
  readonly leaseUntil: number;
  /** StartJobRun calls refused for a transient reason so far. */
  readonly startAttempts: number;
  /** Epoch ms before which a refused start is not tried again. */
  readonly nextStartAt?: number;
  /** The last transient StartJobRun error, for the failure cause when the start gives up. */
  readonly lastError?: string;
}

/** Error names sent with SendTaskFailure: what Retry/Catch `ErrorEquals` match. */
export const StepErrorNames = {
  JOB_FAILED: 'Glue.JobFailed',
  JOB_TIMEOUT: 'Glue.JobTimeout',
  JOB_STOPPED: 'Glue.JobStopped',
  JOB_ERROR: 'Glue.JobError',
  JOB_EXPIRED: 'Glue.JobExpired',
  START_FAILED: 'Glue.StartFailed',
  RUN_NOT_FOUND: 'Glue.RunNotFound',
  INVALID_INPUT: 'Pipeline.InvalidInput',
  TRACKING_FAILED: 'Pipeline.TrackingFailed',
} as const;

export type StepErrorName = typeof StepErrorNames[keyof typeof StepErrorNames];

/**
 * Argument keys a step may not set: those Glue uses internally and documents as never to be
 * set, and the pipeline's own correlation argument.
 */
export const RESERVED_GLUE_ARGUMENTS: readonly string[] = ['--conf', '--debug', '--mode', '--JOB_NAME', CORRELATION_ARGUMENT];
