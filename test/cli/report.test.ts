import { DateAction, DateState } from '../../src/cli/backfill/date-decision';
import { duration, Progress, statusLine, summaryLines } from '../../src/cli/backfill/report';

const arn = (name: string) => `arn:aws:states:eu-west-1:123456789012:execution:Orders:${name}`;
const state = (value: string, status?: 'RUNNING' | 'SUCCEEDED' | 'FAILED'): DateState => ({
  value,
  attempt: status ? 1 : 0,
  execution: status ? { arn: arn(`run-${value}`), name: `run-${value}`, status, redrivable: false } : undefined,
  touched: false,
});

describe('Progress', () => {
  test('on a terminal: the status line is redrawn in place, and cleared before a change line', () => {
    const written: string[] = [];
    const progress = new Progress({ write: (t) => void written.push(t), isTTY: true });
    progress.status('[0/2 done]');
    progress.status('[1/2 done]');
    progress.line('2026-11-01  SUCCEEDED run-2026-11-01');
    expect(written).toEqual(['\r\x1b[K[0/2 done]', '\r\x1b[K[1/2 done]', '\r\x1b[K', '2026-11-01  SUCCEEDED run-2026-11-01\n']);
  });

  test('in CI (no terminal): change lines only, no status line and no escape codes', () => {
    const written: string[] = [];
    const progress = new Progress({ write: (t) => void written.push(t) });
    progress.status('[0/2 done]');
    progress.line('2026-11-01  started run-2026-11-01');
    progress.clear();
    expect(written).toEqual(['2026-11-01  started run-2026-11-01\n']);
  });
});

test('statusLine counts the dates where they are', () => {
  const states = [state('a', 'SUCCEEDED'), state('b', 'RUNNING'), state('c', 'FAILED'), state('d')];
  const actions: DateAction[] = [{ kind: 'succeeded' }, { kind: 'wait' }, { kind: 'failed', why: 'x' }, { kind: 'start', attempt: 1 }];
  expect(statusLine(states, actions)).toBe('[2/4 done] running 1, succeeded 1, failed 1, to start 1');
});

test('summaryLines: counts by status, what the run did, and each failed date with its ARN and console page', () => {
  const states = [state('2026-11-01', 'SUCCEEDED'), state('2026-11-02', 'FAILED'), state('2026-11-03', 'RUNNING'), state('2026-11-04')];
  const actions: DateAction[] = [{ kind: 'succeeded' }, { kind: 'failed', why: 'x' }, { kind: 'wait' }, { kind: 'start', attempt: 1 }];
  expect(summaryLines(states, actions, { started: 2, redriven: 0, existed: 1 }, true)).toEqual([
    '',
    'Interrupted: started nothing more. Backfill of 4 dates: 1 SUCCEEDED, 1 FAILED, 1 RUNNING, 1 NOT STARTED',
    'This run: 2 started, 0 redriven, 1 found already started',
    'Did not succeed (rerun them with --only-failed):',
    `  2026-11-02  FAILED  ${arn('run-2026-11-02')}`,
    `      https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${arn('run-2026-11-02')}`,
    'Still running, left alone:',
    `  2026-11-03  ${arn('run-2026-11-03')}`,
    'Not started: 2026-11-04',
  ]);
});

test.each<[number, string]>([[0, '0s'], [45_000, '45s'], [365_000, '6m 05s'], [3_720_000, '1h 02m']])('duration(%d) is %s', (ms, text) => {
  expect(duration(ms)).toBe(text);
});
