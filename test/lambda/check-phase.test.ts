import { EntityNotFoundException, GetJobRunCommand, JobRun, ThrottlingException } from '@aws-sdk/client-glue';
import { SendEmailCommand } from '@aws-sdk/client-ses';
import { SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, TaskTimedOut } from '@aws-sdk/client-sfn';
import { DeleteCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { captureLogs, ddbMock, glueMock, resetAwsMocks, sesMock, sfnMock } from './aws-mocks';
import { TEST_LEASE_UNTIL, testContext } from './context';
import { NOW, PIPELINE_ID, RECIPIENTS, record, SENDER } from './fixtures';
import { runCheckPhase } from '../../src/lambda/phases/check-phase';
import { TrackingRecord, trackingPartition } from '../../src/shared/contract';

function givenTracked(...records: TrackingRecord[]) {
  ddbMock.on(QueryCommand).resolves({ Items: records });
}

function givenRun(runId: string, run: Partial<JobRun>) {
  glueMock.on(GetJobRunCommand, { RunId: runId }).resolves({ JobRun: { Id: runId, ...run } });
}

function check(withMail = true) {
  return runCheckPhase(testContext({ withMail })).then((r) => r.summary);
}

const deletedKeys = () => ddbMock.commandCalls(DeleteCommand).map((c) => c.args[0].input.Key);
const keyOf = (r: TrackingRecord) => ({ pk: trackingPartition(PIPELINE_ID), sk: r.sk });
const mailBodies = () => sesMock.commandCalls(SendEmailCommand).map((c) => c.args[0].input.Message?.Body?.Text?.Data ?? '');

beforeEach(() => {
  resetAwsMocks();
  captureLogs();
});
afterEach(() => jest.restoreAllMocks());

describe('check phase, one tracked run per Glue state', () => {
  it.each(['STARTING', 'RUNNING', 'STOPPING', 'WAITING'])('GIVEN a run in %s WHEN checked THEN the task is heartbeated and the record kept', async (state) => {
    // GIVEN
    givenTracked(record(1));
    givenRun('jr_1', { JobRunState: state as JobRun['JobRunState'] });
    // WHEN
    const summary = await check();
    // THEN
    expect(glueMock).toHaveReceivedCommandWith(GetJobRunCommand, { JobName: 'job1', RunId: 'jr_1' });
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskHeartbeatCommand, 1);
    expect(sfnMock).toHaveReceivedCommandWith(SendTaskHeartbeatCommand, { taskToken: 'token-1' });
    expect(sfnMock).not.toHaveReceivedCommand(SendTaskSuccessCommand);
    expect(sfnMock).not.toHaveReceivedCommand(SendTaskFailureCommand);
    expect(ddbMock).not.toHaveReceivedCommand(DeleteCommand);
    expect(ddbMock).not.toHaveReceivedCommand(UpdateCommand);
    expect(sesMock).not.toHaveReceivedCommand(SendEmailCommand);
    expect(summary).toMatchObject({ pages: 1, heartbeat: 1, error: 0 });
  });

  it('GIVEN a run that SUCCEEDED WHEN checked THEN the record is claimed, the task succeeds with the run id in its output, and the record is deleted', async () => {
    // GIVEN
    givenTracked(record(1));
    const order: string[] = [];
    ddbMock.on(UpdateCommand).callsFake(() => { order.push('claim'); return {}; });
    sfnMock.on(SendTaskSuccessCommand).callsFake(() => { order.push('success'); return {}; });
    ddbMock.on(DeleteCommand).callsFake(() => { order.push('delete'); return {}; });
    givenRun('jr_1', {
      JobRunState: 'SUCCEEDED',
      StartedOn: new Date('2025-03-01T11:00:00Z'),
      CompletedOn: new Date('2025-03-01T11:30:00Z'),
      ExecutionTime: 1800,
    });
    // WHEN
    const summary = await check();
    // THEN
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
    const sent = sfnMock.commandCalls(SendTaskSuccessCommand)[0].args[0].input;
    expect(sent.taskToken).toBe('token-1');
    expect(JSON.parse(sent.output!)).toEqual({
      stepName: 'step1',
      jobName: 'job1',
      jobRunId: 'jr_1',
      state: 'SUCCEEDED',
      startedOn: '2025-03-01T11:00:00.000Z',
      completedOn: '2025-03-01T11:30:00.000Z',
      executionTimeSeconds: 1800,
    });
    expect(order).toEqual(['claim', 'success', 'delete']);
    expect(ddbMock).toHaveReceivedCommandWith(UpdateCommand, {
      Key: keyOf(record(1)),
      ExpressionAttributeValues: { ':to': 'CLOSING', ':lease': TEST_LEASE_UNTIL, ':now': NOW.getTime(), ':from0': 'RUNNING', ':from1': 'CLOSING' },
    });
    expect(deletedKeys()).toEqual([keyOf(record(1))]);
    expect(sfnMock).not.toHaveReceivedCommand(SendTaskFailureCommand);
    expect(sesMock).not.toHaveReceivedCommand(SendEmailCommand);
    expect(summary).toMatchObject({ succeeded: 1, error: 0 });
  });

  it.each([
    ['FAILED', 'Glue.JobFailed'],
    ['STOPPED', 'Glue.JobStopped'],
    ['TIMEOUT', 'Glue.JobTimeout'],
    ['ERROR', 'Glue.JobError'],
    ['EXPIRED', 'Glue.JobExpired'],
  ])('GIVEN a run in %s WHEN checked THEN the task fails with %s, the record is deleted and one mail goes out', async (state, error) => {
    // GIVEN
    givenTracked(record(1));
    givenRun('jr_1', { JobRunState: state as JobRun['JobRunState'], ErrorMessage: `glue says ${state.toLowerCase()}` });
    // WHEN
    const summary = await check();
    // THEN
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskFailureCommand, 1);
    const sent = sfnMock.commandCalls(SendTaskFailureCommand)[0].args[0].input;
    expect(sent).toMatchObject({ taskToken: 'token-1', error });
    expect(JSON.parse(sent.cause!)).toEqual({ stepName: 'step1', jobName: 'job1', jobRunId: 'jr_1', state, message: `glue says ${state.toLowerCase()}` });
    expect(sfnMock).not.toHaveReceivedCommand(SendTaskSuccessCommand);
    expect(ddbMock).toHaveReceivedCommandWith(UpdateCommand, { Key: keyOf(record(1)), ExpressionAttributeValues: expect.objectContaining({ ':to': 'CLOSING' }) });
    expect(deletedKeys()).toEqual([keyOf(record(1))]);
    expect(sesMock).toHaveReceivedCommandTimes(SendEmailCommand, 1);
    expect(sesMock).toHaveReceivedCommandWith(SendEmailCommand, { Source: SENDER, Destination: { ToAddresses: RECIPIENTS } });
    const [body] = mailBodies();
    for (const expected of ['job1', 'jr_1', `Final state:  ${state}`, error, `glue says ${state.toLowerCase()}`]) {
      expect(body).toContain(expected);
    }
    expect(summary).toMatchObject({ failed: 1, error: 0 });
  });
});

