import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchStopJobRunCommand, ConcurrentRunsExceededException, EntityNotFoundException, StartJobRunCommand } from '@aws-sdk/client-glue';
import { SendEmailCommand } from '@aws-sdk/client-ses';
import { GetActivityTaskCommand, SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, TaskTimedOut } from '@aws-sdk/client-sfn';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { captureLogs, ddbMock, glueMock, loggedLines, resetAwsMocks, sesMock, sfnMock } from './aws-mocks';
import { TEST_LEASE_UNTIL, testContext } from './context';
import { ACTIVITY_ARN, NOW, PIPELINE_ID, TABLE_NAME, taskInput } from './fixtures';
import { expectOneEach, UNTIL_EMPTY } from '../../src/lambda/decisions/poll-plan';
import { POLL_RESERVE_MS, runStartPhase } from '../../src/lambda/phases/start-phase';
import { tokenId } from '../../src/lambda/store/token-id';
import { CORRELATION_ARGUMENT, resultsPartition, StepTaskInput, trackingPartition, trackingSortKey } from '../../src/shared/contract';

const inputA = taskInput({ stepName: 'extract', jobName: 'extract-job', arguments: { '--day': '2025-03-01' } });
const inputB = taskInput({
  stepName: 'load', jobName: 'load-job', arguments: { '--target': 'warehouse' }, workerType: 'G.2X', numberOfWorkers: 4, runTimeoutMinutes: 30,
});

/** The activity hands out these tasks, then has nothing pending. */
function givenTasks(...tasks: Array<{ token: string; input: string }>) {
  let stub = sfnMock.on(GetActivityTaskCommand);
  for (const t of tasks) {
    stub = stub.resolvesOnce({ taskToken: t.token, input: t.input });
  }
  stub.resolves({});
}

/** The start phase as a sweep runs it when the running executions are unknown: poll until empty. */
function start(remaining: () => number = () => 600_000) {
  return runStartPhase(testContext({ remainingMs: remaining }), 'worker-1', UNTIL_EMPTY);
}

const sk = (token: string) => trackingSortKey(tokenId(token));
const startedJobs = () => glueMock.commandCalls(StartJobRunCommand).map((c) => c.args[0].input.JobName);
const failures = () => sfnMock.commandCalls(SendTaskFailureCommand).map((c) => c.args[0].input);
const runningWrites = () => ddbMock.commandCalls(UpdateCommand).map((c) => c.args[0].input)
  .filter((u) => u.ExpressionAttributeValues?.[':running'] === 'RUNNING');
const deferWrites = () => ddbMock.commandCalls(UpdateCommand).map((c) => c.args[0].input)
  .filter((u) => u.UpdateExpression?.includes('#next = :next'));

beforeEach(() => {
  resetAwsMocks();
  captureLogs();
  glueMock.on(StartJobRunCommand, { JobName: 'extract-job' }).resolves({ JobRunId: 'jr_extract' });
  glueMock.on(StartJobRunCommand, { JobName: 'load-job' }).resolves({ JobRunId: 'jr_load' });
});
afterEach(() => jest.restoreAllMocks());

describe('start phase, the first heartbeat', () => {
  // AWS does not document whether a task's heartbeat clock starts at scheduling or at hand-out:
  // a task taken late must not wait for the next round for its first heartbeat.
  it('GIVEN a pending task WHEN it is taken THEN it is heartbeated once recorded, before its run starts', async () => {
    // GIVEN
    givenTasks({ token: 'tt-a', input: JSON.stringify(inputA) });
    // WHEN
    await start();
    // THEN
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskHeartbeatCommand, 1);
    expect(sfnMock).toHaveReceivedCommandWith(SendTaskHeartbeatCommand, { taskToken: 'tt-a' });
    const put = ddbMock.commandCalls(PutCommand)[0];
    const heartbeat = sfnMock.commandCalls(SendTaskHeartbeatCommand)[0];
    const run = glueMock.commandCalls(StartJobRunCommand)[0];
    expect([put.calledBefore(heartbeat), heartbeat.calledBefore(run)]).toEqual([true, true]);
  });

  it('GIVEN a token already closed WHEN its first heartbeat says so THEN its record is removed and no run starts', async () => {
    // GIVEN
    givenTasks({ token: 'tt-a', input: JSON.stringify(inputA) });
    sfnMock.on(SendTaskHeartbeatCommand).rejects(new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} }));
    // WHEN
    const summary = await start();
    // THEN
    expect(startedJobs()).toEqual([]);
    expect(ddbMock).toHaveReceivedCommandWith(DeleteCommand, { Key: { pk: trackingPartition(PIPELINE_ID), sk: sk('tt-a') } });
    expect(summary).toMatchObject({ polled: 1, started: 0, failed: 1 });
  });

  it('GIVEN the first heartbeat fails for another reason WHEN the task is taken THEN its run starts all the same', async () => {
    // GIVEN
    givenTasks({ token: 'tt-a', input: JSON.stringify(inputA) });
    sfnMock.on(SendTaskHeartbeatCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    // WHEN
    const summary = await start();
    // THEN
    expect(startedJobs()).toEqual(['extract-job']);
    expect(summary).toMatchObject({ polled: 1, started: 1, failed: 0 });
  });
});

