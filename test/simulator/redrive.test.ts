import type { ExecutionReport } from '../../simulator/execution';
import { notRedrivableReason, REDRIVABLE_PERIOD_SECONDS, redrivableExecution } from '../../simulator/redrive';
import { REDRIVE_WINDOW_SECONDS } from '../../src/shared/timing-policy';

const DAY = 86_400;
const ENDED_AT = 1000;

describe('notRedrivableReason: which executions RedriveExecution refuses (simulated seconds)', () => {
  it.each<[ExecutionReport['status'], number, string | undefined]>([
    ['RUNNING', ENDED_AT, 'Execution is RUNNING and cannot be redriven.'],
    ['SUCCEEDED', ENDED_AT + DAY, 'Execution is SUCCEEDED and cannot be redriven.'],
    ['FAILED', ENDED_AT + DAY, undefined],
    ['TIMED_OUT', ENDED_AT + DAY, undefined],
    ['ABORTED', ENDED_AT + DAY, undefined],
    ['FAILED', ENDED_AT + 14 * DAY, undefined],
    ['FAILED', ENDED_AT + 14 * DAY + 1, 'Execution redrivable period exceeded.'],
    ['ABORTED', ENDED_AT + 15 * DAY, 'Execution redrivable period exceeded.'],
  ])('GIVEN an execution %s WHEN redriven at %p THEN the reason is %p', (status, now, reason) => {
    const endedAt = status === 'RUNNING' ? undefined : ENDED_AT;
    expect(notRedrivableReason({ status, endedAt }, now)).toBe(reason);
  });

  it('GIVEN the library\'s redrive window WHEN compared with the stand-in\'s THEN both are Step Functions\' 14 days', () => {
    expect(REDRIVABLE_PERIOD_SECONDS).toBe(14 * DAY);
    expect(REDRIVE_WINDOW_SECONDS).toBe(REDRIVABLE_PERIOD_SECONDS);
  });
});

describe('redrivableExecution: the service\'s errors', () => {
  const failed: ExecutionReport = { executionArn: 'arn:aws:states:us-east-1:123456789012:execution:sm:e1', status: 'FAILED', startedAt: 0, endedAt: ENDED_AT, states: [] };
  it('GIVEN an unknown execution WHEN redriven THEN ExecutionDoesNotExist names it', () => {
    expect(() => redrivableExecution([failed], 'arn:aws:states:us-east-1:123456789012:execution:sm:nope', ENDED_AT))
      .toThrow(expect.objectContaining({ name: 'ExecutionDoesNotExist', message: expect.stringContaining(':execution:sm:nope') }));
  });
  it('GIVEN a succeeded execution WHEN redriven THEN ExecutionNotRedrivable says why', () => {
    expect(() => redrivableExecution([{ ...failed, status: 'SUCCEEDED' }], failed.executionArn, ENDED_AT))
      .toThrow(expect.objectContaining({ name: 'ExecutionNotRedrivable', message: expect.stringContaining('SUCCEEDED and cannot be redriven') }));
  });
  it('GIVEN a failed execution within 14 days WHEN redriven THEN it is the one returned', () => {
    expect(redrivableExecution([failed], failed.executionArn, ENDED_AT + DAY)).toBe(failed);
  });
});
