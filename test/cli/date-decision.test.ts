import { DateAction, DateState, decideDate, ExecutionStatus, pickLaunches } from '../../src/cli/backfill/date-decision';

const execution = (status: ExecutionStatus, redrivable = false) => ({ arn: `arn:${status}`, name: 'run-2026-11-01', status, redrivable });
const state = (status: ExecutionStatus | undefined, options: { redrivable?: boolean; attempt?: number; touched?: boolean } = {}): DateState => ({
  value: '2026-11-01',
  attempt: status ? options.attempt ?? 1 : 0,
  execution: status ? execution(status, options.redrivable) : undefined,
  touched: options.touched ?? false,
});

describe('decideDate', () => {
  test.each<[string, DateState, boolean, Partial<DateAction>]>([
    // no execution yet
    ['never started, plain', state(undefined), false, { kind: 'start', attempt: 1 }],
    ['never started, --only-failed', state(undefined), true, { kind: 'not-started' }],
    // running (also a Map Run's PENDING_REDRIVE): wait, in both modes
    ['RUNNING, plain', state('RUNNING'), false, { kind: 'wait' }],
    ['RUNNING, --only-failed', state('RUNNING'), true, { kind: 'wait' }],
    ['PENDING_REDRIVE', state('PENDING_REDRIVE'), true, { kind: 'wait' }],
    // succeeded: never again
    ['SUCCEEDED, plain', state('SUCCEEDED'), false, { kind: 'succeeded' }],
    ['SUCCEEDED, --only-failed', state('SUCCEEDED'), true, { kind: 'succeeded' }],
    // ended unsuccessfully: left as it is without --only-failed
    ['FAILED, plain', state('FAILED', { redrivable: true }), false, { kind: 'failed' }],
    ['TIMED_OUT, plain', state('TIMED_OUT'), false, { kind: 'failed' }],
    ['ABORTED, plain', state('ABORTED'), false, { kind: 'failed' }],
    // --only-failed: redrive while Step Functions allows it, else the next attempt
    ['FAILED, redrivable, --only-failed', state('FAILED', { redrivable: true }), true, { kind: 'redrive' }],
    ['TIMED_OUT, redrivable, --only-failed', state('TIMED_OUT', { redrivable: true }), true, { kind: 'redrive' }],
    ['ABORTED, redrivable, --only-failed', state('ABORTED', { redrivable: true }), true, { kind: 'redrive' }],
    ['FAILED, not redrivable (past 14 days), --only-failed', state('FAILED'), true, { kind: 'start', attempt: 2 }],
    ['attempt 2 FAILED, not redrivable, --only-failed', state('FAILED', { attempt: 2 }), true, { kind: 'start', attempt: 3 }],
    ['attempt 99 FAILED, not redrivable, --only-failed: no name left', state('FAILED', { attempt: 99 }), true, { kind: 'failed' }],
    // rerun once per invocation: a rerun that fails again is final
    ['redriven by this run, FAILED again', state('FAILED', { redrivable: true, touched: true }), true, { kind: 'failed' }],
    ['started by this run, FAILED', state('FAILED', { touched: true }), true, { kind: 'failed' }],
  ])('%s', (_, given, onlyFailed, expected) => {
    expect(decideDate(given, { onlyFailed })).toMatchObject(expected);
  });

  test('a failure found from before tells how to rerun it', () => {
    expect(decideDate(state('FAILED'), { onlyFailed: false })).toEqual({ kind: 'failed', why: 'ended unsuccessfully before; rerun it with --only-failed' });
  });
});

describe('pickLaunches: at most maxConcurrent of the backfill\'s executions running', () => {
  const start: DateAction = { kind: 'start', attempt: 1 };
  const redrive: DateAction = { kind: 'redrive' };
  const wait: DateAction = { kind: 'wait' };
  const done: DateAction = { kind: 'succeeded' };
  test.each<[string, Array<[ExecutionStatus | undefined, DateAction]>, number, boolean, number[]]>([
    ['nothing running: the first three', [[undefined, start], [undefined, start], [undefined, start], [undefined, start]], 3, false, [0, 1, 2]],
    ['two running (from an earlier run too): one more', [['RUNNING', wait], ['RUNNING', wait], [undefined, start], [undefined, start]], 3, false, [2]],
    ['three running: none', [['RUNNING', wait], ['RUNNING', wait], ['RUNNING', wait], [undefined, start]], 3, false, []],
    ['more running than allowed (an earlier run with a higher limit): none', [['RUNNING', wait], ['RUNNING', wait], [undefined, start]], 1, false, []],
    ['finished dates do not count', [['SUCCEEDED', done], ['FAILED', redrive], [undefined, start]], 1, false, [1]],
    ['redrives and starts in date order', [['FAILED', redrive], [undefined, start], ['TIMED_OUT', redrive]], 2, false, [0, 1]],
    ['stopping (Ctrl-C): none', [[undefined, start]], 3, true, []],
  ])('%s', (_, dates, max, stopping, expected) => {
    const states = dates.map(([status]) => state(status));
    expect(pickLaunches(states, dates.map(([, a]) => a), max, stopping)).toEqual(expected);
  });
});
