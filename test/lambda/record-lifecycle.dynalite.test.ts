import { stepInput } from './fixtures';
import { startLocalTrackingTable } from './local-tracking-table';
import { INITIAL_STATUSES, Transition, TRANSITIONS } from '../../src/lambda/store/record-lifecycle';
import type * as StoreModule from '../../src/lambda/store/tracking-store';
import type { TrackingRecord, TrackingStatus } from '../../src/shared/contract';

/**
 * The record lifecycle table against the store's conditional writes, on a real DynamoDB
 * implementation (dynalite): each transition, tried from every status, succeeds exactly from
 * the statuses the table lists and leaves the record in the status it names.
 */
const TABLE = 'lifecycle';
const STATUSES: readonly TrackingStatus[] = ['WAITING', 'STARTING', 'RUNNING', 'CLOSING'];
const T = 1_800_000_000_000;
let stop: () => Promise<void>;
let store: StoreModule.TrackingStore;

beforeAll(async () => {
  let Store: typeof StoreModule;
  ({ Store, stop } = await startLocalTrackingTable(TABLE));
  store = new Store.TrackingStore(TABLE, 'pipe');
});

afterAll(() => stop());

let n = 0;
async function given(status: TrackingStatus): Promise<TrackingRecord> {
  n++;
  const record: TrackingRecord = {
    pk: 'pipeline#pipe',
    sk: `task#t${n}`,
    taskToken: `token-${n}`,
    tokenId: `t${n}`,
    status,
    stepName: 's',
    resourceName: 'j',
    runId: 'jr_1',
    executionId: 'exec',
    createdAt: new Date(T - 60_000).toISOString(),
    expiresAt: 2_000_000_000,
    input: stepInput(n),
    leaseUntil: 0,
    startAttempts: 0,
  };
  await store.recordIntent(record);
  return record;
}

async function statusOf(sk: string): Promise<TrackingStatus | undefined> {
  for await (const page of store.pages()) {
    const found = page.find((r) => r.sk === sk);
    if (found) {
      return found.status;
    }
  }
  return undefined;
}

/** Makes the transition with the store's own write; false when its condition refused it. */
const WRITES: { readonly [K in keyof typeof TRANSITIONS]: (sk: string) => Promise<boolean> } = {
  startHeld: async (sk) => (await store.claim(sk, TRANSITIONS.startHeld.from, TRANSITIONS.startHeld.to, T + 60_000, T)) !== undefined,
  resumeStart: async (sk) => (await store.claim(sk, TRANSITIONS.resumeStart.from, TRANSITIONS.resumeStart.to, T + 60_000, T)) !== undefined,
  markStartSent: (sk) => store.markStartSent(sk, T).then(() => true, () => false),
  deferStart: (sk) => store.deferStart(sk, 1, T + 60_000, 'ThrottlingException').then(() => true, () => false),
  markRunning: (sk) => store.markRunning(sk, 'jr_2', T).then(() => true, () => false),
  followAttempt: (sk) => store.followAttempt(sk, ['jr_1'], 'jr_2'),
  announceLate: (sk) => store.markLateAnnounced(sk, T),
  close: async (sk) => (await store.claim(sk, TRANSITIONS.close.from, TRANSITIONS.close.to, T + 60_000, T)) !== undefined,
  rememberFailure: (sk) => store.rememberFailure(sk, ['failureMailed']).then(() => true, () => false),
};

describe('record lifecycle', () => {
  const cases = Object.entries(TRANSITIONS).flatMap(([name, t]: [string, Transition]) =>
    STATUSES.map((from) => [from, name, t.from.includes(from)] as const));

  it.each(cases)('GIVEN a %s record WHEN %s is tried THEN the write is allowed: %s', async (from, name, allowed) => {
    // GIVEN
    const record = await given(from);
    // WHEN
    const done = await WRITES[name as keyof typeof TRANSITIONS](record.sk);
    // THEN
    expect(done).toBe(allowed);
    expect(await statusOf(record.sk)).toBe(allowed ? TRANSITIONS[name as keyof typeof TRANSITIONS].to : from);
  });

  it.each(INITIAL_STATUSES)('GIVEN no record WHEN the intent is recorded as %s THEN the record starts there', async (status) => {
    // WHEN
    const record = await given(status);
    // THEN
    expect(await statusOf(record.sk)).toBe(status);
  });
});
