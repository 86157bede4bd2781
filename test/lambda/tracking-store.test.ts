import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ddbMock, resetAwsMocks } from './aws-mocks';
import { PIPELINE_ID, record, TABLE_NAME } from './fixtures';
import { RecordGoneError, TaskAlreadyTrackedError, TrackingStore } from '../../src/lambda/tracking-store';

const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const store = () => new TrackingStore(TABLE_NAME, PIPELINE_ID);

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
    const result = store().markRunning('task#abc', 'jr_1');
    // THEN
    await expect(result).rejects.toThrow(RecordGoneError);
    await expect(result).rejects.toThrow('record task#abc is no longer STARTING');
  });

  it('GIVEN the update is conditional WHEN the run is recorded THEN it only applies to an existing STARTING record', async () => {
    // WHEN
    await store().markRunning('task#abc', 'jr_1');
    // THEN
    expect(ddbMock).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: TABLE_NAME,
      Key: { pk: 'pipeline#nightly-etl', sk: 'task#abc' },
      ConditionExpression: 'attribute_exists(#pk) AND (#status = :starting OR #runId = :runId)',
      ExpressionAttributeValues: { ':running': 'RUNNING', ':starting': 'STARTING', ':runId': 'jr_1' },
    });
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
    expect(ddbMock).toHaveReceivedCommandWith(DeleteCommand, { TableName: TABLE_NAME, Key: { pk: 'pipeline#nightly-etl', sk: 'task#abc' } });
  });
});
