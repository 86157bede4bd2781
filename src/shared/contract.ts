/**
 * The contract between the construct and the runner Lambda.
 *
 * Both sides import this module, so a change to a name or a shape is a compile error on the
 * other side instead of a runtime surprise. It must not import the AWS SDK or aws-cdk-lib: it
 * is bundled into the runner and compiled into the construct library alike. What each step
 * kind is (its task input, result, errors and events) is declared in `kinds/`, one file a
 * kind, and registered in `step-kinds.ts`.
 */
import type { StepTaskInput } from './step-kinds';

export * from './error-names';
export * from './kind-spec';
export * from './step-kinds';
export * from './task-input-common';

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
  /** SES configuration set failure mail is sent with; unset for none. */
  NOTIFY_CONFIGURATION_SET: 'GOP_NOTIFY_CONFIGURATION_SET',
  /** ARN of the pipeline's state machine: its running executions tell the runner when to poll. */
  STATE_MACHINE_ARN: 'GOP_STATE_MACHINE_ARN',
  /** The schedule's period in seconds: heartbeats are sent when the next sweeps might be too late. */
  CHECK_INTERVAL_SECONDS: 'GOP_CHECK_INTERVAL_SECONDS',
  /**
   * Set when the steps form a graph: how many steps it has. An execution of a graph hands out
   * one task per step at once; unset for a sequence, which hands out one task at a time.
   */
  GRAPH_STEPS: 'GOP_GRAPH_STEPS',
} as const;

/**
 * The runner's log message when failure mail could not be sent (logged at ERROR, with the SES
 * error as `reason`); each invocation's `cycle done` line counts them in `failureMailNotSent`.
 * Stable: alarms and metric filters match on it.
 */
export const FAILURE_MAIL_NOT_SENT = 'failure email not sent';

/**
 * The runner's log message when a failure event could not be put on the default event bus
 * (logged at ERROR, with the reason); counted in `failureEventNotSent`. Stable, as above.
 */
export const FAILURE_EVENT_NOT_SENT = 'failure event not sent';

/**
 * The runner's log message when a late event could not be put on the default event bus (logged
 * at ERROR, with the reason); counted in `lateEventNotSent`. Stable, as above.
 */
export const LATE_EVENT_NOT_SENT = 'late event not sent';

/** EventBridge detail-type the runner is invoked with when an execution starts. */
export const EXECUTION_STATUS_CHANGE = 'Step Functions Execution Status Change';

/**
 * References in argument values: `{{execution.<path>}}` (a field of the execution input, path
 * of names joined by dots) and `{{steps.<step>.<field>}}` (a field of an upstream step's result).
 */
export const REFERENCE = /\{\{\s*([^{}]*?)\s*\}\}/g;
export const EXECUTION_REFERENCE = /^execution\.([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)$/;
export const STEP_REFERENCE = /^steps\.([A-Za-z][A-Za-z0-9_]{0,63})\.([A-Za-z]+)$/;

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

/**
 * Where the results an execution's later steps need are kept: one partition per execution,
 * apart from the task records, so a sweep's query of task records never reads them.
 */
export function resultsPartition(pipelineId: string, executionId: string): string {
  return `pipeline#${pipelineId}#results#${executionId}`;
}

/** Sort key value of one step's kept result. */
export function resultSortKey(stepName: string): string {
  return `step#${stepName}`;
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

/** Lifecycle of a tracking record (its transitions: src/lambda/store/record-lifecycle.ts). */
export type TrackingStatus =
  /** A step of a graph whose dependencies have not all succeeded: its task is held. */
  | 'WAITING'
  /** Intent recorded; no run confirmed yet (starting now, crashed, or waiting to retry). */
  | 'STARTING'
  /** Glue work started; `runId` is set. */
  | 'RUNNING'
  /** The run ended and one invocation holds the claim to report it. */
  | 'CLOSING';

/**
 * Glue run argument that ties a run to its task (`tokenId`), so a run whose id was never saved
 * (the runner died right after StartJobRun) is found again with GetJobRuns instead of started
 * twice. Glue scripts that do not ask for it never see it.
 */
export const CORRELATION_ARGUMENT = '--glue-orchestrated-pipeline-task';

/** The same tie for a workflow run, as one of its run properties. */
export const CORRELATION_RUN_PROPERTY = 'glue-orchestrated-pipeline-task';

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
  /** The Glue resource the step drives: its job, crawler, trigger or workflow name. */
  readonly resourceName: string;
  /**
   * What the step waits for, once started: a job run id, a crawl id, a workflow run id, or for
   * a trigger, the time the runner fired it.
   */
  readonly runId?: string;
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
  /**
   * Epoch ms a start that may have taken effect was sent: written before each start of a kind
   * that leaves no correlation in Glue (a crawl, a firing), and on any start whose answer was
   * lost (a 5xx, a timeout, a dropped connection); removed when Glue refused that start. A later
   * attempt looks for the work only around this time. Unset: no start of the task can have
   * taken effect.
   */
  readonly startSentAt?: number;
  /**
   * A failure report of this CLOSING record failed after the SDK's tries, perhaps after Step
   * Functions accepted it: a later `TaskTimedOut` may be that report's doing, so the team is
   * mailed all the same.
   */
  readonly failureReportUnknown?: boolean;
  /** The team was mailed of this record's failure: a later report mails no more. */
  readonly failureMailed?: boolean;
  /** The failure event of this record was put on the event bus: a later report puts no more. */
  readonly failureAnnounced?: boolean;
  /** The last transient StartJobRun error, for the failure cause when the start gives up. */
  readonly lastError?: string;
  /**
   * Epoch ms the runner sent the start of the task's Glue work (the start that took effect, or,
   * for work found again after a lost answer, when it was sent, else when it was found): what a
   * step's `expectedDuration` is measured from. Written with the move to RUNNING; unset on
   * records of runners before it, which are never late.
   */
  readonly runningSince?: number;
  /** Epoch ms the runner announced this task's attempt as late: it is announced once. */
  readonly lateAnnouncedAt?: number;
}

/**
 * Argument keys a step may not set: those Glue uses internally and documents as never to be
 * set, and the pipeline's own correlation argument.
 */
export const RESERVED_GLUE_ARGUMENTS: readonly string[] = ['--conf', '--debug', '--mode', '--JOB_NAME', CORRELATION_ARGUMENT];
