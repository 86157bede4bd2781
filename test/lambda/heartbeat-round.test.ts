import { NOW, record, stepInput } from './fixtures';
import { heartbeatDue, lastHeartbeatAt, roundDue } from '../../src/lambda/decisions/heartbeat-round';
import { TrackingRecord } from '../../src/shared/contract';
import { heartbeatLeadMs } from '../../src/shared/timing-policy';

const MINUTE = 60_000;
const T = NOW.getTime();
const iso = (ms: number) => new Date(ms).toISOString();

/** A RUNNING record created `agoMs` before NOW whose state has the given HeartbeatSeconds. */
function tracked(agoMs: number, heartbeatSeconds = 300, overrides: Partial<TrackingRecord> = {}): TrackingRecord {
  return record(1, { createdAt: iso(T - agoMs), input: stepInput(1, { heartbeatSeconds }), ...overrides });
}

describe('heartbeatLeadMs', () => {
  it.each([
    [60_000, 240_000],
    [120_000, 360_000],
    [300_000, 720_000],
    [600_000, 1_320_000],
    [0, 120_000],
  ])('GIVEN a check interval of %i ms WHEN the lead is computed THEN it is two intervals plus two minutes: %i ms', (interval, lead) => {
    // WHEN
    const got = heartbeatLeadMs(interval);
    // THEN
    expect(got).toBe(lead);
  });
});

describe('lastHeartbeatAt', () => {
  const created = T - 10 * MINUTE;
  it.each<[string, number, number]>([
    ['no round recorded yet (0)', 0, created],
    ['a round before the record was created', created - 1, created],
    ['a round at the very time the record was created', created, created],
    ['a round one millisecond after the record was created', created + 1, created + 1],
    ['a round long after the record was created', T - MINUTE, T - MINUTE],
  ])('GIVEN %s WHEN the last heartbeat is asked THEN it is the later of creation and round', (_label, roundAt, expected) => {
    // GIVEN
    const r = record(1, { createdAt: iso(created) });
    // WHEN
    const last = lastHeartbeatAt(r, roundAt);
    // THEN
    expect(last).toBe(expected);
  });
});

describe('heartbeatDue around the boundary', () => {
  // Interval 60 s, HeartbeatSeconds 300: the lead is 240 s, so a heartbeat is due exactly when
  // more than 300 - 240 = 60 s passed since the last one.
  it.each<[string, number, boolean]>([
    ['a round just now', 0, false],
    ['a round 30 s ago', 30_000, false],
    ['a round 59.999 s ago', 59_999, false],
    ['a round exactly 60 s ago', 60_000, false],
    ['a round 60.001 s ago', 60_001, true],
    ['a round 61 s ago', 61_000, true],
    ['a round 2 minutes ago', 120_000, true],
    ['a round 10 minutes ago (deadline already passed)', 600_000, true],
  ])('GIVEN a 1-minute interval, HeartbeatSeconds 300 and %s WHEN asked THEN due is %s', (_label, roundAgo, due) => {
    // GIVEN a record created long ago: the round is its last heartbeat
    const r = tracked(3_600_000);
    // WHEN
    const got = heartbeatDue(r, T - roundAgo, T, MINUTE);
    // THEN
    expect(got).toBe(due);
  });

  it.each<[string, number, boolean]>([
    ['created just now', 0, false],
    ['created exactly 60 s ago', 60_000, false],
    ['created 60.001 s ago', 60_001, true],
  ])('GIVEN a 1-minute interval, no round yet and a record %s WHEN asked THEN due is %s: its creation counts as its last heartbeat', (_label, ago, due) => {
    // GIVEN
    const r = tracked(ago);
    // WHEN
    const got = heartbeatDue(r, 0, T, MINUTE);
    // THEN
    expect(got).toBe(due);
  });

  it.each<[string, number, number]>([
    ['a round just now', 0, 0],
    ['a record created just now and a round just now', 0, 0],
    ['a round 1 s ago', 1_000, 3_600_000],
    ['a round 4 minutes ago', 240_000, 3_600_000],
  ])('GIVEN a 5-minute interval (lead 720 s > HeartbeatSeconds 300) and %s WHEN asked THEN a heartbeat is due: every sweep sends one', (_label, roundAgo, createdAgo) => {
    // GIVEN
    const r = tracked(createdAgo);
    // WHEN
    const got = heartbeatDue(r, T - roundAgo, T, 5 * MINUTE);
    // THEN
    expect(got).toBe(true);
  });

  it.each<[number, number, number, boolean]>([
    // interval, HeartbeatSeconds, ms since the last heartbeat, due
    [2 * MINUTE, 420, 60_000, false],
    [2 * MINUTE, 420, 60_001, true],
    [MINUTE, 3600, 3_360_000, false],
    [MINUTE, 3600, 3_360_001, true],
    [10 * MINUTE, 1380, 60_000, false],
    [10 * MINUTE, 1380, 60_001, true],
    [10 * MINUTE, 3600, 2_280_000, false],
    [10 * MINUTE, 3600, 2_280_001, true],
  ])('GIVEN interval %i ms, HeartbeatSeconds %i and %i ms since the last heartbeat WHEN asked THEN due is %s', (interval, heartbeatSeconds, since, due) => {
    // GIVEN
    const r = tracked(3_600_000 * 24, heartbeatSeconds);
    // WHEN
    const got = heartbeatDue(r, T - since, T, interval);
    // THEN
    expect(got).toBe(due);
  });

  it('GIVEN a round recorded later than the clock reads (clock skew between invocations) WHEN asked at a 1-minute interval THEN no heartbeat is due', () => {
    // GIVEN
    const r = tracked(3_600_000);
    // WHEN
    const got = heartbeatDue(r, T + 5_000, T, MINUTE);
    // THEN
    expect(got).toBe(false);
  });
});

