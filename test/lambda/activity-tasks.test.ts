import {
  GetActivityTaskCommand, InvalidToken, SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, TaskDoesNotExist, TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { resetAwsMocks, sfnMock } from './aws-mocks';
import { ACTIVITY_ARN } from './fixtures';
import { pollActivity, reportFailure, reportHeartbeat, reportSuccess } from '../../src/lambda/aws/activity-tasks';

const meta = { message: 'x', $metadata: {} };

beforeEach(() => resetAwsMocks());

describe('pollActivity', () => {
  it('GIVEN a pending task WHEN polled THEN its token and input are returned', async () => {
    // GIVEN
    sfnMock.on(GetActivityTaskCommand).resolves({ taskToken: 'tt-1', input: '{"a":1}' });
    // WHEN
    const task = await pollActivity(ACTIVITY_ARN, 'worker-1');
    // THEN
    expect(task).toEqual({ taskToken: 'tt-1', input: '{"a":1}' });
    expect(sfnMock).toHaveReceivedCommandWith(GetActivityTaskCommand, { activityArn: ACTIVITY_ARN, workerName: 'worker-1' });
  });

  it.each([[{}], [{ taskToken: '' }]])('GIVEN nothing pending (%o) WHEN polled THEN no task is returned', async (response) => {
    // GIVEN
    sfnMock.on(GetActivityTaskCommand).resolves(response);
    // WHEN / THEN
    await expect(pollActivity(ACTIVITY_ARN, 'w')).resolves.toBeUndefined();
  });
});

describe('reporting to Step Functions', () => {
  it.each([
    ['TaskTimedOut', new TaskTimedOut(meta)],
    ['TaskDoesNotExist', new TaskDoesNotExist(meta)],
    ['InvalidToken', new InvalidToken(meta)],
  ])('GIVEN Step Functions answers %s WHEN any report is sent THEN it is "closed", not an error', async (_name, err) => {
    // GIVEN
    sfnMock.on(SendTaskHeartbeatCommand).rejects(err);
    sfnMock.on(SendTaskSuccessCommand).rejects(err);
    sfnMock.on(SendTaskFailureCommand).rejects(err);
    // WHEN
    const reports = await Promise.all([
      reportHeartbeat('tt'),
      reportSuccess('tt', { stepName: 's', jobName: 'j', jobRunId: 'jr', state: 'SUCCEEDED' }),
      reportFailure('tt', 'Glue.JobFailed', '{}'),
    ]);
    // THEN
    expect(reports).toEqual(['closed', 'closed', 'closed']);
  });

  const noPause = async () => undefined;
  const lostAnswer = () => Object.assign(new Error('socket hang up'), { name: 'TimeoutError', $metadata: {} });
  const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
  const timedOut = () => new TaskTimedOut({ message: 'x', $metadata: { httpStatusCode: 400 } });

  it.each<[string, Error[], string]>([
    ['a lost answer, then TaskTimedOut (the first try may have closed the task)', [lostAnswer(), timedOut()], 'sent'],
    ['a 500, then TaskTimedOut', [Object.assign(new Error('boom'), { name: 'InternalError', $metadata: { httpStatusCode: 500 } }), timedOut()], 'sent'],
    ['throttling, then TaskTimedOut (someone else closed it)', [throttled(), timedOut()], 'closed'],
    ['throttling, then acceptance', [throttled()], 'sent'],
  ])('GIVEN a failure report that meets %s WHEN sent THEN it is "%s"', async (_label, errors, expected) => {
    // GIVEN
    const mock = sfnMock.on(SendTaskFailureCommand);
    errors.forEach((e) => mock.rejectsOnce(e));
    mock.resolves({});
    // WHEN / THEN
    await expect(reportFailure('tt', 'Glue.JobFailed', '{}', noPause)).resolves.toBe(expected);
  });

  it.each<[string, () => Error, boolean]>([
    ['answers lost every time', lostAnswer, true],
    ['throttling every time', throttled, false],
  ])('GIVEN a failure report that meets %s WHEN sent THEN it gives up after its tries, saying whether Step Functions may have accepted it', async (_label, error, unknown) => {
    sfnMock.on(SendTaskFailureCommand).rejects(error());
    await expect(reportFailure('tt', 'Glue.JobFailed', '{}', noPause)).rejects.toMatchObject({ name: 'FailureReportError', outcomeUnknown: unknown });
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskFailureCommand, 3);
  });

  it('GIVEN Step Functions is throttling WHEN a heartbeat is sent THEN the error propagates so the record is retried', async () => {
    // GIVEN
    sfnMock.on(SendTaskHeartbeatCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    // WHEN / THEN
    await expect(reportHeartbeat('tt')).rejects.toThrow('Rate exceeded');
  });

  it('GIVEN an accepted report WHEN sent THEN it is "sent"', async () => {
    await expect(reportHeartbeat('tt')).resolves.toBe('sent');
    expect(sfnMock).toHaveReceivedCommandWith(SendTaskHeartbeatCommand, { taskToken: 'tt' });
  });

  it('GIVEN an error name and cause over the Step Functions limits WHEN a failure is sent THEN both are cut to the limits (256 and 32,768)', async () => {
    // WHEN
    await reportFailure('tt', 'E'.repeat(300), 'c'.repeat(40_000));
    // THEN
    const sent = sfnMock.commandCalls(SendTaskFailureCommand)[0].args[0].input;
    expect(sent.error).toHaveLength(256);
    expect(sent.cause).toHaveLength(32_768);
    expect(sent.error!.endsWith('…')).toBe(true);
  });

  it('GIVEN an error name and cause within the limits WHEN a failure is sent THEN they are sent unchanged', async () => {
    // WHEN
    await reportFailure('tt', 'Glue.JobFailed', '{"message":"boom"}');
    // THEN
    expect(sfnMock).toHaveReceivedCommandWith(SendTaskFailureCommand, { taskToken: 'tt', error: 'Glue.JobFailed', cause: '{"message":"boom"}' });
  });
});
