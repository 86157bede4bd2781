import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SendEmailCommand } from '@aws-sdk/client-ses';
import { SendTaskFailureCommand, TaskTimedOut } from '@aws-sdk/client-sfn';
import { captureLogs, eventsMock, resetAwsMocks, sesMock, sfnMock } from './aws-mocks';
import { RunnerTally } from '../../src/lambda/entry/runner-context';
import { failStep, FailureMemory } from '../../src/lambda/phases/fail-step';
import { FAILURE_EVENT_NOT_SENT, FAILURE_MAIL_NOT_SENT } from '../../src/shared/contract';
import { PIPELINE_EVENT_SOURCE, PipelineEventTypes } from '../../src/shared/operations';

const MAIL = { sender: 'pipelines@example.com', recipients: ['team@example.com'] };
const FAILURE = { pipelineId: 'p', stepName: 's', jobName: 'j', jobRunId: 'jr', executionId: 'e', finalState: 'FAILED', error: 'Glue.JobFailed', message: 'boom' };

beforeEach(() => {
  resetAwsMocks();
  captureLogs();
});

/** A record's memory of earlier reports, with the facts it was told to write. */
function memory(facts: Partial<Pick<FailureMemory, 'reportUnknown' | 'mailed' | 'announced'>> = {}) {
  const written: string[] = [];
  const m: FailureMemory = { ...facts, remember: async (...noted) => void written.push(...noted) };
  return { m, written };
}

const tally = (): RunnerTally => ({ failureMailNotSent: 0, failureEventNotSent: 0 } as RunnerTally);

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
    expect(written).toEqual(['announced', 'mailed']);
  });

  it('GIVEN the team was mailed already WHEN the failure is reported again and accepted THEN no second mail', async () => {
    sfnMock.on(SendTaskFailureCommand).resolves({});
    const { m, written } = memory({ mailed: true, announced: true });
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

describe('failStep: every failed attempt is put on the default event bus', () => {
  const JOB = {
    pipelineId: 'p',
    pipelineName: 'nightly',
    stepName: 's',
    kind: 'glue-job' as const,
    resourceName: 'j',
    runId: 'jr_1',
    executionId: 'arn:aws:states:eu-west-1:111122223333:execution:nightly:e1',
    finalState: 'FAILED',
    error: 'Glue.JobFailed',
    message: 'boom',
    attempt: 0,
    retry: [{ errors: ['Glue.JobFailed'], maxAttempts: 1 }],
  };

  it('GIVEN an accepted failure WHEN the step is failed THEN the task is failed first, then one event goes to the default bus with the failure\'s detail', async () => {
    const order: string[] = [];
    sfnMock.on(SendTaskFailureCommand).callsFake(() => void order.push('report'));
    eventsMock.on(PutEventsCommand).callsFake(() => {
      order.push('event');
      return { FailedEntryCount: 0, Entries: [{ EventId: 'ev' }] };
    });
    const { m, written } = memory();
    expect(await failStep('tt', JOB, MAIL, 'id', tally(), m)).toBe('sent');
    expect(order).toEqual(['report', 'event']);
    const entry = eventsMock.commandCalls(PutEventsCommand)[0].args[0].input.Entries![0];
    expect(entry).toMatchObject({ Source: PIPELINE_EVENT_SOURCE, DetailType: PipelineEventTypes.STEP_FAILED });
    expect(entry.EventBusName).toBeUndefined();
    expect(JSON.parse(entry.Detail!)).toMatchObject({ pipeline: 'nightly', pipelineId: 'p', step: 's', runId: 'jr_1', error: 'Glue.JobFailed', attempt: 0, willRetry: true });
    expect(written).toEqual(['announced', 'mailed']);
  });

  it('GIVEN no failure mail configured WHEN the step is failed THEN the event is put all the same', async () => {
    await failStep('tt', JOB, undefined, 'id', tally());
    expect(eventsMock).toHaveReceivedCommandTimes(PutEventsCommand, 1);
  });

  it.each([
    ['PutEvents throws', () => eventsMock.on(PutEventsCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }))],
    ['PutEvents reports a failed entry', () => eventsMock.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try later' }] })],
  ])('GIVEN %s WHEN the step is failed THEN the report stands, the mail goes, and the miss is logged at ERROR and counted', async (_case, arrange) => {
    arrange();
    const logs = captureLogs();
    const t = tally();
    const { m, written } = memory();
    expect(await failStep('tt', JOB, MAIL, 'id', t, m)).toBe('sent');
    expect(t.failureEventNotSent).toBe(1);
    expect(t.failureMailNotSent).toBe(0);
    expect(sesMock).toHaveReceivedCommandTimes(SendEmailCommand, 1);
    expect(written).toEqual(['mailed']);
    const errors = logs.error.mock.calls.map((args) => JSON.parse(String(args[0])) as { level: string; message: string });
    expect(errors.map((l) => l.message)).toEqual([FAILURE_EVENT_NOT_SENT]);
    expect(errors.map((l) => l.message)).not.toContain(FAILURE_MAIL_NOT_SENT);
  });

  it('GIVEN the event was put by an earlier report WHEN the failure is reported again THEN no second event', async () => {
    const { m } = memory({ announced: true });
    await failStep('tt', JOB, MAIL, 'id', tally(), m);
    expect(eventsMock).not.toHaveReceivedCommand(PutEventsCommand);
  });

  it('GIVEN the report hears TaskTimedOut at once WHEN the step is failed THEN no event (someone else closed the task)', async () => {
    sfnMock.on(SendTaskFailureCommand).rejects(new TaskTimedOut({ message: 'closed', $metadata: {} }));
    await failStep('tt', JOB, MAIL, 'id', tally(), memory().m);
    expect(eventsMock).not.toHaveReceivedCommand(PutEventsCommand);
  });
});