describe('roundDue', () => {
  const ROUND_30S_AGO = T - 30_000;
  const notDue = (n: number) => record(n, { createdAt: iso(T - 3_600_000) });
  /** A step with a shorter HeartbeatSeconds: 30 s after the round, 230 s are left of its 260 s, under the 240 s lead. */
  const dueSooner = (n: number) => record(n, { createdAt: iso(T - 3_600_000), input: stepInput(n, { heartbeatSeconds: 260 }) });

  it('GIVEN no records WHEN asked THEN no round is due', () => {
    // WHEN / THEN
    expect(roundDue([], 0, T, MINUTE)).toBe(false);
  });

  it('GIVEN records that all had a heartbeat 30 s ago WHEN asked at a 1-minute interval THEN no round is due', () => {
    // WHEN
    const due = roundDue([notDue(1), notDue(2), notDue(3)], ROUND_30S_AGO, T, MINUTE);
    // THEN
    expect(due).toBe(false);
  });

  it.each([0, 1, 2])('GIVEN three records of which only the one at index %i is due (shorter HeartbeatSeconds) WHEN asked THEN a round is due', (index) => {
    // GIVEN
    const records = [notDue(1), notDue(2), notDue(3)];
    records[index] = dueSooner(index + 1);
    // WHEN
    const due = roundDue(records, ROUND_30S_AGO, T, MINUTE);
    // THEN
    expect(due).toBe(true);
  });

  it('GIVEN a step whose HeartbeatSeconds leaves exactly the lead after the round WHEN asked THEN no round is due yet', () => {
    // GIVEN 30 s after the round, 240 s are left of 270 s: not under the 240 s lead
    const records = [notDue(1), record(2, { createdAt: iso(T - 3_600_000), input: stepInput(2, { heartbeatSeconds: 270 }) })];
    // WHEN
    const due = roundDue(records, ROUND_30S_AGO, T, MINUTE);
    // THEN
    expect(due).toBe(false);
  });

  it('GIVEN the only due record is CLOSING WHEN asked THEN no round is due: its task is being reported, not heartbeated', () => {
    // GIVEN
    const closing = { ...dueSooner(1), status: 'CLOSING' as const };
    // WHEN
    const due = roundDue([closing, notDue(2)], ROUND_30S_AGO, T, MINUTE);
    // THEN
    expect(heartbeatDue(closing, ROUND_30S_AGO, T, MINUTE)).toBe(true);
    expect(due).toBe(false);
  });

  it.each<[string, boolean, TrackingRecord[]]>([
    ['a CLOSING record long overdue, alone', false, [record(1, { status: 'CLOSING', createdAt: iso(T - 3_600_000) })]],
    ['a CLOSING record long overdue and a RUNNING one not due', false, [
      record(1, { status: 'CLOSING', createdAt: iso(T - 3_600_000) }),
      record(2, { createdAt: iso(T - 10_000) }),
    ]],
    ['a CLOSING record and a RUNNING one overdue', true, [
      record(1, { status: 'CLOSING', createdAt: iso(T - 10_000) }),
      record(2, { createdAt: iso(T - 3_600_000) }),
    ]],
    ['a STARTING record overdue', true, [record(1, { status: 'STARTING', runId: undefined, createdAt: iso(T - 3_600_000) })]],
    ['a record without its task input (damaged), overdue', false, [{ ...record(1, { createdAt: iso(T - 3_600_000) }), input: undefined } as unknown as TrackingRecord]],
  ])('GIVEN %s and no round yet WHEN asked at a 1-minute interval THEN round due is %s', (_label, expected, records) => {
    // WHEN
    const due = roundDue(records, 0, T, MINUTE);
    // THEN
    expect(due).toBe(expected);
  });
});

