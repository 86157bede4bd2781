/**
 * The benchmark's baseline ("old-sample mode"): the runner design of the 2018 AWS sample
 * aws-etl-orchestrator (lambda/gluerunner/gluerunner.py), ported to TypeScript and to this
 * library's task input and tracking table so both runners can be driven by the same harness.
 * Used only by `npx projen bench`; never shipped.
 *
 * Kept from the sample: start before check; GetActivityTask in a loop until it comes back empty
 * (so every invocation ends its start phase with an empty long poll of up to 60 s); a failed
 * start sends SendTaskFailure and ends the start phase; input it cannot parse throws (the token
 * is dropped); one Query of at most 50 items with no second page; one call at a time; no
 * conditional writes or retries; no action on run states it did not list.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetJobRunCommand, GlueClient, StartJobRunCommand, WorkerType } from '@aws-sdk/client-glue';
import {
  GetActivityTaskCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { tokenId } from '../../src/lambda/store/token-id';
import {
  CORRELATION_ARGUMENT,
  GlueJobTaskInput,
  RunnerEnv,
  StepErrorNames,
  StepTaskInput,
  TrackingKeys,
  trackingPartition,
  trackingSortKey,
} from '../../src/shared/contract';

/** The sample's ddb_query_limit. */
const QUERY_LIMIT = 50;
const WORKER_NAME = 'gluerunner';

/** The sample's SFN client config (connect 50 s, read 70 s): GetActivityTask long-polls for up to 60 s. */
const sfn = new SFNClient({
  requestHandler: new NodeHttpHandler({ connectionTimeout: 50_000, requestTimeout: 70_000, throwOnRequestTimeout: true }),
});
const glue = new GlueClient({});
const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}));

/** One stored task: what the sample kept (token, job, run id) plus our table's keys and step name. */
interface OldSampleRecord {
  readonly pk: string;
  readonly sk: string;
  readonly taskToken: string;
  readonly jobName: string;
  readonly jobRunId: string;
  readonly stepName: string;
  readonly status: 'RUNNING';
}

export interface OldSampleSummary {
  /** Glue runs started by this invocation. */
  readonly started: number;
  /** Tracking records read by the check phase. */
  readonly checked: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly heartbeats: number;
  /** Records in a state the sample did not list (TIMEOUT, ERROR, ...): left alone, forever. */
  readonly ignored: number;
}

/** Like the sample, reads neither the event nor the context. */
export async function handler(_event: unknown, _context: unknown): Promise<OldSampleSummary> {
  const table = requiredEnv(RunnerEnv.TRACKING_TABLE);
  const partition = trackingPartition(requiredEnv(RunnerEnv.PIPELINE_ID));
  const started = await startTasks(table, partition);
  return { started, ...await checkTrackedRuns(table, partition) };
}

/** Polls until the activity has nothing pending, starting each task's run; returns the runs started. */
async function startTasks(table: string, partition: string): Promise<number> {
  let started = 0;
  for (;;) {
    const task = await sfn.send(new GetActivityTaskCommand({ activityArn: requiredEnv(RunnerEnv.ACTIVITY_ARN), workerName: WORKER_NAME }));
    if (!task.taskToken) {
      return started;
    }
    const input = JSON.parse(task.input ?? '{}') as StepTaskInput;
    if (input.kind !== 'glue-job') {
      // The sample knows only Glue jobs: any other step kind is input it cannot use.
      await sfn.send(new SendTaskFailureCommand({
        taskToken: task.taskToken,
        error: StepErrorNames.INVALID_INPUT,
        cause: `step kind ${JSON.stringify(input.kind)} is not supported by the old-sample runner (Glue jobs only)`,
      }));
      continue;
    }
    try {
      await startTask(table, partition, task.taskToken, input);
      started++;
    } catch {
      await sfn.send(new SendTaskFailureCommand({ taskToken: task.taskToken, error: 'Failed to start Glue job. Check Glue Runner logs for more details.' }));
      return started;
    }
  }
}

/** StartJobRun, then the record: the sample's two calls for one task. */
async function startTask(table: string, partition: string, taskToken: string, input: GlueJobTaskInput): Promise<void> {
  const id = tokenId(taskToken);
  const run = await glue.send(new StartJobRunCommand({
    JobName: input.jobName,
    // The correlation argument is not the sample's: the harness maps runs to tasks with it.
    Arguments: { ...input.arguments, [CORRELATION_ARGUMENT]: id },
    WorkerType: input.workerType as WorkerType | undefined,
    NumberOfWorkers: input.numberOfWorkers,
    MaxCapacity: input.maxCapacity,
    ExecutionClass: input.executionClass,
    Timeout: input.runTimeoutMinutes,
  }));
  const record: OldSampleRecord = {
    pk: partition,
    sk: trackingSortKey(id),
    taskToken,
    jobName: input.jobName,
    jobRunId: run.JobRunId as string,
    stepName: input.stepName,
    status: 'RUNNING',
  };
  await dynamo.send(new PutCommand({ TableName: table, Item: record }));
}

/** One page of the partition, each record's run read and reported in turn. */
async function checkTrackedRuns(table: string, partition: string): Promise<Omit<OldSampleSummary, 'started'>> {
  const page = await dynamo.send(new QueryCommand({
    TableName: table,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': TrackingKeys.PARTITION_KEY },
    ExpressionAttributeValues: { ':pk': partition },
    Limit: QUERY_LIMIT,
  }));
  const records = (page.Items ?? []) as OldSampleRecord[];
  const counts = { checked: records.length, succeeded: 0, failed: 0, heartbeats: 0, ignored: 0 };
  for (const record of records) {
    counts[await checkRun(table, record)]++;
  }
  return counts;
}

async function checkRun(table: string, record: OldSampleRecord): Promise<'succeeded' | 'failed' | 'heartbeats' | 'ignored'> {
  const { JobRun: run } = await glue.send(new GetJobRunCommand({ JobName: record.jobName, RunId: record.jobRunId, PredecessorsIncluded: false }));
  const state = run?.JobRunState;
  const taskToken = record.taskToken;
  switch (state) {
    case 'SUCCEEDED':
      await sfn.send(new SendTaskSuccessCommand({
        taskToken,
        output: JSON.stringify({ stepName: record.stepName, jobName: record.jobName, jobRunId: record.jobRunId, state }),
      }));
      await deleteRecord(table, record);
      return 'succeeded';
    case 'FAILED':
    case 'STOPPED':
      await sfn.send(new SendTaskFailureCommand({ taskToken, error: 'GlueJobFailedError', cause: run?.ErrorMessage ?? '' }));
      await deleteRecord(table, record);
      return 'failed';
    case 'STARTING':
    case 'RUNNING':
    case 'STOPPING':
      await sfn.send(new SendTaskHeartbeatCommand({ taskToken }));
      return 'heartbeats';
    default:
      return 'ignored';
  }
}

async function deleteRecord(table: string, record: OldSampleRecord): Promise<void> {
  await dynamo.send(new DeleteCommand({ TableName: table, Key: { pk: record.pk, sk: record.sk } }));
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`Environment variable ${name} is not set`);
  }
  return value;
}
