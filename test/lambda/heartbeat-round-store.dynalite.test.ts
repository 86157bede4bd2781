import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { stepInput } from './fixtures';
import { startLocalTrackingTable } from './local-tracking-table';
import type * as StoreModule from '../../src/lambda/store/tracking-store';
import { heartbeatRoundKey, TrackingRecord } from '../../src/shared/contract';


/**
 * The heartbeat round item and run-bound claims against a real DynamoDB implementation
 * (dynalite): whether "never move the round back" and "only the tracked run" hold is decided by
 * condition expressions a mock cannot evaluate.
 */
const TABLE = 'tracking-rounds';
let stop: () => Promise<void>;
let Store: typeof StoreModule;

beforeAll(async () => {
  ({ Store, stop } = await startLocalTrackingTable(TABLE));
});

afterAll(() => stop());

/** A fresh pipeline id per test, so tests share the table but not their items. */
let pipelines = 0;
function freshStore(): { store: StoreModule.TrackingStore; pipelineId: string } {
  const pipelineId = `rounds-${++pipelines}`;
  return { store: new Store.TrackingStore(TABLE, pipelineId), pipelineId };
}

function record(pipelineId: string, n: number, overrides: Partial<TrackingRecord> = {}): TrackingRecord {
  return {
    pk: `pipeline#${pipelineId}`,
    sk: `task#t${n}`,
    taskToken: `token-${n}`,
    tokenId: `t${n}`,
    status: 'RUNNING',
    stepName: 's',
    resourceName: 'j',
    runId: `jr_${n}`,
    executionId: 'exec',
    createdAt: '2026-01-01T00:00:00.000Z',
    expiresAt: 2_000_000_000,
    input: stepInput(n, { jobName: 'j', stepName: 's', executionId: 'exec' }),
    leaseUntil: 0,
    startAttempts: 0,
    ...overrides,
  };
}

async function allPages(store: StoreModule.TrackingStore): Promise<TrackingRecord[]> {
  const seen: TrackingRecord[] = [];
  for await (const page of store.pages()) {
    seen.push(...page);
  }
  return seen;
}

/** The round item as the table holds it, read directly. */
async function roundItem(pipelineId: string) {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  return (await doc.send(new GetCommand({ TableName: TABLE, Key: heartbeatRoundKey(pipelineId), ConsistentRead: true }))).Item;
}

/** Epoch ms used as round times and as "now" by the claims below. */
const T = 1_800_000_000_000;

describe('heartbeat round on dynalite', () => {
  it('GIVEN no round was ever recorded WHEN the round is read THEN it is 0', async () => {
    // GIVEN
    const { store } = freshStore();
    // WHEN
    const at = await store.heartbeatRound();
    // THEN
    expect(at).toBe(0);
  });

  it('GIVEN a round recorded at T WHEN the round is read THEN it is T, stored under the pipeline\'s round key', async () => {
    // GIVEN
    const { store, pipelineId } = freshStore();
    await store.recordHeartbeatRound(T);
    // WHEN
    const at = await store.heartbeatRound();
    // THEN
    expect(at).toBe(T);
    expect(await roundItem(pipelineId)).toEqual({ pk: `pipeline#${pipelineId}#heartbeats`, sk: 'round', roundAt: T });
  });

  it('GIVEN a round at T WHEN a later round is recorded THEN the round moves forward', async () => {
    // GIVEN
    const { store } = freshStore();
    await store.recordHeartbeatRound(T);
    // WHEN
    await store.recordHeartbeatRound(T + 60_000);
    // THEN
    expect(await store.heartbeatRound()).toBe(T + 60_000);
  });

  it('GIVEN a round at T WHEN an older round is recorded (an overlapping sweep that began earlier) THEN it does not throw and the round stays at T', async () => {
    // GIVEN
    const { store } = freshStore();
    await store.recordHeartbeatRound(T);
    // WHEN
    const older = store.recordHeartbeatRound(T - 60_000);
    // THEN
    await expect(older).resolves.toBeUndefined();
    expect(await store.heartbeatRound()).toBe(T);
  });

  it('GIVEN a round at T WHEN the same round is recorded again (an SDK retry) THEN it does not throw and the round stays at T', async () => {
    // GIVEN
    const { store } = freshStore();
    await store.recordHeartbeatRound(T);
    // WHEN
    const again = store.recordHeartbeatRound(T);
    // THEN
    await expect(again).resolves.toBeUndefined();
    expect(await store.heartbeatRound()).toBe(T);
  });

  it('GIVEN rounds of two pipelines WHEN each is read THEN each pipeline sees its own', async () => {
    // GIVEN
    const a = freshStore();
    const b = freshStore();
    await a.store.recordHeartbeatRound(T);
    await b.store.recordHeartbeatRound(T + 5_000);
    // WHEN / THEN
    expect([await a.store.heartbeatRound(), await b.store.heartbeatRound()]).toEqual([T, T + 5_000]);
  });

  it('GIVEN a recorded round and tracked tasks WHEN the pipeline pages through its records THEN the round item is not among them', async () => {
    // GIVEN
    const { store, pipelineId } = freshStore();
    await store.recordIntent(record(pipelineId, 1, { status: 'STARTING', runId: undefined }));
    await store.recordIntent(record(pipelineId, 2, { status: 'STARTING', runId: undefined }));
    await store.recordHeartbeatRound(T);
    // WHEN
    const seen = await allPages(store);
    // THEN
    expect(seen.map((r) => r.sk).sort()).toEqual(['task#t1', 'task#t2']);
    expect(seen.some((r) => 'roundAt' in r)).toBe(false);
  });

  it('GIVEN only a recorded round WHEN the pipeline pages through its records THEN it sees none', async () => {
    // GIVEN
    const { store } = freshStore();
    await store.recordHeartbeatRound(T);
    // WHEN
    const seen = await allPages(store);
    // THEN
    expect(seen).toEqual([]);
  });
});

