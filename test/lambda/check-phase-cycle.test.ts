import { BatchStopJobRunCommand, GetJobRunCommand, JobRun } from '@aws-sdk/client-glue';
import { InvalidToken, SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, TaskDoesNotExist, TaskTimedOut } from '@aws-sdk/client-sfn';
import { DeleteCommand, PutCommand, QueryCommand, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { captureLogs, ddbMock, glueMock, pagesInOrder, resetAwsMocks, sfnMock } from './aws-mocks';
import { testContext } from './context';
import { PIPELINE_ID, record, TABLE_NAME } from './fixtures';
import { CHECK_CONCURRENCY, CHECK_RESERVE_MS, runCheckPhase } from '../../src/lambda/phases/check-phase';
import { TrackingRecord, trackingPartition } from '../../src/shared/contract';

function givenRun(runId: string, state: JobRun['JobRunState']) {
  glueMock.on(GetJobRunCommand, { RunId: runId }).resolves({ JobRun: { Id: runId, JobRunState: state } });
}

function check(pageSize?: number, remainingMs?: () => number) {
  return runCheckPhase(testContext({ remainingMs }), pageSize).then((r) => r.summary);
}

const deletedSortKeys = () => ddbMock.commandCalls(DeleteCommand).map((c) => c.args[0].input.Key?.sk);
const checkedRunIds = () => glueMock.commandCalls(GetJobRunCommand).map((c) => c.args[0].input.RunId).sort();
const closed = () => new TaskTimedOut({ message: 'x', $metadata: {} });

beforeEach(() => {
  resetAwsMocks();
  captureLogs();
});
afterEach(() => jest.restoreAllMocks());

describe('check phase paging', () => {
  it('GIVEN three pages of tracked runs WHEN checked THEN every record on every page is checked, each page asked from where the last ended', async () => {
    // GIVEN
    const page1 = [record(1), record(2), record(3)];
    const page2 = [record(4), record(5)];
    const page3 = [record(6)];
    const key1 = { pk: trackingPartition(PIPELINE_ID), sk: page1[2].sk };
    const key2 = { pk: trackingPartition(PIPELINE_ID), sk: page2[1].sk };
    const pages = pagesInOrder<QueryCommandInput>([
      { Items: page1, LastEvaluatedKey: key1 },
      { Items: page2, LastEvaluatedKey: key2 },
      { Items: page3 },
    ]);
    ddbMock.on(QueryCommand).callsFake(pages.answer);
    [1, 2, 3, 4, 5, 6].forEach((n) => givenRun(`jr_${n}`, 'RUNNING'));
    // WHEN
    const summary = await check(3);
    // THEN
    const queries = pages.sent;
    expect(queries).toHaveLength(3);
    expect(queries.map((q) => q.ExclusiveStartKey)).toEqual([undefined, key1, key2]);
    for (const q of queries) {
      expect(q).toMatchObject({
        TableName: TABLE_NAME,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': 'pk' },
        ExpressionAttributeValues: { ':pk': 'pipeline#nightly-etl' },
        Limit: 3,
        ConsistentRead: true,
      });
    }
    expect(glueMock).toHaveReceivedCommandTimes(GetJobRunCommand, 6);
    expect(checkedRunIds()).toEqual(['jr_1', 'jr_2', 'jr_3', 'jr_4', 'jr_5', 'jr_6']);
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskHeartbeatCommand, 6);
    expect(summary).toMatchObject({ pages: 3, heartbeat: 6, error: 0 });
  });

  it('GIVEN an empty table WHEN checked THEN one query is made and nothing else', async () => {
    // GIVEN
    ddbMock.on(QueryCommand).resolves({ Items: [] });
    // WHEN
    const summary = await check();
    // THEN
    expect(ddbMock).toHaveReceivedCommandTimes(QueryCommand, 1);
    expect(glueMock.calls()).toHaveLength(0);
    expect(sfnMock.calls()).toHaveLength(0);
    expect(summary).toMatchObject({ pages: 1, heartbeat: 0, error: 0 });
  });
});

