import {
  ConcurrentRunsExceededException, CrawlerRunningException, InternalServiceException, InvalidInputException, StartCrawlerCommand, StartJobRunCommand,
  StartTriggerCommand, ThrottlingException,
} from '@aws-sdk/client-glue';
import { SendEmailCommand } from '@aws-sdk/client-ses';
import { SendTaskFailureCommand } from '@aws-sdk/client-sfn';
import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { captureLogs, ddbMock, glueMock, resetAwsMocks, sesMock, sfnMock } from './aws-mocks';
import { testContext } from './context';
import { crawlerInput, NOW, startingRecord, triggerInput } from './fixtures';
import { attemptStart, canRetryStart } from '../../src/lambda/phases/start-attempt';
import { CORRELATION_ARGUMENT, TrackingRecord } from '../../src/shared/contract';

const throttled = () => new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
const failures = () => sfnMock.commandCalls(SendTaskFailureCommand).map((c) => c.args[0].input);
type StartingInput = TrackingRecord['input'];
const updates = () => ddbMock.commandCalls(UpdateCommand).map((c) => c.args[0].input);

/** A STARTING record whose token (2 h, 5 min heartbeat) has `leftMs` to live at NOW. */
function recordWithTokenLeft(leftMs: number, overrides: Partial<TrackingRecord> = {}): TrackingRecord {
  return startingRecord(1, { createdAt: new Date(NOW.getTime() + leftMs - 7_200_000).toISOString(), ...overrides });
}

beforeEach(() => {
  resetAwsMocks();
  captureLogs();
  glueMock.on(StartJobRunCommand).resolves({ JobRunId: 'jr_new' });
});
afterEach(() => jest.restoreAllMocks());