describe('claims bound to a run on dynalite', () => {
  it('GIVEN a RUNNING record of run jr_1 WHEN claimed for another run THEN the claim is lost and the record unchanged', async () => {
    // GIVEN
    const { store, pipelineId } = freshStore();
    const r = record(pipelineId, 1);
    await store.recordIntent({ ...r, status: 'STARTING' });
    await store.markRunning(r.sk, 'jr_1', 1_000);
    // WHEN
    const won = await store.claim(r.sk, ['RUNNING', 'CLOSING'], 'CLOSING', T + 60_000, T, 'jr_other');
    // THEN
    expect(won).toBeUndefined();
    expect(await allPages(store)).toEqual([expect.objectContaining({ sk: r.sk, status: 'RUNNING', runId: 'jr_1', leaseUntil: 0 })]);
  });

  it('GIVEN a RUNNING record of run jr_1 WHEN claimed for jr_1 THEN the claim wins and returns the record as it now is', async () => {
    // GIVEN
    const { store, pipelineId } = freshStore();
    const r = record(pipelineId, 1);
    await store.recordIntent({ ...r, status: 'STARTING' });
    await store.markRunning(r.sk, 'jr_1', 1_000);
    // WHEN
    const won = await store.claim(r.sk, ['RUNNING', 'CLOSING'], 'CLOSING', T + 60_000, T, 'jr_1');
    // THEN
    expect(won).toMatchObject({ sk: r.sk, status: 'CLOSING', runId: 'jr_1', leaseUntil: T + 60_000, taskToken: 'token-1' });
    expect(await allPages(store)).toEqual([expect.objectContaining({ status: 'CLOSING', leaseUntil: T + 60_000 })]);
  });

  it('GIVEN a STARTING record with no run id yet WHEN claimed for a run THEN the claim is lost', async () => {
    // GIVEN
    const { store, pipelineId } = freshStore();
    const r = record(pipelineId, 1, { status: 'STARTING', runId: undefined });
    await store.recordIntent(r);
    // WHEN
    const won = await store.claim(r.sk, ['STARTING', 'RUNNING', 'CLOSING'], 'CLOSING', T + 60_000, T, 'jr_1');
    // THEN
    expect(won).toBeUndefined();
    expect(await allPages(store)).toEqual([expect.objectContaining({ status: 'STARTING', leaseUntil: 0 })]);
  });

  it('GIVEN a record of jr_1 held by another invocation WHEN claimed for jr_1 THEN the claim is lost while the lease is live', async () => {
    // GIVEN
    const { store, pipelineId } = freshStore();
    const r = record(pipelineId, 1);
    await store.recordIntent({ ...r, status: 'STARTING' });
    await store.markRunning(r.sk, 'jr_1', 1_000);
    await store.claim(r.sk, ['RUNNING', 'CLOSING'], 'CLOSING', T + 60_000, T, 'jr_1');
    // WHEN
    const during = await store.claim(r.sk, ['RUNNING', 'CLOSING'], 'CLOSING', T + 120_000, T + 1_000, 'jr_1');
    const after = await store.claim(r.sk, ['RUNNING', 'CLOSING'], 'CLOSING', T + 200_000, T + 60_001, 'jr_1');
    // THEN
    expect(during).toBeUndefined();
    expect(after).toMatchObject({ status: 'CLOSING', leaseUntil: T + 200_000 });
  });

  it('GIVEN a RUNNING record WHEN claimed without a run id THEN the claim wins whatever run it tracks', async () => {
    // GIVEN
    const { store, pipelineId } = freshStore();
    const r = record(pipelineId, 1);
    await store.recordIntent({ ...r, status: 'STARTING' });
    await store.markRunning(r.sk, 'jr_7', 1_000);
    // WHEN
    const won = await store.claim(r.sk, ['RUNNING'], 'CLOSING', T + 60_000, T);
    // THEN
    expect(won).toMatchObject({ status: 'CLOSING', runId: 'jr_7' });
  });
});
