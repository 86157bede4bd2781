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
