import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { stepInput } from './fixtures';
import { startLocalTrackingTable } from './local-tracking-table';
import { exactJsonText, parseExactJson } from '../../src/lambda/entry/exact-json';
import type * as StoreModule from '../../src/lambda/store/tracking-store';
import type { TrackingRecord as Record_ } from '../../src/shared/contract';


/**
 * The store's conditional writes against a real DynamoDB implementation (dynalite): a mock
 * cannot tell whether a condition holds, and these conditions are what make SDK retries safe.
 */
const TABLE = 'tracking';
let stop: () => Promise<void>;
let store: StoreModule.TrackingStore;
let other: StoreModule.TrackingStore;
let Store: typeof StoreModule;

beforeAll(async () => {
  ({ Store, stop } = await startLocalTrackingTable(TABLE));
  store = new Store.TrackingStore(TABLE, 'pipe-a');
  other = new Store.TrackingStore(TABLE, 'pipe-b');
});

afterAll(() => stop());

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
    resourceName: 'j',
    executionId: 'exec',
    createdAt: `2026-01-01T00:00:${String(n % 60).padStart(2, '0')}.000Z`,
    expiresAt: 2_000_000_000,
    input: stepInput(n, { jobName: 'j', stepName: 's', executionId: 'exec' }),
    leaseUntil: 0,
    startAttempts: 0,
    ...overrides,
  };
}

/** The record as the table holds it now (read back through paging, as the check phase reads it). */
async function stored(on: StoreModule.TrackingStore, sk: string): Promise<Record_ | undefined> {
  for await (const page of on.pages()) {
    const found = page.find((r) => r.sk === sk);
    if (found) {
      return found;
    }
  }
  return undefined;
}

