import { Server } from 'http';
import { CreateTableCommand, CreateTableCommandInput, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { closeServer, listenOnLoopback } from './local-http';

// dynalite ships no typings.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: Record<string, number>) => Server;

/** A DynamoDB-protocol server (dynalite) holding the tracking table, created as the template says. */
export class LocalDynamo {
  private server?: Server;
  private client?: DynamoDBClient;
  public url = '';

  public async start(table: CreateTableCommandInput): Promise<string> {
    this.server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    this.url = await listenOnLoopback(this.server);
    this.client = new DynamoDBClient({ endpoint: this.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await this.client.send(new CreateTableCommand(table));
    return this.url;
  }

  /** Items in a table (every page); with `skPrefix`, only items whose sort key `sk` starts with it. */
  public async count(tableName: string, skPrefix?: string): Promise<number> {
    let count = 0;
    let start: Record<string, any> | undefined;
    do {
      const res = await this.client!.send(new ScanCommand({
        TableName: tableName,
        Select: 'COUNT',
        ExclusiveStartKey: start,
        ...(skPrefix === undefined ? {} : {
          FilterExpression: 'begins_with(#sk, :prefix)',
          ExpressionAttributeNames: { '#sk': 'sk' },
          ExpressionAttributeValues: { ':prefix': { S: skPrefix } },
        }),
      }));
      count += res.Count ?? 0;
      start = res.LastEvaluatedKey;
    } while (start);
    return count;
  }

  public async stop(): Promise<void> {
    this.client?.destroy();
    await closeServer(this.server);
  }
}
