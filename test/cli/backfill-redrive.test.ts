import {
  DescribeExecutionCommand, ExecutionAlreadyExists, ExecutionDoesNotExist, ExecutionNotRedrivable, RedriveExecutionCommand, SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { ExitCode } from '../../src/cli/exit-codes';
import { main } from '../../src/cli/glue-pipeline';

const SM = 'arn:aws:states:eu-west-1:123456789012:stateMachine:Orders';
const arnOf = (name: string) => `arn:aws:states:eu-west-1:123456789012:execution:Orders:${name}`;
const sfn = mockClient(SFNClient);

/** The CLI in-process with a mocked client; every sleep returns at once. */
async function cli(...args: string[]) {
  const text: string[] = [];
  const out = { write: (t: string) => void text.push(t) };
  const code = await main(['backfill', '--state-machine-arn', SM, ...args], {
    sfnClient: () => new SFNClient({ region: 'eu-west-1' }),
    out,
    err: out,
    sleep: async () => undefined,
    interrupt: new AbortController().signal,
  });
  return { code, output: text.join('') };
}

const described = (name: string, status: string, extra: Record<string, unknown> = {}) => ({
  executionArn: arnOf(name), stateMachineArn: SM, name, status, startDate: new Date(0), ...extra,
});

beforeEach(() => sfn.reset());

test('GIVEN a date whose execution FAILED and is REDRIVABLE WHEN --only-failed THEN RedriveExecution of its ARN, no new execution, exit 0 once it succeeds', async () => {
  // GIVEN
  let redriven = false;
  sfn.on(DescribeExecutionCommand).callsFake(({ executionArn }) => {
    if (executionArn !== arnOf('run-2026-11-01')) {
      throw new ExecutionDoesNotExist({ message: 'no', $metadata: {} });
    }
    return redriven
      ? described('run-2026-11-01', 'SUCCEEDED', { redriveCount: 1, redriveStatus: 'NOT_REDRIVABLE' })
      : described('run-2026-11-01', 'FAILED', { redriveStatus: 'REDRIVABLE' });
  });
  sfn.on(RedriveExecutionCommand).callsFake(() => {
    redriven = true;
    return { redriveDate: new Date() };
  });
  // WHEN
  const { code, output } = await cli('--dates', '2026-11-01', '--only-failed');
  // THEN
  expect(code).toBe(ExitCode.SUCCEEDED);
  expect(sfn.commandCalls(RedriveExecutionCommand).map((c) => c.args[0].input.executionArn)).toEqual([arnOf('run-2026-11-01')]);
  expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  expect(output).toContain('2026-11-01  redriven run-2026-11-01 (was FAILED)');
  expect(output).toContain('This run: 0 started, 1 redriven');
});

test('GIVEN Step Functions refuses the redrive (ExecutionNotRedrivable) WHEN --only-failed THEN the date starts again as attempt 2', async () => {
  // GIVEN DescribeExecution says REDRIVABLE first, then no longer
  let reads = 0;
  sfn.on(DescribeExecutionCommand).callsFake(({ executionArn }) => {
    if (executionArn === arnOf('run-2026-11-01')) {
      reads++;
      return described('run-2026-11-01', 'FAILED', reads === 1
        ? { redriveStatus: 'REDRIVABLE' }
        : { redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution redrivable period exceeded' });
    }
    if (executionArn === arnOf('run-2026-11-01-attempt-2') && sfn.commandCalls(StartExecutionCommand).length > 0) {
      return described('run-2026-11-01-attempt-2', 'SUCCEEDED');
    }
    throw new ExecutionDoesNotExist({ message: 'no', $metadata: {} });
  });
  sfn.on(RedriveExecutionCommand).rejects(new ExecutionNotRedrivable({ message: 'too old', $metadata: {} }));
  sfn.on(StartExecutionCommand).callsFake(({ name }) => ({ executionArn: arnOf(name), startDate: new Date() }));
  // WHEN
  const { code, output } = await cli('--dates', '2026-11-01', '--only-failed');
  // THEN
  expect(code).toBe(ExitCode.SUCCEEDED);
  expect(sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input)).toEqual([
    { stateMachineArn: SM, name: 'run-2026-11-01-attempt-2', input: '{"runDate":"2026-11-01"}' },
  ]);
  expect(output).toContain('run-2026-11-01 cannot be redriven (Execution redrivable period exceeded)');
});

test('GIVEN an execution of the name exists with another input WHEN the backfill starts it THEN it is not started again, and the output says so', async () => {
  // GIVEN
  sfn.on(DescribeExecutionCommand).callsFakeOnce(() => {
    throw new ExecutionDoesNotExist({ message: 'no', $metadata: {} });
  }).callsFake(() => described('run-2026-11-01', 'SUCCEEDED', { input: '{"runDate":"2026-11-01","full":true}' }));
  sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
  // WHEN
  const { code, output } = await cli('--dates', '2026-11-01');
  // THEN
  expect(code).toBe(ExitCode.SUCCEEDED);
  expect(output).toContain('2026-11-01  run-2026-11-01 exists already (SUCCEEDED) with another input: not started again');
  expect(output).toContain('This run: 0 started, 0 redriven, 1 found already started');
});

test('GIVEN Step Functions refuses access WHEN the backfill runs THEN it stops with exit 3 and says why', async () => {
  sfn.on(DescribeExecutionCommand).rejects(Object.assign(new Error('User is not authorized to perform: states:DescribeExecution'), { name: 'AccessDeniedException' }));
  const { code, output } = await cli('--dates', '2026-11-01');
  expect(code).toBe(ExitCode.STOPPED_ON_ERROR);
  expect(output).toContain('stopped, a Step Functions call failed: AccessDeniedException: User is not authorized');
});

test('GIVEN a bad command line THEN exit 2 with the usage, and no call', async () => {
  const { code, output } = await cli('--from', '2026-11-30', '--to', '2026-11-01');
  expect(code).toBe(ExitCode.USAGE);
  expect(output).toContain('the range starts at "2026-11-30", after its end "2026-11-01"');
  expect(output).toContain('Usage: glue-pipeline backfill');
  expect(sfn.calls()).toHaveLength(0);
});

test('GIVEN a call fails past the SDK\'s retries after a start WHEN the backfill stops THEN its summary names what it started, still running', async () => {
  // GIVEN discovery finds nothing, the start works, then reading fails
  sfn.on(DescribeExecutionCommand).callsFake(() => {
    if (sfn.commandCalls(StartExecutionCommand).length === 0) {
      throw new ExecutionDoesNotExist({ message: 'no', $metadata: {} });
    }
    throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $retryable: { throttling: true } });
  });
  sfn.on(StartExecutionCommand).callsFake(({ name }) => ({ executionArn: arnOf(name), startDate: new Date() }));
  // WHEN
  const { code, output } = await cli('--dates', '2026-11-01');
  // THEN
  expect(code).toBe(ExitCode.STOPPED_ON_ERROR);
  expect(output).toContain('This run: 1 started');
  expect(output).toContain(`Running:\n  2026-11-01  ${arnOf('run-2026-11-01')}`);
  expect(output).toContain('stopped, a Step Functions call failed: ThrottlingException: Rate exceeded');
  expect(output).toContain('Executions already started keep running; run the same command again to go on.');
});