describe('check phase, failure side effects', () => {
  it('GIVEN no mail settings WHEN a run FAILED THEN the task still fails but no mail is sent', async () => {
    // GIVEN
    givenTracked(record(1));
    givenRun('jr_1', { JobRunState: 'FAILED', ErrorMessage: 'boom' });
    // WHEN
    await check(false);
    // THEN
    expect(sfnMock).toHaveReceivedCommandWith(SendTaskFailureCommand, { error: 'Glue.JobFailed' });
    expect(sesMock).not.toHaveReceivedCommand(SendEmailCommand);
    expect(deletedKeys()).toHaveLength(1);
  });

  it('GIVEN the task was already closed WHEN the run FAILED THEN no mail is sent (another invocation mailed) and the record is deleted', async () => {
    // GIVEN
    givenTracked(record(1));
    givenRun('jr_1', { JobRunState: 'FAILED', ErrorMessage: 'boom' });
    sfnMock.on(SendTaskFailureCommand).rejects(new TaskTimedOut({ message: 'x', $metadata: {} }));
    // WHEN
    const summary = await check();
    // THEN
    expect(sesMock).not.toHaveReceivedCommand(SendEmailCommand);
    expect(deletedKeys()).toEqual([keyOf(record(1))]);
    expect(summary).toMatchObject({ closed: 1, failed: 0 });
  });

  it('GIVEN SES is throttling WHEN a run FAILED THEN the record is still deleted, so the task is not failed again', async () => {
    // GIVEN
    givenTracked(record(1));
    givenRun('jr_1', { JobRunState: 'FAILED', ErrorMessage: 'boom' });
    sesMock.on(SendEmailCommand).rejects(new Error('Maximum sending rate exceeded.'));
    // WHEN
    const summary = await check();
    // THEN
    expect(deletedKeys()).toEqual([keyOf(record(1))]);
    expect(summary).toMatchObject({ failed: 1, error: 0 });
  });

  it('GIVEN Glue has no such run WHEN checked THEN the task fails with Glue.RunNotFound naming the run', async () => {
    // GIVEN
    givenTracked(record(1));
    glueMock.on(GetJobRunCommand).rejects(new EntityNotFoundException({ message: 'Job run not found', $metadata: {} }));
    // WHEN
    await check();
    // THEN
    const sent = sfnMock.commandCalls(SendTaskFailureCommand)[0].args[0].input;
    expect(sent.error).toBe('Glue.RunNotFound');
    expect(JSON.parse(sent.cause!)).toMatchObject({ state: 'NOT_FOUND', message: expect.stringContaining('Glue has no run jr_1 of job1') });
    expect(deletedKeys()).toEqual([keyOf(record(1))]);
  });

  it('GIVEN GetJobRun is throttled for one run WHEN checked THEN that record is kept for next cycle and the others are still handled', async () => {
    // GIVEN
    givenTracked(record(1), record(2));
    glueMock.on(GetJobRunCommand, { RunId: 'jr_1' }).rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }));
    givenRun('jr_2', { JobRunState: 'SUCCEEDED' });
    // WHEN
    const summary = await check();
    // THEN
    expect(sfnMock).toHaveReceivedCommandWith(SendTaskSuccessCommand, { taskToken: 'token-2' });
    expect(sfnMock).not.toHaveReceivedCommandWith(SendTaskFailureCommand, { taskToken: 'token-1' });
    expect(deletedKeys()).toEqual([keyOf(record(2))]);
    expect(summary).toMatchObject({ succeeded: 1, error: 1 });
  });
});

describe('check phase, records past their life', () => {
  it('GIVEN a record past its expiry WHEN checked THEN it is deleted without asking Glue or Step Functions', async () => {
    // GIVEN
    givenTracked(record(1, { expiresAt: Math.floor(NOW.getTime() / 1000) - 1 }));
    // WHEN
    const summary = await check();
    // THEN
    expect(deletedKeys()).toEqual([keyOf(record(1))]);
    expect(glueMock.calls()).toHaveLength(0);
    expect(sfnMock.calls()).toHaveLength(0);
    expect(summary).toMatchObject({ expired: 1 });
  });

  it('GIVEN an expired STARTING record that still holds a lease WHEN checked THEN it is deleted all the same: its token is dead', async () => {
    // GIVEN
    givenTracked(record(1, { status: 'STARTING', runId: undefined, expiresAt: Math.floor(NOW.getTime() / 1000), leaseUntil: NOW.getTime() + 60_000 }));
    // WHEN
    const summary = await check();
    // THEN
    expect(deletedKeys()).toEqual([keyOf(record(1))]);
    expect(glueMock.calls()).toHaveLength(0);
    expect(summary).toMatchObject({ expired: 1, leased: 0 });
  });
});