describe('check phase when Step Functions no longer accepts a token', () => {
  it('GIVEN SendTaskSuccess answers TaskTimedOut WHEN checked THEN that record is removed and the other records are still handled', async () => {
    // GIVEN
    ddbMock.on(QueryCommand).resolves({ Items: [record(1), record(2), record(3)] });
    givenRun('jr_1', 'SUCCEEDED');
    givenRun('jr_2', 'RUNNING');
    givenRun('jr_3', 'FAILED');
    sfnMock.on(SendTaskSuccessCommand, { taskToken: 'token-1' }).rejects(closed());
    // WHEN
    const summary = await check();
    // THEN
    expect(deletedSortKeys().sort()).toEqual([record(1).sk, record(3).sk]);
    expect(sfnMock).toHaveReceivedCommandWith(SendTaskHeartbeatCommand, { taskToken: 'token-2' });
    expect(sfnMock).toHaveReceivedCommandWith(SendTaskFailureCommand, { taskToken: 'token-3', error: 'Glue.JobFailed' });
    expect(glueMock).not.toHaveReceivedCommand(BatchStopJobRunCommand);
    expect(summary).toMatchObject({ closed: 1, heartbeat: 1, failed: 1, error: 0 });
  });

  it.each([
    ['TaskTimedOut', closed()],
    ['TaskDoesNotExist', new TaskDoesNotExist({ message: 'x', $metadata: {} })],
    ['InvalidToken', new InvalidToken({ message: 'x', $metadata: {} })],
  ])('GIVEN SendTaskHeartbeat answers %s WHEN checked THEN the orphaned Glue run is stopped, its record removed, and the others still heartbeated', async (_name, err) => {
    // GIVEN
    ddbMock.on(QueryCommand).resolves({ Items: [record(1), record(2)] });
    givenRun('jr_1', 'RUNNING');
    givenRun('jr_2', 'RUNNING');
    sfnMock.on(SendTaskHeartbeatCommand, { taskToken: 'token-1' }).rejects(err);
    // WHEN
    const summary = await check();
    // THEN
    expect(glueMock).toHaveReceivedCommandTimes(BatchStopJobRunCommand, 1);
    expect(glueMock).toHaveReceivedCommandWith(BatchStopJobRunCommand, { JobName: 'job1', JobRunIds: ['jr_1'] });
    expect(deletedSortKeys()).toEqual([record(1).sk]);
    expect(sfnMock).toHaveReceivedCommandWith(SendTaskHeartbeatCommand, { taskToken: 'token-2' });
    expect(summary).toMatchObject({ closed: 1, heartbeat: 1, error: 0 });
  });

  it('GIVEN SendTaskHeartbeat fails for another reason WHEN checked THEN the run is NOT stopped and the record is kept for next cycle', async () => {
    // GIVEN
    ddbMock.on(QueryCommand).resolves({ Items: [record(1)] });
    givenRun('jr_1', 'RUNNING');
    sfnMock.on(SendTaskHeartbeatCommand).rejects(Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' }));
    // WHEN
    const summary = await check();
    // THEN
    expect(glueMock).not.toHaveReceivedCommand(BatchStopJobRunCommand);
    expect(ddbMock).not.toHaveReceivedCommand(DeleteCommand);
    expect(summary).toMatchObject({ error: 1, closed: 0 });
  });

  it('GIVEN stopping the orphaned run fails WHEN checked THEN the record is kept so the stop is retried next cycle', async () => {
    // GIVEN
    const records: TrackingRecord[] = [record(1)];
    ddbMock.on(QueryCommand).resolves({ Items: records });
    givenRun('jr_1', 'RUNNING');
    sfnMock.on(SendTaskHeartbeatCommand).rejects(closed());
    glueMock.on(BatchStopJobRunCommand).rejects(new Error('Rate exceeded'));
    // WHEN
    const summary = await check();
    // THEN
    expect(ddbMock).not.toHaveReceivedCommand(DeleteCommand);
    expect(summary).toMatchObject({ error: 1 });
  });
});

describe('a run that could not be stopped', () => {
  it('GIVEN a closed task whose run BatchStopJobRun reports in Errors WHEN checked THEN the record is kept for the next cycle', async () => {
    // GIVEN
    ddbMock.on(QueryCommand).resolves({ Items: [record(1)] });
    givenRun('jr_1', 'RUNNING');
    sfnMock.on(SendTaskHeartbeatCommand).rejects(closed());
    glueMock.on(BatchStopJobRunCommand).resolves({
      SuccessfulSubmissions: [],
      Errors: [{ JobName: 'job1', JobRunId: 'jr_1', ErrorDetail: { ErrorCode: 'InternalServiceException', ErrorMessage: 'try again' } }],
    });
    // WHEN
    const summary = await check();
    // THEN nothing is closed: the run is still watched, and stopped again next cycle
    expect(ddbMock).not.toHaveReceivedCommand(DeleteCommand);
    expect(summary).toMatchObject({ closed: 0, error: 1 });
  });
});

describe('check phase, time budget', () => {
  it('GIVEN time runs short partway through the records WHEN checked THEN the records not yet taken up are postponed, untouched, to the next cycle', async () => {
    // GIVEN 40 tracked runs, and less than the reserve left once 20 heartbeats went out
    const total = 40;
    const records = Array.from({ length: total }, (_, i) => record(i + 1));
    ddbMock.on(QueryCommand).resolves({ Items: records });
    records.forEach((r) => givenRun(r.runId!, 'RUNNING'));
    const beaten = () => sfnMock.commandCalls(SendTaskHeartbeatCommand).length;
    // WHEN
    const summary = await check(undefined, () => (beaten() < 20 ? 600_000 : CHECK_RESERVE_MS - 1));
    // THEN at least the first batch was handled, everything else was left alone and counted
    const handled = summary.heartbeat;
    expect(handled).toBeGreaterThanOrEqual(CHECK_CONCURRENCY);
    expect(handled).toBeLessThan(total);
    expect(summary).toMatchObject({ postponed: total - handled, error: 0 });
    expect(ddbMock).not.toHaveReceivedCommand(DeleteCommand);
    // ...and the heartbeat round is not recorded as complete
    expect(ddbMock).not.toHaveReceivedCommand(PutCommand);
  });

  it('GIVEN less than the reserve left from the start WHEN checked THEN every record on every page is postponed and nothing is sent', async () => {
    // GIVEN
    ddbMock.on(QueryCommand)
      .resolvesOnce({ Items: [record(1), record(2)], LastEvaluatedKey: { pk: trackingPartition(PIPELINE_ID), sk: record(2).sk } })
      .resolvesOnce({ Items: [record(3)] });
    // WHEN
    const summary = await check(2, () => CHECK_RESERVE_MS - 1);
    // THEN
    expect(summary).toMatchObject({ pages: 2, postponed: 3, heartbeat: 0, error: 0 });
    expect(glueMock.calls()).toHaveLength(0);
    expect(sfnMock.calls()).toHaveLength(0);
    expect(ddbMock).not.toHaveReceivedCommand(DeleteCommand);
  });
});