describe('start phase, happy path', () => {
  it('GIVEN two pending tasks WHEN started THEN both Glue runs start with the declared arguments, the task\'s correlation argument and the capacity settings', async () => {
    // GIVEN
    givenTasks({ token: 'tt-a', input: JSON.stringify(inputA) }, { token: 'tt-b', input: JSON.stringify(inputB) });
    // WHEN
    const summary = await start();
    // THEN
    expect(sfnMock).toHaveReceivedCommandTimes(GetActivityTaskCommand, 3);
    expect(sfnMock).toHaveReceivedCommandWith(GetActivityTaskCommand, { activityArn: ACTIVITY_ARN, workerName: 'worker-1' });
    const runs = glueMock.commandCalls(StartJobRunCommand).map((c) => c.args[0].input);
    expect(runs).toHaveLength(2);
    expect(runs[0]).toMatchObject({ JobName: 'extract-job', WorkerType: 'G.1X', NumberOfWorkers: 10, Timeout: 120 });
    expect(runs[0].Arguments).toEqual({ '--day': '2025-03-01', [CORRELATION_ARGUMENT]: tokenId('tt-a') });
    expect(runs[1]).toEqual({
      JobName: 'load-job',
      Arguments: { '--target': 'warehouse', [CORRELATION_ARGUMENT]: tokenId('tt-b') },
      WorkerType: 'G.2X',
      NumberOfWorkers: 4,
      MaxCapacity: undefined,
      ExecutionClass: 'STANDARD',
      Timeout: 30,
    });
    const tracked = ddbMock.commandCalls(UpdateCommand).map((c) => [c.args[0].input.Key?.sk, c.args[0].input.ExpressionAttributeValues?.[':runId']]);
    expect(tracked).toEqual([[sk('tt-a'), 'jr_extract'], [sk('tt-b'), 'jr_load']]);
    expect(sfnMock).not.toHaveReceivedCommand(SendTaskFailureCommand);
    expect(summary).toMatchObject({ polled: 2, started: 2, deferred: 0, failed: 0, skipped: 0, outOfTime: false });
  });

  it('GIVEN a task input with control fields WHEN started THEN none of them (executionId, timeouts, version, ...) reaches Glue as an argument', async () => {
    // GIVEN
    givenTasks({ token: 'tt-a', input: JSON.stringify(inputA) });
    // WHEN
    await start();
    // THEN
    const args = glueMock.commandCalls(StartJobRunCommand)[0].args[0].input.Arguments!;
    expect(Object.keys(args).sort()).toEqual(['--day', CORRELATION_ARGUMENT]);
    expect(JSON.stringify(args)).not.toContain(inputA.executionId as string);
  });

  it('GIVEN a pending task WHEN started THEN the intent is recorded (conditionally) before the run starts, and the run id is recorded after', async () => {
    // GIVEN
    givenTasks({ token: 'tt-b', input: JSON.stringify(inputB) });
    const order: string[] = [];
    ddbMock.on(PutCommand).callsFake(() => { order.push('put'); return {}; });
    glueMock.on(StartJobRunCommand).callsFake(() => { order.push('start'); return { JobRunId: 'jr_load' }; });
    ddbMock.on(UpdateCommand).callsFake(() => { order.push('update'); return {}; });
    // WHEN
    await start();
    // THEN
    expect(order).toEqual(['put', 'start', 'update']);
    expect(ddbMock).toHaveReceivedCommandWith(PutCommand, {
      TableName: TABLE_NAME,
      ConditionExpression: 'attribute_not_exists(#pk) OR (#status = :status AND #createdAt = :createdAt)',
      ExpressionAttributeNames: { '#pk': 'pk', '#status': 'status', '#createdAt': 'createdAt' },
      ExpressionAttributeValues: { ':status': 'STARTING', ':createdAt': NOW.toISOString() },
      Item: {
        pk: trackingPartition(PIPELINE_ID),
        sk: sk('tt-b'),
        taskToken: 'tt-b',
        tokenId: tokenId('tt-b'),
        status: 'STARTING',
        stepName: 'load',
        resourceName: 'load-job',
        executionId: inputB.executionId as string,
        createdAt: NOW.toISOString(),
        expiresAt: NOW.getTime() / 1000 + 7200 + 24 * 3600,
        input: { ...(inputB as unknown as StepTaskInput), maxCapacity: undefined },
        leaseUntil: TEST_LEASE_UNTIL,
        startAttempts: 0,
      },
    });
    const update = ddbMock.commandCalls(UpdateCommand)[0].args[0].input;
    expect(update.Key).toEqual({ pk: trackingPartition(PIPELINE_ID), sk: sk('tt-b') });
    // runningSince: when the start was sent (the test clock's NOW), what an expected duration counts from
    expect(update.ExpressionAttributeValues).toMatchObject({ ':runId': 'jr_load', ':running': 'RUNNING', ':zero': 0, ':since': NOW.getTime() });
    expect(update.ExpressionAttributeNames).toMatchObject({ '#runId': 'runId', '#status': 'status', '#lease': 'leaseUntil', '#since': 'runningSince' });
    expect(update.UpdateExpression).toBe('SET #status = :running, #runId = :runId, #lease = :zero, #since = if_not_exists(#since, :since) REMOVE #next, #sent');
  });
});