/**
 * The safety property behind the lead: with HeartbeatSeconds = 2 * interval + 180 s (what the
 * construct sets), sweeps every interval of which one in a row may be lost, and the round
 * recorded at the sweep's start, no task goes longer than HeartbeatSeconds - 60 s between two
 * heartbeats (counting its creation as the first). So a heartbeat sent up to 60 s after its
 * sweep started still arrives before the state's deadline.
 */
describe('heartbeat rounds keep every task alive', () => {
  const SWEEPS = 10;
  /** Offsets (ms after the sweep grid point T) at which tasks are created, within an interval. */
  const creationOffsets = (interval: number) => [...new Set([
    0, 1, 1_000, 30_000, 59_999, 60_000, 60_001, 90_000,
    interval / 2, interval - 60_001, interval - 60_000, interval - 59_999, interval - 30_000, interval - 1,
  ])].filter((o) => o >= 0 && o < interval);

  interface Simulated {
    /** Per record: the longest time between two heartbeats, its creation counting as one. */
    readonly maxGapMs: number[];
    /** Per record: the sweep numbers (1-based) that heartbeated it. */
    readonly beatenBy: number[][];
  }

  /**
   * Sweeps at T + k * interval (k = 1..SWEEPS); `lost[k - 1]` true drops sweep k. A sweep that
   * runs sees every record created before it started, sends a round when `roundDue` says so
   * (heartbeating every record it sees) and records its start as the round time.
   */
  function simulate(intervalMs: number, createdAt: number[], lost: readonly boolean[]): Simulated {
    const heartbeatSeconds = (2 * intervalMs + 180_000) / 1000;
    const records = createdAt.map((at, i) => record(i + 1, { createdAt: iso(at), input: stepInput(i + 1, { heartbeatSeconds }) }));
    const lastBeat = [...createdAt];
    const maxGapMs = createdAt.map(() => 0);
    const beatenBy: number[][] = createdAt.map(() => []);
    let roundAt = 0;
    for (let k = 1; k <= lost.length; k++) {
      const sweepAt = T + k * intervalMs;
      if (lost[k - 1]) {
        continue;
      }
      const seen = records.map((_, i) => i).filter((i) => createdAt[i] < sweepAt);
      // Measured at every sweep that runs, so a task never heartbeated again cannot pass.
      for (const i of seen) {
        maxGapMs[i] = Math.max(maxGapMs[i], sweepAt - lastBeat[i]);
      }
      if (roundDue(seen.map((i) => records[i]), roundAt, sweepAt, intervalMs)) {
        for (const i of seen) {
          lastBeat[i] = sweepAt;
          beatenBy[i].push(k);
        }
        roundAt = sweepAt;
      }
    }
    return { maxGapMs, beatenBy };
  }

  /** Every loss pattern of `n` sweeps with no two lost in a row and the last one run. */
  function lossPatterns(n: number): boolean[][] {
    const all: boolean[][] = [];
    const grow = (prefix: boolean[]) => {
      if (prefix.length === n) {
        if (!prefix[n - 1]) {
          all.push(prefix);
        }
        return;
      }
      grow([...prefix, false]);
      if (!prefix[prefix.length - 1]) {
        grow([...prefix, true]);
      }
    };
    grow([]);
    return all;
  }

  const INTERVALS_MIN = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

  it('GIVEN the loss patterns WHEN enumerated THEN there are as many as expected and none loses two sweeps in a row', () => {
    // WHEN
    const patterns = lossPatterns(SWEEPS);
    // THEN 10 sweeps, the last one run, no two lost in a row: Fibonacci(11) = 89
    expect(patterns).toHaveLength(89);
    expect(patterns.every((p) => p.every((l, i) => !(l && p[i + 1])) && !p[SWEEPS - 1])).toBe(true);
  });

  it.each(INTERVALS_MIN)('GIVEN a %i-minute interval, any one sweep in a row lost WHEN sweeps run THEN no task goes longer than HeartbeatSeconds - 60 s without a heartbeat', (minutes) => {
    // GIVEN
    const interval = minutes * MINUTE;
    const heartbeatMs = 2 * interval + 180_000;
    // One task created within the first interval at each offset, and one more created three intervals later.
    const offsets = creationOffsets(interval);
    let worst = 0;
    let simulations = 0;
    // WHEN
    for (const lost of lossPatterns(SWEEPS)) {
      for (const offset of offsets) {
        const { maxGapMs } = simulate(interval, [T + offset, T + 3 * interval + (interval - 1 - offset)], lost);
        worst = Math.max(worst, ...maxGapMs);
        simulations++;
      }
    }
    // THEN
    expect(simulations).toBe(89 * offsets.length);
    expect(worst).toBeLessThanOrEqual(heartbeatMs - 60_000);
    // The worst case is two intervals and at most a minute: a sweep lost right after a sweep that found nothing due.
    expect(worst).toBeGreaterThan(2 * interval);
    expect(worst).toBeLessThanOrEqual(2 * interval + 60_000);
  });

  it('GIVEN two sweeps lost in a row (beyond what is planned for) WHEN sweeps run at a 10-minute interval THEN the simulation does see a late heartbeat', () => {
    // GIVEN sweeps 3 and 4 lost after sweep 2 sent a round
    const interval = 10 * MINUTE;
    const lost = [false, false, true, true, false, false];
    // WHEN
    const { maxGapMs } = simulate(interval, [T + 1_000], lost);
    // THEN 30 minutes since the last round > HeartbeatSeconds (1380 s) - 60 s
    expect(maxGapMs[0]).toBe(3 * interval);
    expect(maxGapMs[0]).toBeGreaterThan(1_380_000 - 60_000);
  });

  it('GIVEN a 1-minute interval and no sweep lost WHEN sweeps run THEN a round goes out every other sweep', () => {
    // WHEN
    const { beatenBy } = simulate(MINUTE, [T + 1_000], new Array(SWEEPS).fill(false));
    // THEN
    expect(beatenBy[0]).toEqual([2, 4, 6, 8, 10]);
  });

  it.each([2, 5, 10])('GIVEN a %i-minute interval and no sweep lost WHEN sweeps run THEN a round goes out every sweep', (minutes) => {
    // WHEN
    const { beatenBy } = simulate(minutes * MINUTE, [T + 1_000], new Array(SWEEPS).fill(false));
    // THEN
    expect(beatenBy[0]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('GIVEN two tasks created at different times WHEN a round goes out THEN both are heartbeated together (one round, not one per task)', () => {
    // GIVEN a 1-minute interval: task 1 is due at sweep 2, task 2 (created at 1:30) is not yet
    const { beatenBy } = simulate(MINUTE, [T + 1_000, T + 90_000], [false, false, false, false]);
    // THEN both are beaten by sweep 2's round, then together every other sweep
    expect(beatenBy).toEqual([[2, 4], [2, 4]]);
  });
});
