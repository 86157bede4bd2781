/**
 * Shared fixtures for the runner tests. Importing this module sets the runner's environment
 * (the names come from the contract), so import it before any module under src/lambda.
 */
import type { Context } from 'aws-lambda';
import type { RunnerConfig } from '../../src/lambda/entry/runner-config';
import {
  GlueCrawlerTaskInput, GlueJobTaskInput, GlueTriggerTaskInput, GlueWorkflowTaskInput, RunnerEnv,
  StepTaskInput, TrackingRecord, trackingPartition, trackingSortKey,
} from '../../src/shared/contract';

export const ACTIVITY_ARN = 'arn:aws:states:us-east-1:111122223333:activity:gop-test';
export const TABLE_NAME = 'gop-tracking-test';
export const PIPELINE_ID = 'nightly-etl';
export const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:111122223333:stateMachine:gop-test';
/** The schedule period the tests' runner plans heartbeats against: 5 minutes. */
export const CHECK_INTERVAL_MS = 300_000;
export const SENDER = 'pipeline@example.com';
export const RECIPIENTS = ['data-team@example.com', 'oncall@example.com'];

/** The environment the construct writes, plus dummy credentials so no SDK call can leave the machine signed as anyone. */
export function setRunnerEnv(withMail = true): void {
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = 'AKIDTESTTESTTEST';
  process.env.AWS_SECRET_ACCESS_KEY = 'test-secret';
  process.env[RunnerEnv.ACTIVITY_ARN] = ACTIVITY_ARN;
  process.env[RunnerEnv.TRACKING_TABLE] = TABLE_NAME;
  process.env[RunnerEnv.PIPELINE_ID] = PIPELINE_ID;
  process.env[RunnerEnv.STATE_MACHINE_ARN] = STATE_MACHINE_ARN;
  process.env[RunnerEnv.CHECK_INTERVAL_SECONDS] = String(CHECK_INTERVAL_MS / 1000);
  if (withMail) {
    process.env[RunnerEnv.NOTIFY_SENDER] = SENDER;
    process.env[RunnerEnv.NOTIFY_RECIPIENTS] = RECIPIENTS.join(',');
  } else {
    delete process.env[RunnerEnv.NOTIFY_SENDER];
    delete process.env[RunnerEnv.NOTIFY_RECIPIENTS];
  }
}

setRunnerEnv();

export const NOW = new Date('2025-03-01T12:00:00.000Z');
export const EXECUTION_ID = 'arn:aws:states:us-east-1:111122223333:execution:sm:exec-1';

export function config(withMail = true): RunnerConfig {
  return {
    activityArn: ACTIVITY_ARN,
    tableName: TABLE_NAME,
    pipelineId: PIPELINE_ID,
    stateMachineArn: STATE_MACHINE_ARN,
    checkIntervalMs: CHECK_INTERVAL_MS,
    mail: withMail ? { sender: SENDER, recipients: RECIPIENTS } : undefined,
  };
}

/** The parsed input of step `n`: job `job<n>`, a 2-hour token and a 5-minute heartbeat. */
export function stepInput(n: number | string, overrides: Partial<GlueJobTaskInput> = {}): GlueJobTaskInput {
  return {
    version: 2,
    kind: 'glue-job',
    stepName: `step${n}`,
    jobName: `job${n}`,
    arguments: { '--day': '2025-03-01' },
    taskTimeoutSeconds: 7200,
    heartbeatSeconds: 300,
    executionId: EXECUTION_ID,
    ...overrides,
  };
}

/** The parsed input of crawler step `n`: crawler `crawler<n>`, the same timeouts as stepInput. */
export function crawlerInput(n: number | string, overrides: Partial<GlueCrawlerTaskInput> = {}): GlueCrawlerTaskInput {
  return {
    version: 2,
    kind: 'glue-crawler',
    stepName: `step${n}`,
    crawlerName: `crawler${n}`,
    taskTimeoutSeconds: 7200,
    heartbeatSeconds: 300,
    executionId: EXECUTION_ID,
    ...overrides,
  };
}

/** The parsed input of trigger step `n`: trigger `trigger<n>`. */
export function triggerInput(n: number | string, overrides: Partial<GlueTriggerTaskInput> = {}): GlueTriggerTaskInput {
  return {
    version: 2,
    kind: 'glue-trigger',
    stepName: `step${n}`,
    triggerName: `trigger${n}`,
    taskTimeoutSeconds: 7200,
    heartbeatSeconds: 300,
    executionId: EXECUTION_ID,
    ...overrides,
  };
}

/** The parsed input of workflow step `n`: workflow `workflow<n>` with one run property. */
export function workflowInput(n: number | string, overrides: Partial<GlueWorkflowTaskInput> = {}): GlueWorkflowTaskInput {
  return {
    version: 2,
    kind: 'glue-workflow',
    stepName: `step${n}`,
    workflowName: `workflow${n}`,
    runProperties: { day: '2025-03-01' },
    taskTimeoutSeconds: 7200,
    heartbeatSeconds: 300,
    executionId: EXECUTION_ID,
    ...overrides,
  };
}

/** A RUNNING tracking record created a minute before NOW that expires in a day; no lease held. */
export function record(n: number | string, overrides: Partial<TrackingRecord> = {}): TrackingRecord {
  const tokenId = `tok${n}`;
  return {
    pk: trackingPartition(PIPELINE_ID),
    sk: trackingSortKey(tokenId),
    taskToken: `token-${n}`,
    tokenId,
    status: 'RUNNING',
    stepName: `step${n}`,
    resourceName: `job${n}`,
    runId: `jr_${n}`,
    executionId: EXECUTION_ID,
    createdAt: new Date(NOW.getTime() - 60_000).toISOString(),
    expiresAt: Math.floor(NOW.getTime() / 1000) + 86_400,
    input: stepInput(n),
    leaseUntil: 0,
    startAttempts: 0,
    ...overrides,
  };
}

/** A STARTING record (no run id saved) whose owner is gone: no lease, no retry time set. */
export function startingRecord(n: number | string, overrides: Partial<TrackingRecord> = {}): TrackingRecord {
  const { runId: _none, ...rest } = record(n, { status: 'STARTING' });
  return { ...rest, ...overrides };
}

/** Every field name of any kind's task input. */
export type TaskInputField = StepTaskInput extends infer I ? (I extends unknown ? keyof I : never) : never;

/** A valid task input of a Glue job step as the state machine builds it. */
export function taskInput(overrides: Partial<Record<TaskInputField, unknown>> = {}): Record<string, unknown> {
  return {
    version: 2,
    kind: 'glue-job',
    stepName: 'load',
    jobName: 'load-job',
    arguments: { '--source': 's3://bucket/in/', '--day': '2025-03-01' },
    workerType: 'G.1X',
    numberOfWorkers: 10,
    executionClass: 'STANDARD',
    runTimeoutMinutes: 120,
    taskTimeoutSeconds: 7200,
    heartbeatSeconds: 300,
    executionId: EXECUTION_ID,
    ...overrides,
  };
}

/** A Lambda context whose remaining time is whatever `remaining` returns. */
export function fakeContext(remaining: () => number, awsRequestId = 'req-1'): Context {
  return {
    awsRequestId,
    getRemainingTimeInMillis: remaining,
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'runner',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:runner',
    memoryLimitInMB: '256',
    logGroupName: '/aws/lambda/runner',
    logStreamName: 'stream',
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
