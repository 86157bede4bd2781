import { Server } from 'http';
import { AddressInfo } from 'net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type * as StoreModule from '../../src/lambda/store/tracking-store';

// dynalite ships no typings.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: { createTableMs: number; deleteTableMs: number; updateTableMs: number }) => Server;

/**
 * For the store tests against a real DynamoDB implementation: starts dynalite with a table of
 * the tracking key schema, points the runner's clients at it, and loads the store module only
 * then, so its module-scope client picks up the local endpoint. Call `stop` in afterAll.
 */
export async function startLocalTrackingTable(tableName: string): Promise<{ Store: typeof StoreModule; stop: () => Promise<void> }> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.AWS_ENDPOINT_URL_DYNAMODB = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await new DynamoDBClient({}).send(new CreateTableCommand({
    TableName: tableName,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  }));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Store = require('../../src/lambda/store/tracking-store') as typeof StoreModule;
  return {
    Store,
    stop: async () => {
      delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
