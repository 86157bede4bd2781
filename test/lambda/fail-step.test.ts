import { SendEmailCommand } from '@aws-sdk/client-ses';
import { SendTaskFailureCommand, TaskTimedOut } from '@aws-sdk/client-sfn';
import { captureLogs, resetAwsMocks, sesMock, sfnMock } from './aws-mocks';
import { RunnerTally } from '../../src/lambda/entry/runner-context';
import { failStep, FailureMemory } from '../../src/lambda/phases/fail-step';

const MAIL = { sender: 'pipelines@example.com', recipients: ['team@example.com'] };
const FAILURE = { pipelineId: 'p', stepName: 's', jobName: 'j', jobRunId: 'jr', executionId: 'e', finalState: 'FAILED', error: 'Glue.JobFailed', message: 'boom' };

beforeEach(() => {
  resetAwsMocks();
  captureLogs();
});

/** A record's memory of earlier reports, with the facts it was told to write. */
function memory(facts: Partial<Pick<FailureMemory, 'reportUnknown' | 'mailed'>> = {}) {
  const written: string[] = [];
  const m: FailureMemory = { ...facts, remember: async (fact) => void written.push(fact) };
  return { m, written };
}

const tally = (): RunnerTally => ({ failureMailNotSent: 0 } as RunnerTally);

describe('failStep: a failure is mailed once, however many cycles report it', () => {
  it('GIVEN a report that fails after the SDK\'s tries WHEN the step is failed THEN the record notes the report\'s outcome is unknown, and the error goes on', async () => {
    sfnMock.on(SendTaskFailureCommand).rejects(Object.assign(new Error('down'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } }));
    const { m, written } = memory();
    await expect(failStep('tt', FAILURE, MAIL, 'id', tally(), m)).rejects.toThrow();
    expect(written).toEqual(['report-unknown']);
    expect(sesMock).not.toHaveReceivedCommand(SendEmailCommand);
  });

  it('GIVEN an earlier report of unknown outcome WHEN the next one hears TaskTimedOut THEN the team is mailed (that report may have closed the task) and the record notes it', async () => {
    sfnMock.on(SendTaskFailureCommand).rejects(new TaskTimedOut({ message: 'closed', $metadata: {} }));
    const { m, written } = memory({ reportUnknown: true });
    expect(await failStep('tt', FAILURE, MAIL, 'id', tally(), m)).toBe('closed');
    expect(sesMock).toHaveReceivedCommandTimes(SendEmailCommand, 1);
    expect(written).toEqual(['mailed']);
  });

  it('GIVEN the team was mailed already WHEN the failure is reported again and accepted THEN no second mail', async () => {
    sfnMock.on(SendTaskFailureCommand).resolves({});
    const { m, written } = memory({ mailed: true });
    expect(await failStep('tt', FAILURE, MAIL, 'id', tally(), m)).toBe('sent');
    expect(sesMock).not.toHaveReceivedCommand(SendEmailCommand);
    expect(written).toEqual([]);
  });

  it('GIVEN a report throttled on every try WHEN the step is failed THEN the record notes nothing (Step Functions refused each try)', async () => {
    sfnMock.on(SendTaskFailureCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }));
    const { m, written } = memory();
    await expect(failStep('tt', FAILURE, MAIL, 'id', tally(), m)).rejects.toThrow();
    expect(written).toEqual([]);
  });

  it('GIVEN no earlier report WHEN the report hears TaskTimedOut at once THEN nobody is mailed (the task was closed by someone else)', async () => {
    sfnMock.on(SendTaskFailureCommand).rejects(new TaskTimedOut({ message: 'closed', $metadata: {} }));
    const { m } = memory();
    expect(await failStep('tt', FAILURE, MAIL, 'id', tally(), m)).toBe('closed');
    expect(sesMock).not.toHaveReceivedCommand(SendEmailCommand);
  });
});