/** Epoch ms used as "now" by the claims below; leases are set relative to it. */
const T = 1_800_000_000_000;

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
    await store.markRunning(intent.sk, 'jr_1', 1_000);
    await expect(store.markRunning(intent.sk, 'jr_1', 1_000)).resolves.toBeUndefined();
    await expect(store.markRunning(intent.sk, 'jr_2', 1_000)).rejects.toBeInstanceOf(Store.RecordGoneError);
  });

  it('GIVEN a RUNNING record WHEN its run id is saved again later (an SDK retry) THEN runningSince stays the first start\'s', async () => {
    const intent = record('pipeline#pipe-a');
    await store.recordIntent(intent);
    await store.markRunning(intent.sk, 'jr_1', 1_000);
    await store.markRunning(intent.sk, 'jr_1', 5_000);
    expect((await stored(store, intent.sk))?.runningSince).toBe(1_000);
  });

  it('GIVEN a RUNNING record WHEN two invocations claim its late announcement THEN only the first gets it; a STARTING or missing record gives none', async () => {
    const intent = record('pipeline#pipe-a');
    await store.recordIntent(intent);
    expect(await store.markLateAnnounced(intent.sk, 2_000)).toBe(false);
    await store.markRunning(intent.sk, 'jr_1', 1_000);
    expect(await store.markLateAnnounced(intent.sk, 2_000)).toBe(true);
    expect(await store.markLateAnnounced(intent.sk, 3_000)).toBe(false);
    expect((await stored(store, intent.sk))?.lateAnnouncedAt).toBe(2_000);
    expect(await store.markLateAnnounced('task#missing', 2_000)).toBe(false);
  });

  it('GIVEN no record WHEN a run id is saved THEN it is refused: the record is gone', async () => {
    await expect(store.markRunning('task#missing', 'jr_1', 1_000)).rejects.toBeInstanceOf(Store.RecordGoneError);
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

  it('GIVEN a task input holding numbers beyond 2^53 WHEN recorded and read back THEN the write is accepted and every digit is kept; other numbers read as numbers', async () => {
    // GIVEN
    const inputs = '{"orderId":123456789012345678901234567,"order":{"id":-9007199254740993,"lines":[1,2.5]}}';
    const r = record('pipeline#pipe-a', { input: { ...stepInput(n + 1, { jobName: 'j', stepName: 's', executionId: 'exec' }), inputs: parseExactJson(inputs) as Record<string, unknown> } });
    // WHEN
    await store.recordIntent(r);
    const back = await stored(store, r.sk);
    // THEN
    expect(exactJsonText(back!.input.inputs)).toBe(inputs);
    expect([typeof back!.leaseUntil, typeof back!.expiresAt, back!.input.heartbeatSeconds]).toEqual(['number', 'number', r.input.heartbeatSeconds]);
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

describe('kept results renewed by a redrive, on dynalite', () => {
  const at = (ms: number) => Math.ceil(ms / 1000);
  it('GIVEN an execution\'s kept results WHEN a redrive renews them THEN each lasts its own life again from now, an older one without '
    + 'a life and an expired one are left, and a second renewal at the same time changes nothing', async () => {
    // GIVEN
    const results = new Store.TrackingStore(TABLE, 'pipe-redrive');
    const DAY = 86_400;
    await results.keepResult('exec-r', 'a', { jobRunId: 'jr_a' }, at(T) + 2 * DAY, undefined, 20 * DAY);
    await results.keepResult('exec-r', 'b', { jobRunId: 'jr_b' }, at(T) + 30 * DAY, undefined, 20 * DAY);
    await results.keepResult('exec-r', 'old', { jobRunId: 'jr_o' }, at(T) + DAY);
    await results.keepResult('exec-r', 'gone', { jobRunId: 'jr_g' }, at(T) - 1, undefined, 20 * DAY);
    // WHEN
    const first = await results.extendResults('exec-r', T);
    const again = await results.extendResults('exec-r', T);
    // THEN
    expect(first).toEqual({ extended: 1, expired: 1 });
    expect(again).toEqual({ extended: 0, expired: 1 });
    // a, kept until T + 2 days, now lasts its 20 days from T; b kept its later expiry; old was left to its day
    expect([...(await results.results('exec-r', T + DAY * 1000 - 1000)).keys()].sort()).toEqual(['a', 'b', 'old']);
    expect([...(await results.results('exec-r', T + 19 * DAY * 1000)).keys()].sort()).toEqual(['a', 'b']);
    expect([...(await results.results('exec-r', T + 21 * DAY * 1000)).keys()].sort()).toEqual(['b']);
  });
});

describe('records written before the attribute rename (jobName, jobRunId), on dynalite', () => {
  /** A record as a runner of before the rename wrote it: its resource in jobName, its run in jobRunId. */
  function legacy(on: string, overrides: Partial<Record_> = {}): Record<string, unknown> {
    const { resourceName, runId, ...rest } = record(on, overrides);
    return { ...rest, jobName: resourceName, ...(runId === undefined ? {} : { jobRunId: runId }) };
  }

  /** The item exactly as the table holds it, read past the store. */
  async function rawItem(sk: string): Promise<Record<string, unknown> | undefined> {
    const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    return (await client.send(new GetCommand({ TableName: TABLE, Key: { pk: 'pipeline#pipe-legacy', sk } }))).Item;
  }

  const legacyStore = () => new Store.TrackingStore(TABLE, 'pipe-legacy');

  it.each<[string, Partial<Record_>, Record<string, unknown>]>([
    ['a RUNNING record with its run', { status: 'RUNNING', runId: 'jr_7' }, { resourceName: 'j', runId: 'jr_7' }],
    ['a STARTING record with no run yet', { status: 'STARTING' }, { resourceName: 'j' }],
  ])('GIVEN %s WHEN a sweep pages through the records THEN it reads the new names, and the table holds them instead of the old', async (_label, overrides, expected) => {
    // GIVEN
    const on = legacyStore();
    const item = legacy('pipeline#pipe-legacy', overrides);
    await on.recordIntent(item as unknown as Record_);
    // WHEN
    const read = await stored(on, String(item.sk));
    // THEN
    expect(read).toMatchObject({ ...expected, status: overrides.status });
    expect(read).not.toHaveProperty('jobName');
    expect(read).not.toHaveProperty('jobRunId');
    const now = await rawItem(String(item.sk));
    expect(now).toMatchObject(expected);
    expect(now).not.toHaveProperty('jobName');
    expect(now).not.toHaveProperty('jobRunId');
    await on.remove(String(item.sk));
  });

  it('GIVEN a RUNNING legacy record read by a sweep WHEN the run ends THEN the claim bound to its run wins, as for any record', async () => {
    // GIVEN
    const on = legacyStore();
    const item = legacy('pipeline#pipe-legacy', { status: 'RUNNING', runId: 'jr_8' });
    await on.recordIntent(item as unknown as Record_);
    await stored(on, String(item.sk));
    // WHEN
    const claimed = await on.claim(String(item.sk), ['RUNNING'], 'CLOSING', T + 60_000, T, 'jr_8');
    // THEN
    expect(claimed).toMatchObject({ status: 'CLOSING', runId: 'jr_8', resourceName: 'j' });
    await on.remove(String(item.sk));
  });
});

describe('claims on dynalite: one transition per record at a time', () => {
  it('GIVEN a free RUNNING record WHEN two invocations claim it THEN only the first wins while its lease is live', async () => {
    // GIVEN
    const r = record('pipeline#pipe-a', { status: 'RUNNING', runId: 'jr_1' });
    await store.recordIntent(r);
    // WHEN
    const first = await store.claim(r.sk, ['RUNNING', 'CLOSING'], 'CLOSING', T + 60_000, T);
    const second = await store.claim(r.sk, ['RUNNING', 'CLOSING'], 'CLOSING', T + 90_000, T + 1_000);
    // THEN
    expect([first !== undefined, second !== undefined]).toEqual([true, false]);
    expect(first).toMatchObject({ status: 'CLOSING', leaseUntil: T + 60_000, runId: 'jr_1' });
    expect(await stored(store, r.sk)).toMatchObject({ status: 'CLOSING', leaseUntil: T + 60_000, runId: 'jr_1' });
  });

  it('GIVEN a claim whose lease has passed (its holder died) WHEN another invocation claims THEN that claim wins and takes the lease', async () => {
    // GIVEN
    const r = record('pipeline#pipe-a', { status: 'RUNNING', runId: 'jr_1' });
    await store.recordIntent(r);
    await store.claim(r.sk, ['RUNNING', 'CLOSING'], 'CLOSING', T + 60_000, T);
    // WHEN
    const later = await store.claim(r.sk, ['RUNNING', 'CLOSING'], 'CLOSING', T + 200_000, T + 60_001);
    // THEN
    expect(later).toMatchObject({ status: 'CLOSING', leaseUntil: T + 200_000 });
    expect(await stored(store, r.sk)).toMatchObject({ status: 'CLOSING', leaseUntil: T + 200_000 });
  });

  it('GIVEN a record written before leases existed (no leaseUntil) WHEN claimed THEN the claim wins', async () => {
    // GIVEN
    const { leaseUntil: _gone, ...old } = record('pipeline#pipe-a', { status: 'RUNNING', runId: 'jr_1' });
    await store.recordIntent(old as Record_);
    // WHEN / THEN
    await expect(store.claim(old.sk, ['RUNNING'], 'CLOSING', T + 60_000, T)).resolves.toMatchObject({ status: 'CLOSING' });
  });

  it('GIVEN a record in a status the claim does not take from WHEN claimed THEN the claim is lost and the record unchanged', async () => {
    // GIVEN a STARTING record
    const r = record('pipeline#pipe-a');
    await store.recordIntent(r);
    // WHEN a close tries to take it
    const won = await store.claim(r.sk, ['RUNNING', 'CLOSING'], 'CLOSING', T + 60_000, T);
    // THEN
    expect(won).toBeUndefined();
    expect(await stored(store, r.sk)).toMatchObject({ status: 'STARTING', leaseUntil: 0 });
  });

  it('GIVEN no record WHEN claimed THEN the claim is lost and no record is created', async () => {
    // WHEN
    const won = await store.claim('task#never-written', ['STARTING'], 'STARTING', T + 60_000, T);
    // THEN
    expect(won).toBeUndefined();
    expect(await stored(store, 'task#never-written')).toBeUndefined();
  });

  it('GIVEN a claimed STARTING record WHEN its start is deferred THEN attempts, retry time and error are saved and the lease released for whoever retries', async () => {
    // GIVEN
    const r = record('pipeline#pipe-a');
    await store.recordIntent(r);
    await store.claim(r.sk, ['STARTING'], 'STARTING', T + 60_000, T);
    // WHEN
    await store.deferStart(r.sk, 1, T + 30_000, 'ConcurrentRunsExceededException: busy');
    // THEN
    expect(await stored(store, r.sk)).toMatchObject({
      status: 'STARTING', startAttempts: 1, nextStartAt: T + 30_000, lastError: 'ConcurrentRunsExceededException: busy', leaseUntil: 0,
    });
    // and the deferred start cannot be claimed before its retry time, even by one reading a stale page
    await expect(store.claim(r.sk, ['STARTING'], 'STARTING', T + 120_000, T + 29_999)).resolves.toBeUndefined();
    await expect(store.claim(r.sk, ['STARTING'], 'STARTING', T + 120_000, T + 30_000)).resolves.toMatchObject({ startAttempts: 1, leaseUntil: T + 120_000 });
  });

  it('GIVEN a start whose outcome is unknown WHEN deferred THEN the time it was sent is saved, and a later refusal removes it', async () => {
    // GIVEN
    const r = record('pipeline#pipe-a');
    await store.recordIntent(r);
    // WHEN the start's answer is lost
    await store.deferStart(r.sk, 1, T + 30_000, 'InternalServiceException: 500', T - 1_000);
    // THEN
    expect(await stored(store, r.sk)).toMatchObject({ status: 'STARTING', startAttempts: 1, nextStartAt: T + 30_000, startSentAt: T - 1_000 });
    // WHEN the next start is refused
    await store.deferStart(r.sk, 2, T + 90_000, 'ConcurrentRunsExceededException: busy');
    // THEN
    const now = await stored(store, r.sk);
    expect(now).toMatchObject({ startAttempts: 2, nextStartAt: T + 90_000, lastError: 'ConcurrentRunsExceededException: busy' });
    expect(now).not.toHaveProperty('startSentAt');
  });

  it('GIVEN a STARTING record WHEN a send time is marked THEN it is saved, a later mark replaces it, and saving the run removes it', async () => {
    // GIVEN
    const r = record('pipeline#pipe-a');
    await store.recordIntent(r);
    // WHEN / THEN
    await store.markStartSent(r.sk, T);
    expect(await stored(store, r.sk)).toMatchObject({ status: 'STARTING', startSentAt: T });
    await store.markStartSent(r.sk, T + 30_000);
    expect(await stored(store, r.sk)).toMatchObject({ status: 'STARTING', startSentAt: T + 30_000 });
    await store.markRunning(r.sk, 'crawl-1', 1_000);
    const now = await stored(store, r.sk);
    expect(now).toMatchObject({ status: 'RUNNING', runId: 'crawl-1' });
    expect(now).not.toHaveProperty('startSentAt');
  });

  it('GIVEN a record no longer STARTING, or none WHEN a send time is marked THEN it is refused and nothing is written', async () => {
    // GIVEN
    const r = record('pipeline#pipe-a');
    await store.recordIntent(r);
    await store.markRunning(r.sk, 'jr_1', 1_000);
    // WHEN / THEN
    await expect(store.markStartSent(r.sk, T)).rejects.toBeInstanceOf(Store.RecordGoneError);
    expect(await stored(store, r.sk)).not.toHaveProperty('startSentAt');
    await expect(store.markStartSent('task#never-marked', T)).rejects.toBeInstanceOf(Store.RecordGoneError);
    expect(await stored(store, 'task#never-marked')).toBeUndefined();
  });

  it('GIVEN a deferred start WHEN the run is finally saved THEN the record is RUNNING with no retry time left on it', async () => {
    // GIVEN
    const r = record('pipeline#pipe-a');
    await store.recordIntent(r);
    await store.deferStart(r.sk, 1, T + 30_000, 'ThrottlingException: Rate exceeded');
    // WHEN
    await store.markRunning(r.sk, 'jr_9', 1_000);
    // THEN
    const now = await stored(store, r.sk);
    expect(now).toMatchObject({ status: 'RUNNING', runId: 'jr_9', leaseUntil: 0, startAttempts: 1 });
    expect(now).not.toHaveProperty('nextStartAt');
  });

  it('GIVEN a record that is already RUNNING WHEN a start is deferred THEN it is refused: the run is not forgotten', async () => {
    // GIVEN
    const r = record('pipeline#pipe-a');
    await store.recordIntent(r);
    await store.markRunning(r.sk, 'jr_1', 1_000);
    // WHEN / THEN
    await expect(store.deferStart(r.sk, 1, T, 'x')).rejects.toBeInstanceOf(Store.RecordGoneError);
    expect(await stored(store, r.sk)).toMatchObject({ status: 'RUNNING', runId: 'jr_1' });
  });

  it('GIVEN no record WHEN a start is deferred THEN it is refused and no record is created', async () => {
    await expect(store.deferStart('task#never-deferred', 1, T, 'x')).rejects.toBeInstanceOf(Store.RecordGoneError);
    expect(await stored(store, 'task#never-deferred')).toBeUndefined();
  });
});
