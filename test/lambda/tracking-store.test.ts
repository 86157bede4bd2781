import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ddbMock, resetAwsMocks } from './aws-mocks';
import { NOW, PIPELINE_ID, record, TABLE_NAME } from './fixtures';
import { RecordGoneError, TaskAlreadyTrackedError, TrackingStore } from '../../src/lambda/store/tracking-store';

const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const store = () => new TrackingStore(TABLE_NAME, PIPELINE_ID);
const lastUpdate = () => ddbMock.commandCalls(UpdateCommand).slice(-1)[0].args[0].input;
const KEY = { pk: 'pipeline#nightly-etl', sk: 'task#abc' };

beforeEach(() => resetAwsMocks());

describe('TrackingStore', () => {
  it('GIVEN a record for the task already exists WHEN the intent is recorded THEN TaskAlreadyTrackedError names the token id, not the token', async () => {
    // GIVEN
    ddbMock.on(PutCommand).rejects(conditionFailed());
    // WHEN
    const result = store().recordIntent(record(1, { tokenId: 'abc123', taskToken: 'SECRET' }));
    // THEN
    await expect(result).rejects.toThrow(TaskAlreadyTrackedError);
    await expect(result).rejects.toThrow('task abc123 is already tracked');
    await expect(result).rejects.not.toThrow('SECRET');
  });

  it('GIVEN the record is no longer STARTING WHEN the run is recorded THEN RecordGoneError names the record', async () => {
    // GIVEN
    ddbMock.on(UpdateCommand).rejects(conditionFailed());
    // WHEN
    const result = store().markRunning('task#abc', 'jr_1', 1_000);
    // THEN
    await expect(result).rejects.toThrow(RecordGoneError);
    await expect(result).rejects.toThrow('record task#abc is gone or was moved on by another invocation');
  });

  it('GIVEN the update is conditional WHEN the run is recorded THEN it only applies to an existing STARTING record, releases the lease, notes when the work started unless noted already, and drops the retry time and the send time', async () => {
    // WHEN
    await store().markRunning('task#abc', 'jr_1', 1_000);
    // THEN
    expect(ddbMock).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: TABLE_NAME,
      Key: KEY,
      UpdateExpression: 'SET #status = :running, #runId = :runId, #lease = :zero, #since = if_not_exists(#since, :since) REMOVE #next, #sent',
      ConditionExpression: 'attribute_exists(#pk) AND (#status = :starting OR #runId = :runId)',
      ExpressionAttributeNames: { '#pk': 'pk', '#status': 'status', '#runId': 'runId', '#lease': 'leaseUntil', '#next': 'nextStartAt', '#sent': 'startSentAt', '#since': 'runningSince' },
      ExpressionAttributeValues: { ':running': 'RUNNING', ':starting': 'STARTING', ':runId': 'jr_1', ':zero': 0, ':since': 1_000 },
    });
  });

  it.each<[string, string, number | undefined, string, Record<string, unknown>]>([
    ['a refused start: no send time is left on it', 'ThrottlingException: Rate exceeded', undefined, ' REMOVE #sent', {}],
    ['a start whose outcome is unknown: the time it was sent is saved too', 'InternalServiceException: 500', NOW.getTime() - 1_000,
      ', #sent = :sent', { ':sent': NOW.getTime() - 1_000 }],
  ])('GIVEN %s WHEN it is deferred THEN the attempts, retry time and error are saved on the STARTING record and its lease released', async (
    _label, error, sentAt, sentPart, sentValue,
  ) => {
    // WHEN
    await store().deferStart('task#abc', 2, NOW.getTime() + 60_000, error, sentAt);
    // THEN
    expect(lastUpdate()).toEqual({
      TableName: TABLE_NAME,
      Key: KEY,
      UpdateExpression: `SET #attempts = :attempts, #next = :next, #lastError = :lastError, #lease = :zero${sentPart}`,
      ConditionExpression: 'attribute_exists(#pk) AND #status = :starting',
      ExpressionAttributeNames: {
        '#pk': 'pk',
        '#attempts': 'startAttempts',
        '#next': 'nextStartAt',
        '#lastError': 'lastError',
        '#lease': 'leaseUntil',
        '#status': 'status',
        '#sent': 'startSentAt',
      },
      ExpressionAttributeValues: {
        ':attempts': 2, ':next': NOW.getTime() + 60_000, ':lastError': error, ':zero': 0, ':starting': 'STARTING', ...sentValue,
      },
    });
  });

  it('GIVEN a start about to be sent WHEN its send time is marked THEN it is saved as startSentAt, only on an existing STARTING record', async () => {
    // WHEN
    await store().markStartSent('task#abc', NOW.getTime());
    // THEN
    expect(lastUpdate()).toEqual({
      TableName: TABLE_NAME,
      Key: KEY,
      UpdateExpression: 'SET #sent = :sent',
      ConditionExpression: 'attribute_exists(#pk) AND #status = :starting',
      ExpressionAttributeNames: { '#pk': 'pk', '#sent': 'startSentAt', '#status': 'status' },
      ExpressionAttributeValues: { ':sent': NOW.getTime(), ':starting': 'STARTING' },
    });
  });

  it('GIVEN the record moved on WHEN a send time is marked THEN RecordGoneError is raised', async () => {
    // GIVEN
    ddbMock.on(UpdateCommand).rejects(conditionFailed());
    // WHEN / THEN
    await expect(store().markStartSent('task#abc', NOW.getTime())).rejects.toThrow(RecordGoneError);
  });

  it('GIVEN the record is gone WHEN a start is deferred THEN RecordGoneError is raised', async () => {
    // GIVEN
    ddbMock.on(UpdateCommand).rejects(conditionFailed());
    // WHEN / THEN
    await expect(store().deferStart('task#abc', 1, 0, 'x')).rejects.toThrow(RecordGoneError);
  });

  it('GIVEN a free record WHEN claimed THEN the write moves it to the target status under a new lease only if no live lease is held', async () => {
    // WHEN
    const won = await store().claim('task#abc', ['RUNNING', 'CLOSING'], 'CLOSING', NOW.getTime() + 900_000, NOW.getTime());
    // THEN
    expect(won).toBeDefined();
    expect(lastUpdate()).toEqual({
      TableName: TABLE_NAME,
      Key: KEY,
      UpdateExpression: 'SET #status = :to, #lease = :lease',
      ConditionExpression: 'attribute_exists(#pk) AND #status IN (:from0, :from1) AND (attribute_not_exists(#lease) OR #lease < :now)'
        + ' AND (attribute_not_exists(#next) OR #next <= :now)',
      ExpressionAttributeNames: { '#pk': 'pk', '#status': 'status', '#lease': 'leaseUntil', '#next': 'nextStartAt' },
      ReturnValues: 'ALL_NEW',
      ExpressionAttributeValues: {
        ':to': 'CLOSING', ':lease': NOW.getTime() + 900_000, ':now': NOW.getTime(), ':from0': 'RUNNING', ':from1': 'CLOSING',
      },
    });
  });

  it('GIVEN another invocation holds the record WHEN claimed THEN the claim is lost (undefined), not an error', async () => {
    // GIVEN
    ddbMock.on(UpdateCommand).rejects(conditionFailed());
    // WHEN / THEN
    await expect(store().claim('task#abc', ['STARTING'], 'STARTING', 1, 0)).resolves.toBeUndefined();
  });

  it('GIVEN DynamoDB is throttling WHEN claimed THEN the error propagates, so the record is retried rather than taken as held', async () => {
    // GIVEN
    const throttled = Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ProvisionedThroughputExceededException' });
    ddbMock.on(UpdateCommand).rejects(throttled);
    // WHEN / THEN
    await expect(store().claim('task#abc', ['STARTING'], 'STARTING', 1, 0)).rejects.toBe(throttled);
  });

  it('GIVEN any other DynamoDB error WHEN writing THEN it propagates unchanged', async () => {
    // GIVEN
    const throttled = Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ProvisionedThroughputExceededException' });
    ddbMock.on(PutCommand).rejects(throttled);
    // WHEN / THEN
    await expect(store().recordIntent(record(1))).rejects.toBe(throttled);
  });

  it('GIVEN a sort key WHEN removed THEN only that record of this pipeline is deleted', async () => {
    // WHEN
    await store().remove('task#abc');
    // THEN
    expect(ddbMock).toHaveReceivedCommandTimes(DeleteCommand, 1);
    expect(ddbMock).toHaveReceivedCommandWith(DeleteCommand, { TableName: TABLE_NAME, Key: KEY });
  });
});
