import { Server } from 'http';
import { AddressInfo } from 'net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import './fixtures';
import type * as StoreModule from '../../src/lambda/tracking-store';
import type { TrackingRecord as Record_ } from '../../src/shared/contract';

// dynalite ships no typings.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: { createTableMs: number; deleteTableMs: number; updateTableMs: number }) => Server;

/**
 * The store's conditional writes against a real DynamoDB implementation (dynalite): a mock
 * cannot tell whether a condition holds, and these conditions are what make SDK retries safe.
 */
const TABLE = 'tracking';
let server: Server;
let store: StoreModule.TrackingStore;
let other: StoreModule.TrackingStore;
let Store: typeof StoreModule;

beforeAll(async () => {
  server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.AWS_ENDPOINT_URL_DYNAMODB = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await new DynamoDBClient({}).send(new CreateTableCommand({
    TableName: TABLE,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  }));
  // Load the store only now, so its module-scope client picks up the local endpoint.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  Store = require('../../src/lambda/tracking-store') as typeof StoreModule;
  store = new Store.TrackingStore(TABLE, 'pipe-a');
  other = new Store.TrackingStore(TABLE, 'pipe-b');
});

afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
  await new Promise((resolve) => server.close(resolve));
});

let n = 0;
function record(pk: string, overrides: Partial<Record_> = {}): Record_ {
  n++;
  return {
    pk,
    sk: `task#t${n}`,
    taskToken: `token-${n}`,
    tokenId: `t${n}`,
    status: 'STARTING',
    stepName: 's',
    jobName: 'j',
    executionId: 'exec',

    createdAt: `2026-01-01T00:00:${String(n % 60).padStart(2, '0')}.000Z`,
    expiresAt: 2_000_000_000,
    ...overrides,
  };
}

describe('TrackingStore on dynalite', () => {
  it('GIVEN a recorded intent WHEN the same write is repeated (an SDK retry) THEN it succeeds', async () => {
    const intent = record('pipeline#pipe-a');
    await store.recordIntent(intent);
    await expect(store.recordIntent(intent)).resolves.toBeUndefined();
  });

  it('GIVEN a recorded intent WHEN another attempt writes the same key THEN it is refused as already tracked', async () => {
    const intent = record('pipeline#pipe-a');
    await store.recordIntent(intent);
    await expect(store.recordIntent({ ...intent, createdAt: '2030-01-01T00:00:00.000Z' })).rejects.toBeInstanceOf(Store.TaskAlreadyTrackedError);
  });

  it('GIVEN a STARTING record WHEN the run id is saved twice (an SDK retry) THEN both succeed, and a different run id is refused', async () => {
    const intent = record('pipeline#pipe-a');
    await store.recordIntent(intent);
    await store.markRunning(intent.sk, 'jr_1');
    await expect(store.markRunning(intent.sk, 'jr_1')).resolves.toBeUndefined();
    await expect(store.markRunning(intent.sk, 'jr_2')).rejects.toBeInstanceOf(Store.RecordGoneError);
  });

  it('GIVEN no record WHEN a run id is saved THEN it is refused: the record is gone', async () => {
    await expect(store.markRunning('task#missing', 'jr_1')).rejects.toBeInstanceOf(Store.RecordGoneError);
  });

  it('GIVEN records of two pipelines WHEN one pipeline pages through its records THEN it sees all of its own and none of the other', async () => {
    const mine = Array.from({ length: 7 }, () => record('pipeline#pipe-paged'));
    const paged = new Store.TrackingStore(TABLE, 'pipe-paged');
    for (const r of mine) {
      await paged.recordIntent(r);
    }
    await other.recordIntent(record('pipeline#pipe-b'));
    const pages: Record_[][] = [];
    for await (const page of paged.pages(3)) {
      pages.push(page);
    }
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages.flat().map((r) => r.sk).sort()).toEqual(mine.map((r) => r.sk).sort());
  });

  it('GIVEN a record WHEN it is removed THEN paging no longer returns it', async () => {
    const gone = new Store.TrackingStore(TABLE, 'pipe-gone');
    const r = record('pipeline#pipe-gone');
    await gone.recordIntent(r);
    await gone.remove(r.sk);
    const seen: Record_[] = [];
    for await (const page of gone.pages()) {
      seen.push(...page);
    }
    expect(seen).toEqual([]);
  });
});
