/**
 * Pins the old-sample runner to the 2018 sample's design, so the benchmark's baseline cannot
 * drift into something better (or worse) than what it stands for.
 */
import { GetJobRunCommand, GlueClient, JobRunState, StartJobRunCommand } from '@aws-sdk/client-glue';
import {
  GetActivityTaskCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
// Sets the runner's environment (region, dummy credentials, GOP_* variables), which the old sample reads too.
import { handler } from '../../bench/old-sample/runner';
import { tokenId } from '../../src/lambda/store/token-id';
import { CORRELATION_ARGUMENT, GlueJobTaskInput, StepTaskInput, trackingPartition, trackingSortKey } from '../../src/shared/contract';
import { ACTIVITY_ARN, PIPELINE_ID, TABLE_NAME } from '../lambda/fixtures';

const sfnMock = mockClient(SFNClient);
const glueMock = mockClient(GlueClient);
const ddbMock = mockClient(DynamoDBDocumentClient);

const PARTITION = trackingPartition(PIPELINE_ID);
const TOKEN = 'token-new';

const taskInput: StepTaskInput = {
  version: 2,
  kind: 'glue-job',
  stepName: 'load',
  jobName: 'load-job',
  arguments: { '--day': '2025-03-01' },
  workerType: 'G.1X',
  numberOfWorkers: 4,
  executionClass: 'FLEX',
  runTimeoutMinutes: 30,
  taskTimeoutSeconds: 3600,
  heartbeatSeconds: 600,
  executionId: 'arn:aws:states:us-east-1:111122223333:execution:sm:exec-1',
};

/** A tracked task whose run is `jr-<name>` and whose token is `token-<name>`. */
function record(name: string) {
  return {
    pk: PARTITION,
    sk: trackingSortKey(tokenId(`token-${name}`)),
    taskToken: `token-${name}`,
    jobName: `${name}-job`,
    jobRunId: `jr-${name}`,
    stepName: name,
    status: 'RUNNING',
  };
}

/** Every call the runner makes, in the order it makes them: `<command> <what it is about>`. */
let calls: string[];

/**
 * Answers each call and logs it. `pending` is the activity's queue; `tracked` is what the
 * Query returns, and each run's state is looked up by run id in `states`.
 */
function fakeAws(options: {
  pending?: string[];
  /** The input of each pending task by token; `taskInput` unless told. */
  inputs?: Record<string, unknown>;
  tracked?: ReturnType<typeof record>[];
  states?: Record<string, JobRunState | string>;
  lastEvaluatedKey?: Record<string, string>;
}): void {
  const pending = [...options.pending ?? []];
  sfnMock.on(GetActivityTaskCommand).callsFake(() => {
    calls.push('GetActivityTask');
    const taskToken = pending.shift();
    return taskToken ? { taskToken, input: JSON.stringify(options.inputs?.[taskToken] ?? taskInput) } : {};
  });
  glueMock.on(StartJobRunCommand).callsFake((input) => {
    calls.push(`StartJobRun ${input.JobName}`);
    return { JobRunId: 'jr-started' };
  });
  ddbMock.on(PutCommand).callsFake((input) => {
    calls.push(`Put ${input.Item.jobRunId}`);
    return {};
  });
  ddbMock.on(QueryCommand).callsFake(() => {
    calls.push('Query');
    return { Items: options.tracked ?? [], LastEvaluatedKey: options.lastEvaluatedKey };
  });
  glueMock.on(GetJobRunCommand).callsFake((input) => {
    calls.push(`GetJobRun ${input.RunId}`);
    return { JobRun: { JobRunState: options.states?.[input.RunId], ErrorMessage: `${input.RunId} broke` } };
  });
  const logTaskCall = (name: string) => (input: { taskToken: string }) => {
    calls.push(`${name} ${input.taskToken}`);
    return {};
  };
  sfnMock.on(SendTaskSuccessCommand).callsFake(logTaskCall('SendTaskSuccess'));
  sfnMock.on(SendTaskFailureCommand).callsFake(logTaskCall('SendTaskFailure'));
  sfnMock.on(SendTaskHeartbeatCommand).callsFake(logTaskCall('SendTaskHeartbeat'));
  ddbMock.on(DeleteCommand).callsFake((input) => {
    calls.push(`Delete ${input.Key.sk}`);
    return {};
  });
}

const sendTaskCalls = () => calls.filter((call) => call.startsWith('SendTask'));

beforeEach(() => {
  sfnMock.reset();
  glueMock.reset();
  ddbMock.reset();
  calls = [];
});

describe('old-sample runner: start phase', () => {
  it('GIVEN a pending task and a tracked run WHEN invoked THEN the task is started and recorded before any tracked run is checked', async () => {
    // GIVEN
    fakeAws({ pending: [TOKEN], tracked: [record('a')], states: { 'jr-a': 'RUNNING' } });
    // WHEN
    const summary = await handler({}, {});
    // THEN
    expect(calls).toEqual(['GetActivityTask', 'StartJobRun load-job', 'Put jr-started', 'GetActivityTask', 'Query', 'GetJobRun jr-a', 'SendTaskHeartbeat token-a']);
    expect(summary).toEqual({ started: 1, checked: 1, succeeded: 0, failed: 0, heartbeats: 1, ignored: 0 });
  });

  it('GIVEN several pending tasks WHEN invoked THEN it polls until the activity is empty, as gluerunner: every task started, then one empty poll', async () => {
    // GIVEN
    fakeAws({ pending: [TOKEN, 'token-2', 'token-3'] });
    // WHEN
    const summary = await handler({}, {});
    // THEN
    expect(sfnMock).toHaveReceivedCommandTimes(GetActivityTaskCommand, 4);
    expect(sfnMock).toHaveReceivedCommandWith(GetActivityTaskCommand, { activityArn: ACTIVITY_ARN, workerName: 'gluerunner' });
    expect(glueMock).toHaveReceivedCommandTimes(StartJobRunCommand, 3);
    expect(summary.started).toBe(3);
  });

  it('GIVEN a task WHEN started THEN Glue gets its arguments plus the correlation argument and its capacity fields', async () => {
    // GIVEN
    fakeAws({ pending: [TOKEN] });
    // WHEN
    await handler({}, {});
    // THEN
    expect(glueMock).toHaveReceivedCommandWith(StartJobRunCommand, {
      JobName: 'load-job',
      Arguments: { '--day': '2025-03-01', [CORRELATION_ARGUMENT]: tokenId(TOKEN) },
      WorkerType: 'G.1X',
      NumberOfWorkers: 4,
      ExecutionClass: 'FLEX',
      Timeout: 30,
    });
  });

  it('GIVEN a started run WHEN recorded THEN one unconditional PutItem keys it by pipeline and token hash', async () => {
    // GIVEN
    fakeAws({ pending: [TOKEN] });
    // WHEN
    await handler({}, {});
    // THEN
    expect(ddbMock).toHaveReceivedCommandTimes(PutCommand, 1);
    const put = ddbMock.commandCalls(PutCommand)[0].args[0].input;
    expect(put).toEqual({
      TableName: TABLE_NAME,
      Item: {
        pk: PARTITION,
        sk: trackingSortKey(tokenId(TOKEN)),
        taskToken: TOKEN,
        jobName: 'load-job',
        jobRunId: 'jr-started',
        stepName: 'load',
        status: 'RUNNING',
      },
    });
  });

  it('GIVEN StartJobRun fails WHEN invoked THEN the task is failed at once (even a transient refusal), polling stops, and the check still runs', async () => {
    // GIVEN
    fakeAws({ pending: [TOKEN, 'token-2'], tracked: [record('a')], states: { 'jr-a': 'RUNNING' } });
    glueMock.on(StartJobRunCommand).rejects(new Error('ConcurrentRunsExceededException'));
    // WHEN
    const summary = await handler({}, {});
    // THEN
    expect(ddbMock).not.toHaveReceivedCommand(PutCommand);
    expect(sfnMock).toHaveReceivedCommandTimes(GetActivityTaskCommand, 1);
    expect(sendTaskCalls()).toEqual([`SendTaskFailure ${TOKEN}`, 'SendTaskHeartbeat token-a']);
    expect(summary).toMatchObject({ started: 0, checked: 1 });
  });

  it.each<[string, Record<string, unknown>]>([
    ['crawler', { kind: 'glue-crawler', crawlerName: 'raw-crawler' }],
    ['trigger', { kind: 'glue-trigger', triggerName: 'nightly' }],
    ['workflow', { kind: 'glue-workflow', workflowName: 'etl', runProperties: {} }],
  ])('GIVEN a pending %s step (the sample knows only Glue jobs) WHEN invoked THEN its task fails as invalid input, nothing is started or recorded for it, and polling goes on', async (_kind, fields) => {
    // GIVEN
    const {
      jobName: _j, arguments: _a, workerType: _w, numberOfWorkers: _n, executionClass: _e, runTimeoutMinutes: _r, kind: _k, ...common
    } = taskInput as GlueJobTaskInput;
    fakeAws({ pending: ['token-other', TOKEN], inputs: { 'token-other': { ...common, ...fields } } });
    // WHEN
    const summary = await handler({}, {});
    // THEN
    expect(calls).toEqual(['GetActivityTask', 'SendTaskFailure token-other', 'GetActivityTask', 'StartJobRun load-job', 'Put jr-started', 'GetActivityTask', 'Query']);
    const failure = sfnMock.commandCalls(SendTaskFailureCommand)[0].args[0].input;
    expect(failure).toMatchObject({ taskToken: 'token-other', error: 'Pipeline.InvalidInput' });
    expect(failure.cause).toContain(`step kind "${fields.kind}" is not supported`);
    expect(summary.started).toBe(1);
  });

  it('GIVEN no pending task WHEN invoked THEN nothing is started and the check still runs', async () => {
    // GIVEN
    fakeAws({ tracked: [record('a')], states: { 'jr-a': 'RUNNING' } });
    // WHEN
    const summary = await handler({}, {});
    // THEN
    expect(glueMock).not.toHaveReceivedCommand(StartJobRunCommand);
    expect(calls).toEqual(['GetActivityTask', 'Query', 'GetJobRun jr-a', 'SendTaskHeartbeat token-a']);
    expect(summary.started).toBe(0);
  });
});

describe('old-sample runner: check phase', () => {
  it('GIVEN more records than one page WHEN checked THEN one Query with Limit 50 is made and LastEvaluatedKey is ignored', async () => {
    // GIVEN
    fakeAws({ tracked: [record('a')], states: { 'jr-a': 'RUNNING' }, lastEvaluatedKey: { pk: PARTITION, sk: record('a').sk } });
    // WHEN
    await handler({}, {});
    // THEN
    expect(ddbMock).toHaveReceivedCommandTimes(QueryCommand, 1);
    expect(ddbMock).toHaveReceivedCommandWith(QueryCommand, {
      TableName: TABLE_NAME,
      ExpressionAttributeValues: { ':pk': PARTITION },
      Limit: 50,
    });
  });

  it('GIVEN runs that succeeded, failed and still run WHEN checked THEN each record is read and reported before the next is read', async () => {
    // GIVEN
    fakeAws({
      tracked: [record('a'), record('b'), record('c'), record('d')],
      states: { 'jr-a': 'SUCCEEDED', 'jr-b': 'FAILED', 'jr-c': 'RUNNING', 'jr-d': 'STOPPED' },
    });
    // WHEN
    const summary = await handler({}, {});
    // THEN
    expect(calls).toEqual([
      'GetActivityTask',
      'Query',
      'GetJobRun jr-a', 'SendTaskSuccess token-a', `Delete ${record('a').sk}`,
      'GetJobRun jr-b', 'SendTaskFailure token-b', `Delete ${record('b').sk}`,
      'GetJobRun jr-c', 'SendTaskHeartbeat token-c',
      'GetJobRun jr-d', 'SendTaskFailure token-d', `Delete ${record('d').sk}`,
    ]);
    expect(summary).toEqual({ started: 0, checked: 4, succeeded: 1, failed: 2, heartbeats: 1, ignored: 0 });
  });

  it('GIVEN a succeeded run WHEN reported THEN the output names the step, job, run and state', async () => {
    // GIVEN
    fakeAws({ tracked: [record('a')], states: { 'jr-a': 'SUCCEEDED' } });
    // WHEN
    await handler({}, {});
    // THEN
    expect(sfnMock).toHaveReceivedCommandWith(SendTaskSuccessCommand, {
      taskToken: 'token-a',
      output: JSON.stringify({ stepName: 'a', jobName: 'a-job', jobRunId: 'jr-a', state: 'SUCCEEDED' }),
    });
  });

  it.each(['FAILED', 'STOPPED'])('GIVEN a %s run WHEN reported THEN SendTaskFailure carries GlueJobFailedError and the run error message', async (state) => {
    // GIVEN
    fakeAws({ tracked: [record('a')], states: { 'jr-a': state } });
    // WHEN
    await handler({}, {});
    // THEN
    expect(sfnMock).toHaveReceivedCommandWith(SendTaskFailureCommand, { taskToken: 'token-a', error: 'GlueJobFailedError', cause: 'jr-a broke' });
  });

  it.each(['STARTING', 'RUNNING', 'STOPPING'])('GIVEN a %s run WHEN checked THEN only a heartbeat is sent and the record stays', async (state) => {
    // GIVEN
    fakeAws({ tracked: [record('a')], states: { 'jr-a': state } });
    // WHEN
    await handler({}, {});
    // THEN
    expect(sendTaskCalls()).toEqual(['SendTaskHeartbeat token-a']);
    expect(ddbMock).not.toHaveReceivedCommand(DeleteCommand);
  });

  it.each(['TIMEOUT', 'ERROR', 'EXPIRED', 'WAITING'])('GIVEN a %s run WHEN checked THEN nothing is sent and the record stays, as in the sample', async (state) => {
    // GIVEN
    fakeAws({ tracked: [record('a')], states: { 'jr-a': state } });
    // WHEN
    const summary = await handler({}, {});
    // THEN
    expect(sendTaskCalls()).toEqual([]);
    expect(ddbMock).not.toHaveReceivedCommand(DeleteCommand);
    expect(summary.ignored).toBe(1);
  });
});