describe('start phase, a bad task never stops the next', () => {
  it('GIVEN StartJobRun refuses the first task for good (no such job) WHEN started THEN it fails with Glue.StartFailed, its record is deleted, one mail goes out, and the next still starts', async () => {
    // GIVEN
    givenTasks({ token: 'tt-a', input: JSON.stringify(inputA) }, { token: 'tt-b', input: JSON.stringify(inputB) });
    glueMock.on(StartJobRunCommand, { JobName: 'extract-job' })
      .rejects(new EntityNotFoundException({ message: 'Job extract-job not found', $metadata: { httpStatusCode: 400 } }));
    // WHEN
    const summary = await start();
    // THEN
    expect(failures()).toHaveLength(1);
    expect(failures()[0]).toMatchObject({ taskToken: 'tt-a', error: 'Glue.StartFailed' });
    expect(JSON.parse(failures()[0].cause!)).toMatchObject({
      stepName: 'extract', jobName: 'extract-job', state: 'START_FAILED', message: 'EntityNotFoundException: Job extract-job not found',
    });
    expect(ddbMock).toHaveReceivedCommandWith(DeleteCommand, { Key: { pk: trackingPartition(PIPELINE_ID), sk: sk('tt-a') } });
    expect(deferWrites()).toEqual([]);
    expect(runningWrites().map((u) => u.Key?.sk)).toEqual([sk('tt-b')]);
    expect(startedJobs()).toEqual(['extract-job', 'load-job']);
    expect(sesMock).toHaveReceivedCommandTimes(SendEmailCommand, 1);
    expect(summary).toMatchObject({ polled: 2, started: 1, deferred: 0, failed: 1, skipped: 0, outOfTime: false });
  });

  it('GIVEN StartJobRun refuses the first task for now (MaxConcurrentRuns reached) WHEN started THEN the start is deferred 30 s, the step is not failed, and the next task still starts', async () => {
    // GIVEN
    givenTasks({ token: 'tt-a', input: JSON.stringify(inputA) }, { token: 'tt-b', input: JSON.stringify(inputB) });
    glueMock.on(StartJobRunCommand, { JobName: 'extract-job' })
      .rejects(new ConcurrentRunsExceededException({ message: 'Concurrent runs exceeded for extract-job', $metadata: { httpStatusCode: 400 } }));
    // WHEN
    const summary = await start();
    // THEN
    expect(sfnMock).not.toHaveReceivedCommand(SendTaskFailureCommand);
    expect(sesMock).not.toHaveReceivedCommand(SendEmailCommand);
    expect(ddbMock).not.toHaveReceivedCommand(DeleteCommand);
    expect(deferWrites()).toHaveLength(1);
    expect(deferWrites()[0]).toMatchObject({
      Key: { pk: trackingPartition(PIPELINE_ID), sk: sk('tt-a') },
      ExpressionAttributeValues: {
        ':attempts': 1,
        ':next': NOW.getTime() + 30_000,
        ':lastError': 'ConcurrentRunsExceededException: Concurrent runs exceeded for extract-job',
        ':zero': 0,
      },
    });
    // a refusal: Glue did not act on it, so no send time is left to look around
    expect(deferWrites()[0].UpdateExpression).toContain('REMOVE #sent');
    expect(deferWrites()[0].ExpressionAttributeValues).not.toHaveProperty(':sent');
    expect(runningWrites().map((u) => u.Key?.sk)).toEqual([sk('tt-b')]);
    expect(startedJobs()).toEqual(['extract-job', 'load-job']);
    expect(summary).toMatchObject({ polled: 2, started: 1, deferred: 1, failed: 0, skipped: 0, outOfTime: false });
  });

  it('GIVEN a task whose input is not JSON WHEN started THEN it fails with Pipeline.InvalidInput, nothing is tracked or started for it, and the next still starts', async () => {
    // GIVEN
    givenTasks({ token: 'tt-bad', input: '{not json' }, { token: 'tt-b', input: JSON.stringify(inputB) });
    // WHEN
    const summary = await start();
    // THEN
    expect(failures()).toHaveLength(1);
    expect(failures()[0]).toMatchObject({ taskToken: 'tt-bad', error: 'Pipeline.InvalidInput' });
    expect(JSON.parse(failures()[0].cause!)).toMatchObject({ stepName: '(unknown step)', state: 'INVALID_INPUT', message: 'task input is not JSON' });
    const putTokens = ddbMock.commandCalls(PutCommand).map((c) => c.args[0].input.Item?.taskToken);
    expect(putTokens).toEqual(['tt-b']);
    expect(startedJobs()).toEqual(['load-job']);
    expect(summary).toMatchObject({ polled: 2, started: 1, deferred: 0, failed: 1, skipped: 0, outOfTime: false });
  });

  it('GIVEN a JSON task with a bad field WHEN started THEN the failure names the step and the field', async () => {
    // GIVEN
    givenTasks({ token: 'tt-bad', input: JSON.stringify(taskInput({ stepName: 'load', executionClass: 'SPOT' })) });
    // WHEN
    await start();
    // THEN
    expect(JSON.parse(failures()[0].cause!)).toMatchObject({ stepName: 'load', message: expect.stringContaining('executionClass "SPOT"') });
    expect(glueMock).not.toHaveReceivedCommand(StartJobRunCommand);
  });

  it('GIVEN the tracking write fails WHEN started THEN no Glue run is started and the task fails with Pipeline.TrackingFailed', async () => {
    // GIVEN
    givenTasks({ token: 'tt-a', input: JSON.stringify(inputA) });
    ddbMock.on(PutCommand).rejects(new Error('ProvisionedThroughputExceeded'));
    // WHEN
    const summary = await start();
    // THEN
    expect(glueMock).not.toHaveReceivedCommand(StartJobRunCommand);
    expect(failures()[0]).toMatchObject({ taskToken: 'tt-a', error: 'Pipeline.TrackingFailed' });
    expect(summary).toMatchObject({ started: 0, failed: 1 });
  });

  it('GIVEN the run id cannot be recorded WHEN started THEN the run is stopped, the task fails naming the run, and the record is deleted', async () => {
    // GIVEN
    givenTasks({ token: 'tt-a', input: JSON.stringify(inputA) });
    ddbMock.on(UpdateCommand).rejects(new Error('InternalServerError'));
    // WHEN
    await start();
    // THEN
    expect(glueMock).toHaveReceivedCommandWith(BatchStopJobRunCommand, { JobName: 'extract-job', JobRunIds: ['jr_extract'] });
    expect(failures()[0]).toMatchObject({ taskToken: 'tt-a', error: 'Pipeline.TrackingFailed' });
    expect(JSON.parse(failures()[0].cause!)).toMatchObject({ jobRunId: 'jr_extract' });
    expect(ddbMock).toHaveReceivedCommandWith(DeleteCommand, { Key: { pk: trackingPartition(PIPELINE_ID), sk: sk('tt-a') } });
  });

  it('GIVEN the run id cannot be recorded AND the stop fails too WHEN started THEN the cause says so instead of claiming a stop', async () => {
    // GIVEN
    givenTasks({ token: 'tt-a', input: JSON.stringify(inputA) });
    ddbMock.on(UpdateCommand).rejects(new Error('InternalServerError'));
    glueMock.on(BatchStopJobRunCommand).resolves({
      Errors: [{ JobRunId: 'jr_extract', ErrorDetail: { ErrorCode: 'InternalServiceException', ErrorMessage: 'later' } }],
    });
    // WHEN
    await start();
    // THEN
    const message = JSON.parse(failures()[0].cause!).message as string;
    expect(message).toContain('stopping it failed too');
    expect(message).not.toContain('so it was stopped');
  });

  it('GIVEN another attempt already tracks the task WHEN started THEN it is left to that owner: no failure, no second run', async () => {
    // GIVEN the conditional write fails for a record this attempt did not write
    givenTasks({ token: 'tt-a', input: JSON.stringify(inputA) }, { token: 'tt-b', input: JSON.stringify(inputB) });
    ddbMock.on(PutCommand).rejectsOnce(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    // WHEN
    const summary = await start();
    // THEN
    expect(failures()).toEqual([]);
    expect(startedJobs()).toEqual(['load-job']);
    expect(summary).toMatchObject({ polled: 2, started: 1, deferred: 0, failed: 0, skipped: 1, outOfTime: false });
  });

  it('GIVEN StartJobRun answers without a run id WHEN started THEN nothing is tracked as running: the start is deferred, so the next cycle looks the run up by correlation first', async () => {
    // GIVEN
    givenTasks({ token: 'tt-a', input: JSON.stringify(inputA) });
    glueMock.on(StartJobRunCommand).resolves({});
    // WHEN
    const summary = await start();
    // THEN
    expect(runningWrites()).toEqual([]);
    expect(deferWrites()).toHaveLength(1);
    expect(deferWrites()[0].ExpressionAttributeValues?.[':lastError']).toContain('returned no JobRunId');
    // the run may have started: the time the call was sent is kept for the next cycle to look by
    expect(deferWrites()[0].ExpressionAttributeValues?.[':sent']).toBe(NOW.getTime());
    expect(deferWrites()[0].UpdateExpression).toContain('#sent = :sent');
    expect(summary).toMatchObject({ started: 0, deferred: 1 });
  });

  it('GIVEN SendTaskFailure itself is throttled WHEN a task cannot start THEN the phase goes on to the next task', async () => {
    // GIVEN
    givenTasks({ token: 'tt-bad', input: 'nope' }, { token: 'tt-b', input: JSON.stringify(inputB) });
    sfnMock.on(SendTaskFailureCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    // WHEN
    const summary = await start();
    // THEN
    expect(startedJobs()).toEqual(['load-job']);
    expect(summary).toMatchObject({ polled: 2, started: 1, deferred: 0, failed: 1, skipped: 0, outOfTime: false });
  });
});

describe('start phase, time budget', () => {
  it('GIVEN less time left than a full long poll needs WHEN started THEN it never polls and reports outOfTime', async () => {
    // GIVEN
    givenTasks({ token: 'tt-a', input: JSON.stringify(inputA) });
    // WHEN
    const summary = await start(() => POLL_RESERVE_MS - 1);
    // THEN
    expect(sfnMock).not.toHaveReceivedCommand(GetActivityTaskCommand);
    expect(summary).toMatchObject({ polled: 0, started: 0, deferred: 0, failed: 0, skipped: 0, outOfTime: true });
  });

  it('GIVEN time runs short after the first task WHEN started THEN it stops polling before a poll could outlive the Lambda', async () => {
    // GIVEN
    givenTasks({ token: 'tt-a', input: JSON.stringify(inputA) }, { token: 'tt-b', input: JSON.stringify(inputB) });
    const polls = () => sfnMock.commandCalls(GetActivityTaskCommand).length;
    // WHEN just enough time for one poll, and less once it returned
    const summary = await start(() => (polls() === 0 ? POLL_RESERVE_MS : POLL_RESERVE_MS - 1));
    // THEN
    expect(sfnMock).toHaveReceivedCommandTimes(GetActivityTaskCommand, 1);
    expect(startedJobs()).toEqual(['extract-job']);
    expect(summary).toMatchObject({ polled: 1, started: 1, deferred: 0, failed: 0, skipped: 0, outOfTime: true });
  });
});

describe('start phase, a failed deferral write', () => {
  it('GIVEN a transient refusal whose deferral cannot be saved WHEN started THEN the next pending task still starts', async () => {
    // GIVEN
    givenTasks(
      { token: 'tt-busy', input: JSON.stringify(taskInput({ jobName: 'busy-job' })) },
      { token: 'tt-good', input: JSON.stringify(taskInput({ jobName: 'good-job' })) },
    );
    glueMock.on(StartJobRunCommand, { JobName: 'busy-job' }).rejects(new ConcurrentRunsExceededException({ message: 'busy', $metadata: { httpStatusCode: 400 } }));
    glueMock.on(StartJobRunCommand, { JobName: 'good-job' }).resolves({ JobRunId: 'jr_good' });
    ddbMock.on(UpdateCommand).callsFake((input) => {
      if (String(input.UpdateExpression).includes('#next = :next')) {
        throw Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ProvisionedThroughputExceededException' });
      }
      return {};
    });
    // WHEN
    const summary = await start();
    // THEN the busy task keeps its record (resumed after the lease), and the other one starts
    expect(startedJobs()).toEqual(['busy-job', 'good-job']);
    expect(summary).toMatchObject({ polled: 2, started: 1, deferred: 1 });
    expect(failures()).toEqual([]);
  });
});

describe('start phase, a task of a redriven execution', () => {
  const DAY = 86_400;
  const redriven = (redriveCount: number) => JSON.stringify({ ...inputA, executionId: 'exec-r', redriveCount });
  const renewals = () => ddbMock.commandCalls(UpdateCommand).map((c) => c.args[0].input).filter((u) => u.UpdateExpression === 'SET #ttl = :until');

  it('GIVEN results kept by the execution\'s earlier run WHEN a task of its redrive is taken THEN each is renewed for its life from now, '
    + 'before the task is recorded, and the run starts', async () => {
    // GIVEN
    givenTasks({ token: 'tt-r', input: redriven(1) });
    ddbMock.on(QueryCommand, { ExpressionAttributeValues: { ':pk': resultsPartition(PIPELINE_ID, 'exec-r') } }).resolves({
      Items: [{ pk: resultsPartition(PIPELINE_ID, 'exec-r'), sk: 'step#a', stepName: 'a', expiresAt: NOW.getTime() / 1000 + DAY, lifeSeconds: 20 * DAY, output: {} }],
    });
    // WHEN
    await start();
    // THEN
    expect(renewals()).toEqual([expect.objectContaining({
      Key: { pk: resultsPartition(PIPELINE_ID, 'exec-r'), sk: 'step#a' },
      ExpressionAttributeValues: { ':until': Math.ceil(NOW.getTime() / 1000) + 20 * DAY },
    })]);
    const renewal = ddbMock.commandCalls(UpdateCommand).find((c) => c.args[0].input.UpdateExpression === 'SET #ttl = :until')!;
    expect(renewal.calledBefore(ddbMock.commandCalls(PutCommand)[0])).toBe(true);
    expect(startedJobs()).toEqual(['extract-job']);
  });

  it('GIVEN the renewal fails WHEN a task of the redrive is taken THEN it is logged as a runner error and the run starts all the same', async () => {
    // GIVEN
    const logs = captureLogs();
    givenTasks({ token: 'tt-r', input: redriven(2) });
    ddbMock.on(QueryCommand).rejects(new Error('ProvisionedThroughputExceededException'));
    // WHEN
    const summary = await start();
    // THEN
    expect(startedJobs()).toEqual(['extract-job']);
    expect(summary).toMatchObject({ started: 1, failed: 0 });
    expect(loggedLines(logs).some((l) => l.includes('could not renew the kept results for the redrive'))).toBe(true);
  });

  it('GIVEN a task of an execution never redriven WHEN taken THEN no results are read or renewed', async () => {
    givenTasks({ token: 'tt-r', input: redriven(0) });
    await start();
    expect(ddbMock).not.toHaveReceivedCommand(QueryCommand);
    expect(startedJobs()).toEqual(['extract-job']);
  });
});

describe('start phase, a step that already succeeded', () => {
  const graphTask = taskInput({ stepName: 'extract', jobName: 'extract-job', dependsOn: [] });
  const kept = { stepName: 'extract', jobName: 'extract-job', jobRunId: 'jr_first', state: 'SUCCEEDED' };

  it('GIVEN a graph step dispatched again after its success was lost (its result kept) WHEN its task is taken THEN the kept result is reported and confirmed, and nothing starts', async () => {
    // GIVEN
    givenTasks({ token: 'tt-again', input: JSON.stringify(graphTask) });
    ddbMock.on(GetCommand).resolves({ Item: { stepName: 'extract', output: kept, expiresAt: Math.ceil(NOW.getTime() / 1000) + 3600, unconfirmedUntil: NOW.getTime() + 60_000 } });
    // WHEN
    const summary = await start();
    // THEN
    expect(sfnMock.commandCalls(SendTaskSuccessCommand).map((c) => [c.args[0].input.taskToken, JSON.parse(c.args[0].input.output!)])).toEqual([['tt-again', kept]]);
    expect(startedJobs()).toEqual([]);
    expect(ddbMock.commandCalls(PutCommand)).toHaveLength(0);
    expect(ddbMock.commandCalls(UpdateCommand).map((c) => c.args[0].input.UpdateExpression)).toContain('REMOVE unconfirmedUntil');
    expect(summary).toMatchObject({ polled: 1, succeeded: 1, started: 0 });
  });

  it('GIVEN a graph step with no kept result WHEN its task is taken THEN it is recorded and started as usual', async () => {
    // GIVEN
    givenTasks({ token: 'tt-first', input: JSON.stringify(graphTask) });
    ddbMock.on(GetCommand).resolves({});
    // WHEN
    const summary = await start();
    // THEN
    expect(sfnMock.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
    expect(startedJobs()).toEqual(['extract-job']);
    expect(summary).toMatchObject({ polled: 1, started: 1 });
  });
});

describe('start phase, a plan that expects tasks', () => {
  const ownExecution = 'arn:aws:states:us-east-1:111122223333:execution:pipeline:own';
  const otherExecution = 'arn:aws:states:us-east-1:111122223333:execution:pipeline:other';

  it('GIVEN one task expected of an execution WHEN the activity hands out another execution\'s task THEN that one starts and the phase stops: no second (empty) poll', async () => {
    // GIVEN another invocation of the same burst took this execution's task; the activity hands out the other's
    givenTasks({ token: 'tt-other', input: JSON.stringify({ ...inputA, executionId: otherExecution }) });
    // WHEN
    const summary = await runStartPhase(testContext({ remainingMs: () => 600_000 }), 'worker-1', expectOneEach([ownExecution]));
    // THEN
    expect(sfnMock).toHaveReceivedCommandTimes(GetActivityTaskCommand, 1);
    expect(startedJobs()).toEqual(['extract-job']);
    expect(summary).toMatchObject({ expected: 1, polls: 1, emptyPolls: 0, polled: 1, started: 1 });
  });

  it('GIVEN two tasks expected WHEN the first comes back THEN it polls again, and stops at the second', async () => {
    // GIVEN
    givenTasks(
      { token: 'tt-a', input: JSON.stringify({ ...inputA, executionId: otherExecution }) },
      { token: 'tt-b', input: JSON.stringify({ ...inputB, executionId: ownExecution }) },
      { token: 'tt-c', input: JSON.stringify(inputA) },
    );
    // WHEN
    const summary = await runStartPhase(testContext({ remainingMs: () => 600_000 }), 'worker-1', expectOneEach([ownExecution, otherExecution]));
    // THEN the third pending task is left to whoever expects it
    expect(sfnMock).toHaveReceivedCommandTimes(GetActivityTaskCommand, 2);
    expect(startedJobs()).toEqual(['extract-job', 'load-job']);
    expect(summary).toMatchObject({ expected: 2, polls: 2, emptyPolls: 0, polled: 2 });
  });
});
