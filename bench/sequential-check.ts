import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetJobRunCommand, GlueClient } from '@aws-sdk/client-glue';
import { SendTaskHeartbeatCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { trackingPartition, TrackingRecord } from '../src/shared/contract';

export interface AwsEndpoints {
  readonly sfn: string;
  readonly glue: string;
  readonly dynamodb: string;
}

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * The check cycle of a runner that does one call at a time, as the 2018 sample's did: every
 * record of every page, GetJobRun, then SendTaskHeartbeat for a run in flight. The comparison
 * for (c): the same records, the same endpoints and latency, and every page (the sample itself
 * read only the first 50 records).
 */
export async function sequentialCheck(endpoints: AwsEndpoints, tableName: string, pipelineId: string): Promise<number> {
  const region = 'us-east-1';
  const glue = new GlueClient({ endpoint: endpoints.glue, region, credentials });
  const sfn = new SFNClient({ endpoint: endpoints.sfn, region, credentials });
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: endpoints.dynamodb, region, credentials }));
  let checked = 0;
  let startKey: Record<string, unknown> | undefined;
  try {
    do {
      const page = await dynamo.send(new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': 'pk' },
        ExpressionAttributeValues: { ':pk': trackingPartition(pipelineId) },
        ExclusiveStartKey: startKey,
      }));
      for (const record of (page.Items ?? []) as TrackingRecord[]) {
        const { JobRun: run } = await glue.send(new GetJobRunCommand({ JobName: record.resourceName, RunId: record.runId }));
        if (run?.JobRunState === 'RUNNING') {
          await sfn.send(new SendTaskHeartbeatCommand({ taskToken: record.taskToken }));
        }
        checked++;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  } finally {
    glue.destroy();
    sfn.destroy();
    dynamo.destroy();
  }
  return checked;
}
