import { ExecutionAlreadyExists, GetActivityTaskCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { captureLogs, loggedLines, metricLines, resetAwsMocks, sfnMock } from './aws-mocks';
import { fakeContext, setRunnerEnv, STATE_MACHINE_ARN } from './fixtures';
import { handler } from '../../src/lambda/runner.lambda';
import { executionArnOf } from '../../src/shared/logical-date';
import { PipelineMetrics } from '../../src/shared/operations';
import { SCHEDULED_START_SOURCE } from '../../src/shared/scheduled-start';

const payload = {
  source: SCHEDULED_START_SOURCE,
  scheduledTime: '2026-12-01T02:00:00Z',
  timeZone: 'Europe/Lisbon',
  period: 'DAY',
  periodsBack: 1,
  dateField: 'runDate',
  input: { mode: 'full' },
  namePrefix: 'nightly',
};

let logs: ReturnType<typeof captureLogs>;
/** The JSON log lines, parsed. */
const logged = () => loggedLines(logs).filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
beforeEach(() => {
  setRunnerEnv();
  resetAwsMocks();
  logs = captureLogs();
});
afterEach(() => jest.restoreAllMocks());

describe('runner, invoked by a pipeline schedule', () => {
  it('GIVEN a nightly schedule WHEN it fires THEN it starts the execution named after the day before, with the date in the input, and polls nothing', async () => {
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: executionArnOf(STATE_MACHINE_ARN, 'nightly-2026-11-30'), startDate: new Date() });

    const result = await handler(payload, fakeContext(() => 300_000));

    expect(sfnMock).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: STATE_MACHINE_ARN, name: 'nightly-2026-11-30', input: JSON.stringify({ mode: 'full', runDate: '2026-11-30' }),
    });
    expect(sfnMock).not.toHaveReceivedCommand(GetActivityTaskCommand);
    expect(result).toMatchObject({ trigger: 'scheduled-start', scheduled: { outcome: 'started', logicalDate: '2026-11-30', executionName: 'nightly-2026-11-30' } });
    expect(result.start.polls).toBe(0);
  });

  it('GIVEN the date already ran (a backfill, or the schedule fired twice) WHEN the schedule fires THEN nothing starts and the invocation succeeds', async () => {
    sfnMock.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));

    const result = await handler(payload, fakeContext(() => 300_000));

    expect(result.scheduled).toEqual({
      outcome: 'exists', logicalDate: '2026-11-30', executionName: 'nightly-2026-11-30', executionArn: executionArnOf(STATE_MACHINE_ARN, 'nightly-2026-11-30'),
    });
    expect(logged().some((l) => l.message === 'an execution of this logical date exists; none started')).toBe(true);
  });

  it('GIVEN Step Functions refuses the start for another reason WHEN the schedule fires THEN the invocation fails, so Lambda tries it again', async () => {
    sfnMock.on(StartExecutionCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ServiceUnavailable', $fault: 'server' }));

    await expect(handler(payload, fakeContext(() => 300_000))).rejects.toThrow('Rate exceeded');
  });

  it('GIVEN a payload with a bad field WHEN it arrives THEN nothing starts, no sweep runs, and a runner error names the field', async () => {
    const result = await handler({ ...payload, period: 'WEEK' }, fakeContext(() => 300_000));

    expect(result.scheduled).toEqual({ outcome: 'invalid' });
    expect(sfnMock).not.toHaveReceivedCommand(StartExecutionCommand);
    expect(result.check).toBeUndefined();
    expect(logged().find((l) => l.message === 'schedule payload not understood; nothing started')?.reason).toContain('"period"');
    expect(metricLines(logs).some((m) => m[PipelineMetrics.RUNNER_ERRORS] === 1)).toBe(true);
  });
});
