import {
  checkNamesFit, checkRunValue, executionArnOf, executionNameFor, logicalDatesBetween, LogicalDateError, parseLogicalDate,
} from '../../src/shared/logical-date';

describe('logicalDatesBetween', () => {
  test.each<[string, string, string, string[]]>([
    ['one day', '2026-11-24', '2026-11-24', ['2026-11-24']],
    ['days across a month end', '2026-01-30', '2026-02-02', ['2026-01-30', '2026-01-31', '2026-02-01', '2026-02-02']],
    ['a leap day', '2028-02-28', '2028-03-01', ['2028-02-28', '2028-02-29', '2028-03-01']],
    ['days across a year end', '2026-12-31', '2027-01-01', ['2026-12-31', '2027-01-01']],
    ['hours across midnight', '2026-11-24T22', '2026-11-25T01', ['2026-11-24T22', '2026-11-24T23', '2026-11-25T00', '2026-11-25T01']],
  ])('%s: %s to %s', (_, from, to, expected) => {
    expect(logicalDatesBetween(from, to)).toEqual(expected);
  });

  test('30 days in November', () => {
    const dates = logicalDatesBetween('2026-11-01', '2026-11-30');
    expect(dates).toHaveLength(30);
    expect([dates[0], dates[29]]).toEqual(['2026-11-01', '2026-11-30']);
  });

  test.each<[string, string, string, RegExp]>([
    ['a date in another format', '24/11/2026', '2026-11-30', /"24\/11\/2026" is not a logical date: write a day as YYYY-MM-DD/],
    ['a day that does not exist', '2026-02-29', '2026-03-01', /"2026-02-29" is not a date of the calendar: check the month, the day/],
    ['month 13', '2026-13-01', '2026-13-02', /"2026-13-01" is not a date of the calendar/],
    ['hour 24', '2026-11-24T24', '2026-11-25T01', /"2026-11-24T24" is not a date of the calendar: .*the hour \(00-23\)/],
    ['minutes', '2026-11-24T05:00', '2026-11-24T06:00', /"2026-11-24T05:00" is not a logical date: .*YYYY-MM-DDTHH/],
    ['a day and an hour', '2026-11-24', '2026-11-25T01', /"2026-11-24" is a day and "2026-11-25T01" an hour: give both ends as days/],
    ['the end before the start', '2026-11-30', '2026-11-01', /the range starts at "2026-11-30", after its end "2026-11-01": give the earlier date first/],
    ['too many dates', '2000-01-01', '2030-01-01', /holds 10959 days, more than 10000: split it into smaller ranges/],
  ])('refuses %s', (_, from, to, message) => {
    expect(() => logicalDatesBetween(from, to)).toThrow(LogicalDateError);
    expect(() => logicalDatesBetween(from, to)).toThrow(message);
  });
});

describe('parseLogicalDate', () => {
  test.each<[string, string, number]>([
    ['2026-11-24', 'day', Date.UTC(2026, 10, 24)],
    ['2026-11-24T05', 'hour', Date.UTC(2026, 10, 24, 5)],
  ])('%s is a %s', (text, granularity, startMs) => {
    expect(parseLogicalDate(text)).toEqual({ granularity, startMs });
  });
});

describe('executionNameFor', () => {
  test.each<[string, string | undefined, number | undefined, string]>([
    ['2026-11-24', undefined, undefined, 'run-2026-11-24'],
    ['2026-11-24T05', undefined, undefined, 'run-2026-11-24T05'],
    ['2026-11-24', 'orders', 1, 'orders-2026-11-24'],
    ['2026-11-24', 'orders', 2, 'orders-2026-11-24-attempt-2'],
    ['eu_west', 'by-region', 99, 'by-region-eu_west-attempt-99'],
  ])('%s with prefix %s, attempt %s: %s', (value, prefix, attempt, expected) => {
    expect(executionNameFor(value, prefix, attempt)).toBe(expected);
  });

  test('the same date always gives the same name, as a schedule and a backfill need', () => {
    expect(executionNameFor('2026-11-24')).toBe(executionNameFor('2026-11-24'));
  });

  test('a name of 80 characters is allowed, 81 is not', () => {
    const prefix = 'p'.repeat(80 - '-2026-11-24'.length);
    expect(executionNameFor('2026-11-24', prefix)).toHaveLength(80);
    expect(() => executionNameFor('2026-11-24', `${prefix}x`)).toThrow(/is 81 characters, more than Step Functions' 80: use a shorter prefix or value/);
  });

  test.each<[string, string, number, RegExp]>([
    ['2026-11-24', 'my prefix', 1, /the execution name prefix "my prefix" is not allowed: use only letters, digits/],
    ['2026-11-24', '', 1, /the execution name prefix "" is not allowed/],
    ['2026/11/24', 'run', 1, /"2026\/11\/24" cannot be part of an execution name: use only letters, digits, "-" and "_"/],
    ['eu.west', 'run', 1, /"eu.west" cannot be part of an execution name/],
    ['day-attempt-2', 'run', 1, /"day-attempt-2" ends like a later attempt's name/],
    ['2026-11-24', 'run', 0, /attempt 0 of "2026-11-24" is out of range: attempts are numbered 1 to 99/],
    ['2026-11-24', 'run', 100, /attempt 100 of "2026-11-24" is out of range/],
  ])('refuses value %s, prefix "%s", attempt %d', (value, prefix, attempt, message) => {
    expect(() => executionNameFor(value, prefix, attempt)).toThrow(message);
  });

  test('checkNamesFit refuses a prefix whose last attempt would not fit', () => {
    const prefix = 'p'.repeat(80 - '-2026-11-24'.length);
    expect(() => checkNamesFit('2026-11-24', prefix)).toThrow(/attempt-99" is 91 characters/);
    expect(() => checkNamesFit('2026-11-24', 'p'.repeat(80 - '-2026-11-24-attempt-99'.length))).not.toThrow();
  });

  test('checkRunValue returns a good value as it is', () => {
    expect(checkRunValue('2026-11-24')).toBe('2026-11-24');
  });
});

describe('executionArnOf', () => {
  test.each([
    ['arn:aws:states:eu-west-1:123456789012:stateMachine:Orders', 'run-2026-11-30', 'arn:aws:states:eu-west-1:123456789012:execution:Orders:run-2026-11-30'],
    ['arn:aws-cn:states:cn-north-1:123456789012:stateMachine:Orders', 'run-2026-11-30T02', 'arn:aws-cn:states:cn-north-1:123456789012:execution:Orders:run-2026-11-30T02'],
  ])('%s, %s: %s', (stateMachineArn, name, want) => {
    expect(executionArnOf(stateMachineArn, name)).toBe(want);
  });
});
