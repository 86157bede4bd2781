import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from './clients';
import { TrackingKeys, TrackingRecord, trackingPartition } from '../shared/contract';

/** A record for this task already exists: another invocation took it. */
export class TaskAlreadyTrackedError extends Error {
  public readonly name = 'TaskAlreadyTrackedError';
}

/** The record is gone: another invocation closed it. */
export class RecordGoneError extends Error {
  public readonly name = 'RecordGoneError';
}

/** DynamoDB access to the tracking table of one pipeline. */
export class TrackingStore {
  private readonly partition: string;

  constructor(private readonly tableName: string, pipelineId: string) {
    this.partition = trackingPartition(pipelineId);
  }

  /**
   * Records the intent to start a run for a task, before anything is started. Repeating the
   * same write (an SDK retry after a lost reply) succeeds; a record of another attempt wins.
   */
  public async recordIntent(record: TrackingRecord): Promise<void> {
    try {
      await dynamo.send(new PutCommand({
        TableName: this.tableName,
        Item: record,
        ConditionExpression: 'attribute_not_exists(#pk) OR (#status = :starting AND #createdAt = :createdAt)',
        ExpressionAttributeNames: { '#pk': TrackingKeys.PARTITION_KEY, '#status': 'status', '#createdAt': 'createdAt' },
        ExpressionAttributeValues: { ':starting': 'STARTING', ':createdAt': record.createdAt },
      }));
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) {
        throw new TaskAlreadyTrackedError(`task ${record.tokenId} is already tracked`);
      }
      throw err;
    }
  }

  /**
   * Moves a record from STARTING to RUNNING with the Glue run id. Repeating it with the same run
   * id (an SDK retry after a lost reply) succeeds.
   */
  public async markRunning(sk: string, jobRunId: string): Promise<void> {
    try {
      await dynamo.send(new UpdateCommand({
        TableName: this.tableName,
        Key: this.key(sk),
        UpdateExpression: 'SET #status = :running, #runId = :runId',
        ConditionExpression: 'attribute_exists(#pk) AND (#status = :starting OR #runId = :runId)',
        ExpressionAttributeNames: { '#status': 'status', '#runId': 'jobRunId', '#pk': TrackingKeys.PARTITION_KEY },
        ExpressionAttributeValues: { ':running': 'RUNNING', ':starting': 'STARTING', ':runId': jobRunId },
      }));
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) {
        throw new RecordGoneError(`record ${sk} is no longer STARTING`);
      }
      throw err;
    }
  }

  public async remove(sk: string): Promise<void> {
    await dynamo.send(new DeleteCommand({ TableName: this.tableName, Key: this.key(sk) }));
  }

  /** Every record of this pipeline, one DynamoDB page at a time, following every page. */
  public async *pages(pageSize?: number): AsyncGenerator<TrackingRecord[]> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const res = await dynamo.send(new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': TrackingKeys.PARTITION_KEY },
        ExpressionAttributeValues: { ':pk': this.partition },
        ExclusiveStartKey: startKey,
        Limit: pageSize,
        ConsistentRead: true,
      }));
      yield (res.Items ?? []) as TrackingRecord[];
      startKey = res.LastEvaluatedKey;
    } while (startKey);
  }

  private key(sk: string) {
    return { [TrackingKeys.PARTITION_KEY]: this.partition, [TrackingKeys.SORT_KEY]: sk };
  }
}
