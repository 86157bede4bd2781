import {
  logicalDateOf, readScheduledStart, SCHEDULED_START_SOURCE, ScheduledStartError, scheduledInput,
} from '../../src/shared/scheduled-start';

const at = (iso: string) => Date.parse(iso);

describe('logicalDateOf', () => {
  test.each([
    // scheduled for (UTC)           time zone             period  back  logical date
    ['2026-12-01T02:00:00Z', 'UTC', 'DAY', 1, '2026-11-30'],
    ['2026-12-01T02:00:00Z', 'UTC', 'DAY', 0, '2026-12-01'],
    ['2026-01-01T00:30:00Z', 'UTC', 'DAY', 1, '2025-12-31'],
    ['2028-03-01T05:00:00Z', 'UTC', 'DAY', 1, '2028-02-29'],
    // 02:00 in Sao Paulo is 05:00 UTC; 23:30 in Los Angeles is the next day in UTC.
    ['2026-12-01T05:00:00Z', 'America/Sao_Paulo', 'DAY', 1, '2026-11-30'],
    ['2026-12-01T07:30:00Z', 'America/Los_Angeles', 'DAY', 0, '2026-11-30'],
    ['2026-12-01T07:30:00Z', 'America/Los_Angeles', 'DAY', 1, '2026-11-29'],
    // Tokyo is ahead: 01:00 on the 1st there is still the 30th in UTC.
    ['2026-11-30T16:00:00Z', 'Asia/Tokyo', 'DAY', 0, '2026-12-01'],
    // The day after the clocks go forward in Europe (a 23-hour day) is still one day back.
    ['2026-03-30T01:00:00Z', 'Europe/Lisbon', 'DAY', 1, '2026-03-29'],
    ['2026-12-01T02:00:00Z', 'UTC', 'HOUR', 1, '2026-12-01T01'],
    ['2026-12-01T00:15:00Z', 'UTC', 'HOUR', 1, '2026-11-30T23'],
    ['2026-12-01T00:15:00Z', 'Asia/Kolkata', 'HOUR', 0, '2026-12-01T05'],
    ['2026-12-01T00:15:00Z', 'Asia/Kolkata', 'HOUR', 2, '2026-12-01T03'],
  ] as const)('%s in %s, %s back %d: %s', (scheduled, zone, period, back, want) => {
    expect(logicalDateOf(at(scheduled), zone, period, back)).toBe(want);
  });
});

describe('readScheduledStart', () => {
  const good = {
    source: SCHEDULED_START_SOURCE,
    scheduledTime: '2026-12-01T02:00:00Z',
    timeZone: 'Europe/Lisbon',
    period: 'DAY',
    periodsBack: 1,
    dateField: 'runDate',
    input: { region: 'eu' },
    namePrefix: 'nightly',
  };

  test('reads a payload the construct writes', () => {
    expect(readScheduledStart(good)).toEqual(good);
  });

  test.each([
    [{ source: 'aws.glue' }],
    [{}],
    [null],
    ['text'],
  ])('not a schedule payload: %j', (event) => {
    expect(readScheduledStart(event)).toBeUndefined();
  });

  test.each([
    ['scheduledTime', '<aws.scheduler.scheduled-time>'],
    ['scheduledTime', undefined],
    ['timeZone', 'Mars/Olympus'],
    ['period', 'WEEK'],
    ['periodsBack', -1],
    ['periodsBack', 1.5],
    ['dateField', ''],
    ['input', []],
    ['input', 'x'],
    ['namePrefix', ''],
  ])('a payload with a bad %s (%j) is an error naming it', (field, value) => {
    const read = readScheduledStart({ ...good, [field]: value });
    expect(read).toBeInstanceOf(ScheduledStartError);
    expect((read as Error).message).toContain(`"${field}"`);
  });
});

test('scheduledInput puts the logical date in its field, over the same field of the input', () => {
  const start = readScheduledStart({
    source: SCHEDULED_START_SOURCE,
    scheduledTime: '2026-12-01T02:00:00Z',
    timeZone: 'UTC',
    period: 'DAY',
    periodsBack: 1,
    dateField: 'runDate',
    input: { runDate: 'stale', mode: 'full' },
    namePrefix: 'nightly',
  });
  expect(scheduledInput(start as never, '2026-11-30')).toEqual({ runDate: '2026-11-30', mode: 'full' });
});

describe('logicalDateOf, an hourly cron schedule across the clock changes', () => {
  // Scheduler runs a cron schedule once per wall-clock time: in Lisbon on 2026-10-25 the clocks go
  // back at 02:00 (01:00 WEST, 01:00 UTC) to 01:00 (WET), and 01:00 runs once; on 2026-03-29 they
  // go forward at 01:00 (WET) to 02:00 (WEST), and 01:00 does not exist.
  // Local 00:00 (UTC+1), 01:00 (the first, UTC+1), 02:00 (UTC+0), 03:00, 04:00.
  const autumn = ['2026-10-24T23:00:00Z', '2026-10-25T00:00:00Z', '2026-10-25T02:00:00Z', '2026-10-25T03:00:00Z', '2026-10-25T04:00:00Z'];
  // Local 00:00 (UTC+0), 02:00 (UTC+1), 03:00, 04:00.
  const spring = ['2026-03-29T00:00:00Z', '2026-03-29T01:00:00Z', '2026-03-29T02:00:00Z', '2026-03-29T03:00:00Z'];

  test.each([0, 1, 2, 3])('autumn, %d hours back: consecutive runs name consecutive hours, none twice, none skipped', (back) => {
    const names = autumn.map((t) => logicalDateOf(at(t), 'Europe/Lisbon', 'HOUR', back));
    const hours = ['00', '01', '02', '03', '04'].map((h) => `2026-10-25T${h}`);
    const want = hours.map((label) => {
      const d = new Date(`${label}:00:00Z`);
      d.setUTCHours(d.getUTCHours() - back);
      return d.toISOString().slice(0, 13);
    });
    expect(names).toEqual(want);
    expect(new Set(names).size).toBe(names.length);
  });

  test.each([0, 1, 2, 3])('spring, %d hours back: no two runs name the same hour', (back) => {
    const names = spring.map((t) => logicalDateOf(at(t), 'Europe/Lisbon', 'HOUR', back));
    expect(new Set(names).size).toBe(names.length);
    // The run at 02:00 is for the hour `back` before on the clock, 01:00 included (it had no data).
    expect(names[1]).toBe(back === 0 ? '2026-03-29T02' : back === 1 ? '2026-03-29T01' : back === 2 ? '2026-03-29T00' : '2026-03-28T23');
  });

  test('two hours back from local 02:00 and 03:00 in autumn are local 00:00 and 01:00', () => {
    expect(logicalDateOf(at('2026-10-25T02:00:00Z'), 'Europe/Lisbon', 'HOUR', 2)).toBe('2026-10-25T00');
    expect(logicalDateOf(at('2026-10-25T03:00:00Z'), 'Europe/Lisbon', 'HOUR', 2)).toBe('2026-10-25T01');
  });
});
