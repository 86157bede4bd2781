import type { ExecutionReport } from '../../simulator/execution';
import { LocalExecutions, mostRunningAtOnce, redriveStatusOf } from '../../simulator/local-aws/sfn-executions';
import { SimClock } from '../../simulator/sim-clock';

const SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:Orders';

function service() {
  const clock = new SimClock();
  const reports: ExecutionReport[] = [];
  const launched: unknown[] = [];
  const executions = new LocalExecutions(SM, clock, () => reports, (executionArn, input) => {
    launched.push(input);
    const report: ExecutionReport = { executionArn, status: 'RUNNING', startedAt: clock.now(), states: [] };
    reports.push(report);
    return report;
  });
  return { executions, reports, launched };
}

describe('StartExecution, with Step Functions\' name rules', () => {
  test('starts an execution named as asked, its ARN built from the state machine\'s', () => {
    const { executions, launched } = service();
    const out = executions.startExecution(SM, 'run-2026-11-24', '{"runDate":"2026-11-24"}');
    expect(out.executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:Orders:run-2026-11-24');
    expect(launched).toEqual([{ runDate: '2026-11-24' }]);
  });

  test('the same name and input while it runs: the same execution, nothing new', () => {
    const { executions, launched } = service();
    const first = executions.startExecution(SM, 'run-2026-11-24', '{"runDate":"2026-11-24"}');
    expect(executions.startExecution(SM, 'run-2026-11-24', '{"runDate":"2026-11-24"}')).toEqual(first);
    expect(launched).toHaveLength(1);
  });

  test('the same name with another input while it runs: ExecutionAlreadyExists', () => {
    const { executions } = service();
    executions.startExecution(SM, 'run-2026-11-24', '{"runDate":"2026-11-24"}');
    expect(() => executions.startExecution(SM, 'run-2026-11-24', '{"runDate":"2026-11-25"}')).toThrow(expect.objectContaining({ code: 'ExecutionAlreadyExists' }));
  });

  test.each(['SUCCEEDED', 'FAILED', 'ABORTED'] as const)('the same name and input once it ended %s: ExecutionAlreadyExists', (status) => {
    const { executions, reports } = service();
    executions.startExecution(SM, 'run-2026-11-24', '{}');
    reports[0].status = status;
    expect(() => executions.startExecution(SM, 'run-2026-11-24', '{}')).toThrow(expect.objectContaining({ code: 'ExecutionAlreadyExists' }));
  });

  test.each<[string, string | undefined, string | undefined, string]>([
    ['another state machine', 'x', '{}', 'StateMachineDoesNotExist'],
    ['a name with a colon', 'run:1', '{}', 'InvalidName'],
    ['a name with a space', 'run 1', '{}', 'InvalidName'],
    ['a name of 81 characters', 'r'.repeat(81), '{}', 'InvalidName'],
    ['input that is not JSON', 'run-1', '{runDate:1}', 'InvalidExecutionInput'],
  ])('refuses %s', (what, name, input, code) => {
    const { executions } = service();
    const arn = what === 'another state machine' ? `${SM}2` : SM;
    expect(() => executions.startExecution(arn, name, input)).toThrow(expect.objectContaining({ code }));
  });
});

describe('DescribeExecution', () => {
  test('tells status, dates, input, and that a running execution cannot be redriven', () => {
    const { executions } = service();
    const { executionArn } = executions.startExecution(SM, 'run-2026-11-24', '{"runDate":"2026-11-24"}');
    expect(executions.describeExecution(executionArn)).toMatchObject({
      executionArn,
      stateMachineArn: SM,
      name: 'run-2026-11-24',
      status: 'RUNNING',
      input: '{"runDate":"2026-11-24"}',
      redriveCount: 0,
      redriveStatus: 'NOT_REDRIVABLE',
      redriveStatusReason: 'Execution is RUNNING and cannot be redriven',
    });
  });

  test('an unknown ARN: ExecutionDoesNotExist', () => {
    const { executions } = service();
    expect(() => executions.describeExecution(`${SM.replace('stateMachine', 'execution')}:nope`)).toThrow(expect.objectContaining({ code: 'ExecutionDoesNotExist' }));
  });
});

describe('redriveStatusOf', () => {
  const DAY = 24 * 3600;
  test.each<[string, number | undefined, number, boolean, Record<string, string>]>([
    ['RUNNING', undefined, 0, true, { redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution is RUNNING and cannot be redriven' }],
    ['SUCCEEDED', 0, 1, true, { redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven' }],
    ['FAILED', 0, 14 * DAY, true, { redriveStatus: 'REDRIVABLE' }],
    ['TIMED_OUT', 0, DAY, true, { redriveStatus: 'REDRIVABLE' }],
    ['ABORTED', 0, DAY, true, { redriveStatus: 'REDRIVABLE' }],
    ['FAILED', 0, 14 * DAY + 1, true, { redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution redrivable period exceeded' }],
    ['FAILED', 0, DAY, false, { redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'The simulation does not serve RedriveExecution' }],
  ])('%s, ended at %s, read at %s, redrive served %s: %o', (status, stop, now, supported, expected) => {
    expect(redriveStatusOf(status, stop, now, supported)).toEqual(expected);
  });
});

describe('mostRunningAtOnce', () => {
  const report = (startedAt: number, endedAt?: number): ExecutionReport => ({ executionArn: 'x', status: 'SUCCEEDED', startedAt, endedAt, states: [] });
  test.each<[string, ExecutionReport[], number]>([
    ['none', [], 0],
    ['one after another', [report(0, 10), report(10, 20), report(20, 30)], 1],
    ['overlapping', [report(0, 10), report(5, 15), report(6, 7)], 3],
    ['one still running', [report(0), report(5, 6), report(7, 8)], 2],
  ])('%s', (_, reports, expected) => {
    expect(mostRunningAtOnce(reports)).toBe(expected);
  });
});