describe('attemptStart', () => {
  it('GIVEN a start refused twice before WHEN Glue accepts it now THEN the run is saved with its id and tagged with the task\'s correlation argument', async () => {
    // GIVEN
    const rec = startingRecord(1, { startAttempts: 2, nextStartAt: NOW.getTime() - 1, lastError: 'ThrottlingException: Rate exceeded' });
    // WHEN
    const outcome = await attemptStart(testContext(), rec);
    // THEN
    expect(outcome).toBe('started');
    expect(glueMock).toHaveReceivedCommandWith(StartJobRunCommand, { JobName: 'job1', Arguments: { '--day': '2025-03-01', [CORRELATION_ARGUMENT]: 'tok1' } });
    expect(updates()).toHaveLength(1);
    expect(updates()[0]).toMatchObject({ Key: { sk: rec.sk }, ExpressionAttributeValues: { ':runId': 'jr_new', ':running': 'RUNNING' } });
    expect(sfnMock).not.toHaveReceivedCommand(SendTaskFailureCommand);
  });

  it.each([
    [0, 30_000],
    [1, 60_000],
    [3, 240_000],
    [9, 600_000],
  ])('GIVEN %i earlier refusals WHEN Glue throttles again THEN the next try waits %i ms and the count goes up by one', async (earlier, waitMs) => {
    // GIVEN
    glueMock.on(StartJobRunCommand).rejects(throttled());
    // WHEN
    const outcome = await attemptStart(testContext(), startingRecord(1, { startAttempts: earlier }));
    // THEN
    expect(outcome).toBe('deferred');
    expect(updates()).toEqual([expect.objectContaining({
      ExpressionAttributeValues: expect.objectContaining({ ':attempts': earlier + 1, ':next': NOW.getTime() + waitMs, ':lastError': 'ThrottlingException: Rate exceeded' }),
    })]);
    expect(sfnMock).not.toHaveReceivedCommand(SendTaskFailureCommand);
    expect(ddbMock).not.toHaveReceivedCommand(DeleteCommand);
  });

  it.each<[string, () => Error, number | undefined]>([
    // refusals: Glue did not act on the call; the next attempt looks only from the retry time
    ['ThrottlingException (400)', throttled, undefined],
    ['ConcurrentRunsExceededException (400)', () => new ConcurrentRunsExceededException({ message: 'busy', $metadata: { httpStatusCode: 400 } }), undefined],
    // the outcome is unknown: the run may have started when the call was sent
    ['InternalServiceException (500)', () => new InternalServiceException({ message: 'internal', $metadata: { httpStatusCode: 500 } }), NOW.getTime()],
    ['a 503 with no known name', () => Object.assign(new Error('unavailable'), { name: 'ServiceUnavailableException', $metadata: { httpStatusCode: 503 } }), NOW.getTime()],
    ['a dropped connection (ECONNRESET)', () => Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), NOW.getTime()],
    ['no answer in time (TimeoutError)', () => Object.assign(new Error('socket timed out'), { name: 'TimeoutError' }), NOW.getTime()],
  ])('GIVEN StartJobRun fails with %s WHEN the start is deferred THEN the time it was sent is saved as unknownStartAt: %p', async (_label, error, unknownStartAt) => {
    // GIVEN a clock that moves 5 s each read, so the time the call was sent is told from later reads
    glueMock.on(StartJobRunCommand).rejects(error());
    let t = NOW.getTime() - 5_000;
    const ctx = { ...testContext(), now: () => (t += 5_000) };
    // WHEN
    const outcome = await attemptStart(ctx, startingRecord(1));
    // THEN
    expect(outcome).toBe('deferred');
    expect(updates()).toHaveLength(1);
    const values = updates()[0].ExpressionAttributeValues;
    expect(values?.[':unknown']).toBe(unknownStartAt);
    expect(updates()[0].UpdateExpression).toContain(unknownStartAt === undefined ? 'REMOVE #unknown' : '#unknown = :unknown');
    expect(values?.[':next']).toBeGreaterThan(NOW.getTime() + 30_000);
  });

  it.each<[string, StartingInput, typeof StartCrawlerCommand | typeof StartTriggerCommand]>([
    ['crawler', crawlerInput(1), StartCrawlerCommand],
    ['trigger', triggerInput(1), StartTriggerCommand],
  ])('GIVEN a %s start answered with a 500 WHEN attempted THEN it is sent once and deferred with unknownStartAt, not re-sent', async (_kind, input, command) => {
    // GIVEN
    glueMock.on(command).rejects(new InternalServiceException({ message: 'internal', $metadata: { httpStatusCode: 500 } }));
    // WHEN
    const outcome = await attemptStart(testContext(), startingRecord(1, { jobName: 'target1', input }));
    // THEN
    expect(outcome).toBe('deferred');
    expect(glueMock).toHaveReceivedCommandTimes(command, 1);
    expect(updates()).toEqual([expect.objectContaining({
      ExpressionAttributeValues: expect.objectContaining({ ':attempts': 1, ':unknown': NOW.getTime(), ':lastError': expect.stringContaining('InternalServiceException') }),
    })]);
  });

  it('GIVEN a crawler already running someone else\'s crawl WHEN the step\'s start is refused THEN it is deferred with no unknownStartAt', async () => {
    // GIVEN
    glueMock.on(StartCrawlerCommand).rejects(new CrawlerRunningException({ message: 'busy', $metadata: { httpStatusCode: 400 } }));
    // WHEN
    const outcome = await attemptStart(testContext(), startingRecord(1, { jobName: 'crawler1', input: crawlerInput(1) }));
    // THEN
    expect(outcome).toBe('deferred');
    expect(updates()[0].ExpressionAttributeValues).not.toHaveProperty(':unknown');
    expect(updates()[0].UpdateExpression).toContain('REMOVE #unknown');
  });

  it.each<[string, () => Error]>([
    ['refused (CrawlerRunningException: perhaps by that start\'s own crawl)', () => new CrawlerRunningException({ message: 'busy', $metadata: { httpStatusCode: 400 } })],
    ['lost again (a 500)', () => new InternalServiceException({ message: 'internal', $metadata: { httpStatusCode: 500 } })],
  ])('GIVEN an earlier start whose answer was lost WHEN the next try is %s THEN the earlier time stays unknownStartAt', async (_label, error) => {
    // GIVEN a record whose first start, a minute before, went unanswered
    const earlier = NOW.getTime() - 60_000;
    glueMock.on(StartCrawlerCommand).rejects(error());
    // WHEN
    const outcome = await attemptStart(testContext(), startingRecord(1, { jobName: 'crawler1', input: crawlerInput(1), unknownStartAt: earlier }));
    // THEN
    expect(outcome).toBe('deferred');
    expect(updates()[0].ExpressionAttributeValues).toHaveProperty(':unknown', earlier);
    expect(updates()[0].UpdateExpression).toContain('#unknown = :unknown');
  });

  it('GIVEN a token that cannot outlive two more heartbeat periods WHEN Glue refuses the start for now THEN the step fails with Glue.StartFailed naming the attempts and the last error', async () => {
    // GIVEN two refusals so far, and 9 minutes left on the token (two heartbeats are 10)
    glueMock.on(StartJobRunCommand).rejects(throttled());
    const rec = recordWithTokenLeft(9 * 60_000, { startAttempts: 2 });
    // WHEN
    const outcome = await attemptStart(testContext(), rec);
    // THEN
    expect(outcome).toBe('failed');
    expect(failures()).toEqual([expect.objectContaining({ taskToken: 'token-1', error: 'Glue.StartFailed' })]);
    expect(JSON.parse(failures()[0].cause!)).toMatchObject({
      stepName: 'step1', jobName: 'job1', state: 'START_FAILED', message: 'StartJobRun refused 3 times; last: ThrottlingException: Rate exceeded',
    });
    expect(updates()).toEqual([]);
    expect(ddbMock).toHaveReceivedCommandWith(DeleteCommand, { Key: { pk: rec.pk, sk: rec.sk } });
    expect(sesMock).toHaveReceivedCommandTimes(SendEmailCommand, 1);
  });

  it('GIVEN a bad argument WHEN StartJobRun refuses it THEN the step fails at once, however long the token lives', async () => {
    // GIVEN
    glueMock.on(StartJobRunCommand).rejects(new InvalidInputException({ message: 'bad --day', $metadata: { httpStatusCode: 400 } }));
    // WHEN
    const outcome = await attemptStart(testContext(), startingRecord(1));
    // THEN
    expect(outcome).toBe('failed');
    expect(failures()[0]).toMatchObject({ error: 'Glue.StartFailed' });
    expect(JSON.parse(failures()[0].cause!).message).toBe('InvalidInputException: bad --day');
    expect(updates()).toEqual([]);
  });

  it('GIVEN a refused start AND Step Functions and DynamoDB both fail while cleaning up WHEN attempted THEN it still ends as failed instead of throwing', async () => {
    // GIVEN
    glueMock.on(StartJobRunCommand).rejects(new InvalidInputException({ message: 'bad', $metadata: { httpStatusCode: 400 } }));
    sfnMock.on(SendTaskFailureCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    ddbMock.on(DeleteCommand).rejects(new Error('InternalServerError'));
    // WHEN / THEN
    await expect(attemptStart(testContext(), startingRecord(1))).resolves.toBe('failed');
    expect(sesMock).not.toHaveReceivedCommand(SendEmailCommand);
  });
});

describe('canRetryStart', () => {
  it.each([
    { label: 'an hour', leftMs: 3_600_000, expected: true },
    { label: 'two heartbeats and a millisecond', leftMs: 600_001, expected: true },
    { label: 'exactly two heartbeats', leftMs: 600_000, expected: false },
    { label: 'one heartbeat', leftMs: 300_000, expected: false },
    { label: 'nothing (already dead)', leftMs: -1, expected: false },
  ])('GIVEN a token with $label left to live WHEN asked THEN a later retry is allowed: $expected', ({ leftMs, expected }) => {
    expect(canRetryStart(recordWithTokenLeft(leftMs), NOW.getTime())).toBe(expected);
  });
});
