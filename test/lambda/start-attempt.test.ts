import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  ConcurrentRunsExceededException, CrawlerRunningException, GetJobRunsCommand, GetTriggerCommand, InternalServiceException, InvalidInputException,
  ListCrawlsCommand, StartCrawlerCommand, StartJobRunCommand, StartTriggerCommand, StartWorkflowRunCommand, ThrottlingException,
} from '@aws-sdk/client-glue';
import { SendEmailCommand } from '@aws-sdk/client-ses';
import { SendTaskFailureCommand, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { DeleteCommand, UpdateCommand, UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { captureLogs, crawlHistory, ddbMock, glueMock, resetAwsMocks, serveCrawls, sesMock, sfnMock } from './aws-mocks';
import { testContext } from './context';
import { crawlerInput, NOW, startingRecord, stepInput, triggerInput, workflowInput } from './fixtures';
import { BEFORE_SEND_MS } from '../../src/lambda/kinds/start-window';
import { attemptStart, canRetryStart } from '../../src/lambda/phases/start-attempt';
import { RecordGoneError } from '../../src/lambda/store/tracking-store';
import { CORRELATION_ARGUMENT, TrackingRecord } from '../../src/shared/contract';

const throttled = () => new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
const failures = () => sfnMock.commandCalls(SendTaskFailureCommand).map((c) => c.args[0].input);
type StartingInput = TrackingRecord['input'];
const updates = () => ddbMock.commandCalls(UpdateCommand).map((c) => c.args[0].input);
/** The writes of the send time before a start (markStartSent). */
const isMarkStartSent = (u: UpdateCommandInput) => u.UpdateExpression === 'SET #sent = :sent';
/** The writes that defer the start (deferStart). */
const deferrals = () => updates().filter((u) => u.ExpressionAttributeValues?.[':attempts'] !== undefined);
const lost = () => new InternalServiceException({ message: 'internal', $metadata: { httpStatusCode: 500 } });
const crawlerRunning = () => new CrawlerRunningException({ message: 'busy', $metadata: { httpStatusCode: 400 } });

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
    // refusals: Glue did not act on the call; nothing is left to look for
    ['ThrottlingException (400)', throttled, undefined],
    ['ConcurrentRunsExceededException (400)', () => new ConcurrentRunsExceededException({ message: 'busy', $metadata: { httpStatusCode: 400 } }), undefined],
    // the outcome is unknown: the run may have started when the call was sent
    ['InternalServiceException (500)', () => new InternalServiceException({ message: 'internal', $metadata: { httpStatusCode: 500 } }), NOW.getTime()],
    ['a 503 with no known name', () => Object.assign(new Error('unavailable'), { name: 'ServiceUnavailableException', $metadata: { httpStatusCode: 503 } }), NOW.getTime()],
    ['a dropped connection (ECONNRESET)', () => Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), NOW.getTime()],
    ['no answer in time (TimeoutError)', () => Object.assign(new Error('socket timed out'), { name: 'TimeoutError' }), NOW.getTime()],
  ])('GIVEN StartJobRun fails with %s WHEN the start is deferred THEN the time it was sent is saved as startSentAt: %p', async (_label, error, startSentAt) => {
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
    expect(values?.[':sent']).toBe(startSentAt);
    expect(updates()[0].UpdateExpression).toContain(startSentAt === undefined ? 'REMOVE #sent' : '#sent = :sent');
    expect(updates()[0].ExpressionAttributeNames).toHaveProperty('#sent', 'startSentAt');
    expect(values?.[':next']).toBeGreaterThan(NOW.getTime() + 30_000);
  });

  it.each<[string, StartingInput, typeof StartCrawlerCommand | typeof StartTriggerCommand]>([
    ['crawler', crawlerInput(1), StartCrawlerCommand],
    ['trigger', triggerInput(1), StartTriggerCommand],
  ])('GIVEN a %s start answered with a 500 WHEN attempted THEN the send time is marked, the start sent once and deferred keeping that time, not re-sent', async (_kind, input, command) => {
    // GIVEN
    glueMock.on(command).rejects(lost());
    // WHEN
    const outcome = await attemptStart(testContext(), startingRecord(1, { resourceName: 'target1', input }));
    // THEN
    expect(outcome).toBe('deferred');
    expect(glueMock).toHaveReceivedCommandTimes(command, 1);
    expect(updates()).toEqual([
      expect.objectContaining({ UpdateExpression: 'SET #sent = :sent', ExpressionAttributeValues: expect.objectContaining({ ':sent': NOW.getTime() }) }),
      expect.objectContaining({
        UpdateExpression: expect.stringContaining('#sent = :sent'),
        ExpressionAttributeValues: expect.objectContaining({ ':attempts': 1, ':sent': NOW.getTime(), ':lastError': expect.stringContaining('InternalServiceException') }),
      }),
    ]);
  });

  it.each<[string, StartingInput, typeof StartCrawlerCommand | typeof StartTriggerCommand, string]>([
    ['crawler', crawlerInput(1), StartCrawlerCommand, 'StartCrawler'],
    ['trigger', triggerInput(1), StartTriggerCommand, 'StartTrigger'],
  ])('GIVEN a %s step WHEN its start is attempted THEN the send time is written (SET #sent, on a STARTING record) before the Glue start is sent', async (_kind, input, command, call) => {
    // GIVEN every call recorded in the order it is made
    const order: string[] = [];
    ddbMock.on(UpdateCommand).callsFake((u: UpdateCommandInput) => {
      order.push(isMarkStartSent(u) ? 'markStartSent' : 'update');
      return {};
    });
    glueMock.on(command).callsFake(() => {
      order.push(call);
      return {};
    });
    serveCrawls([crawlHistory('c0ffee00-0000-4000-8000-000000000001', 'RUNNING', NOW.getTime() + 1_000)]);
    const rec = startingRecord(1, { resourceName: 'target1', input });
    // WHEN
    await attemptStart(testContext(), rec);
    // THEN
    expect(order.slice(0, 2)).toEqual(['markStartSent', call]);
    expect(updates()[0]).toEqual({
      TableName: expect.any(String),
      Key: { pk: rec.pk, sk: rec.sk },
      UpdateExpression: 'SET #sent = :sent',
      ConditionExpression: 'attribute_exists(#pk) AND #status = :starting',
      ExpressionAttributeNames: expect.objectContaining({ '#sent': 'startSentAt', '#status': 'status' }),
      ExpressionAttributeValues: { ':sent': NOW.getTime(), ':starting': 'STARTING' },
    });
    // tracked once started: the mark is removed with it
    expect(updates().find((u) => u.ExpressionAttributeValues?.[':running'] === 'RUNNING')?.UpdateExpression).toMatch(/REMOVE .*#sent/);
  });

  it.each<[string, StartingInput, () => number]>([
    ['job', stepInput(1), () => glueMock.commandCalls(StartJobRunCommand).length],
    ['workflow', workflowInput(1), () => glueMock.commandCalls(StartWorkflowRunCommand).length],
  ])('GIVEN a %s step (its start carries the task\'s correlation) WHEN its start is attempted THEN no send time is written before it', async (_kind, input, startsSent) => {
    // GIVEN
    glueMock.on(StartWorkflowRunCommand).resolves({ RunId: 'wr_new' });
    // WHEN
    const outcome = await attemptStart(testContext(), startingRecord(1, { resourceName: 'target1', input }));
    // THEN only the run is recorded, after the start
    expect(outcome).toBe('started');
    expect(startsSent()).toBe(1);
    expect(updates().filter(isMarkStartSent)).toEqual([]);
    expect(updates()).toEqual([expect.objectContaining({ ExpressionAttributeValues: expect.objectContaining({ ':running': 'RUNNING' }) })]);
  });

  it('GIVEN the record moved on (markStartSent\'s condition fails) WHEN a crawler start is attempted THEN StartCrawler is not sent', async () => {
    // GIVEN
    ddbMock.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    // WHEN / THEN the caller leaves the record to whoever moved it on
    await expect(attemptStart(testContext(), startingRecord(1, { resourceName: 'crawler1', input: crawlerInput(1) }))).rejects.toThrow(RecordGoneError);
    expect(glueMock).not.toHaveReceivedCommand(StartCrawlerCommand);
  });

  it('GIVEN a crawler already running someone else\'s crawl WHEN the step\'s start is refused THEN it is deferred with the send time\'s mark removed', async () => {
    // GIVEN
    glueMock.on(StartCrawlerCommand).rejects(crawlerRunning());
    // WHEN
    const outcome = await attemptStart(testContext(), startingRecord(1, { resourceName: 'crawler1', input: crawlerInput(1) }));
    // THEN the mark written before the call, then removed by the deferral
    expect(outcome).toBe('deferred');
    expect(updates().map(isMarkStartSent)).toEqual([true, false]);
    expect(deferrals()).toHaveLength(1);
    expect(deferrals()[0].ExpressionAttributeValues).not.toHaveProperty(':sent');
    expect(deferrals()[0].UpdateExpression).toContain('REMOVE #sent');
    expect(deferrals()[0].ExpressionAttributeNames).toHaveProperty('#sent', 'startSentAt');
  });

  // The earlier lost start was looked for (findStarted) before this try was made: only this
  // try's own outcome decides what is left to look for.
  it.each<[string, () => Error, number | undefined]>([
    ['refused (CrawlerRunningException)', crawlerRunning, undefined],
    ['lost again (a 500)', lost, NOW.getTime()],
  ])('GIVEN an earlier start whose answer was lost WHEN the next try is %s THEN the earlier time is not kept: the mark is %p', async (_label, error, startSentAt) => {
    // GIVEN a record whose first start, a minute before, went unanswered
    const earlier = NOW.getTime() - 60_000;
    glueMock.on(StartCrawlerCommand).rejects(error());
    // WHEN
    const outcome = await attemptStart(testContext(), startingRecord(1, { resourceName: 'crawler1', input: crawlerInput(1), startSentAt: earlier }));
    // THEN this try's send time overwrote it, and the deferral removes it or keeps this one
    expect(outcome).toBe('deferred');
    expect(updates()[0]).toMatchObject({ UpdateExpression: 'SET #sent = :sent', ExpressionAttributeValues: { ':sent': NOW.getTime() } });
    expect(deferrals()).toHaveLength(1);
    expect(deferrals()[0].ExpressionAttributeValues?.[':sent']).toBe(startSentAt);
    expect(deferrals()[0].UpdateExpression).toContain(startSentAt === undefined ? 'REMOVE #sent' : '#sent = :sent');
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
    expect(glueMock).not.toHaveReceivedCommand(GetJobRunsCommand);
    expect(ddbMock).toHaveReceivedCommandWith(DeleteCommand, { Key: { pk: rec.pk, sk: rec.sk } });
    expect(sesMock).toHaveReceivedCommandTimes(SendEmailCommand, 1);
  });

  describe('GIVEN a start whose answer was lost and no try left (9 minutes left on the token)', () => {
    const CRAWL = 'c0ffee00-0000-4000-8000-000000000001';
    const noTryLeft = (input: StartingInput) => recordWithTokenLeft(9 * 60_000, { resourceName: 'target1', input, startAttempts: 2 });
    const markedRunning = () => updates().filter((u) => u.ExpressionAttributeValues?.[':running'] === 'RUNNING');

    it('WHEN the crawl it began is listed THEN that crawl is tracked (markRunning with its id), and the step is not failed', async () => {
      // GIVEN StartCrawler answered with a 500, but Glue began the crawl
      glueMock.on(StartCrawlerCommand).rejects(lost());
      serveCrawls([crawlHistory('foreign', 'COMPLETED', NOW.getTime() - 3_600_000, NOW.getTime() - 3_000_000), crawlHistory(CRAWL, 'RUNNING', NOW.getTime() + 1_000)]);
      const rec = noTryLeft(crawlerInput(1));
      // WHEN
      const outcome = await attemptStart(testContext(), rec);
      // THEN looked for in the send's window, found, and tracked
      expect(outcome).toBe('started');
      expect(glueMock).toHaveReceivedCommandWith(ListCrawlsCommand, {
        CrawlerName: 'crawler1', Filters: [{ FieldName: 'START_TIME', FilterOperator: 'GE', FieldValue: String(NOW.getTime() - BEFORE_SEND_MS) }],
      });
      expect(markedRunning()).toEqual([expect.objectContaining({ Key: expect.objectContaining({ sk: rec.sk }), ExpressionAttributeValues: expect.objectContaining({ ':runId': CRAWL }) })]);
      expect(deferrals()).toEqual([]);
      expect(sfnMock).not.toHaveReceivedCommand(SendTaskFailureCommand);
      expect(ddbMock).not.toHaveReceivedCommand(DeleteCommand);
      expect(glueMock).toHaveReceivedCommandTimes(StartCrawlerCommand, 1);
    });

    it('WHEN the job run it began carries the task\'s correlation THEN that run is tracked, and the step is not failed', async () => {
      // GIVEN StartJobRun answered with a 500, but Glue began the run
      glueMock.on(StartJobRunCommand).rejects(lost());
      glueMock.on(GetJobRunsCommand).resolves({ JobRuns: [{ Id: 'jr_lost', Arguments: { [CORRELATION_ARGUMENT]: 'tok1' }, StartedOn: NOW }] });
      // WHEN
      const outcome = await attemptStart(testContext(), noTryLeft(stepInput(1)));
      // THEN
      expect(outcome).toBe('started');
      expect(markedRunning()).toEqual([expect.objectContaining({ ExpressionAttributeValues: expect.objectContaining({ ':runId': 'jr_lost' }) })]);
      expect(sfnMock).not.toHaveReceivedCommand(SendTaskFailureCommand);
    });

    it('WHEN the trigger\'s firing is found THEN it is tracked and the step reported succeeded, not failed', async () => {
      // GIVEN StartTrigger answered with a 500, but the trigger fired job9
      glueMock.on(StartTriggerCommand).rejects(lost());
      glueMock.on(GetTriggerCommand).resolves({ Trigger: { Name: 'trigger1', Actions: [{ JobName: 'job9' }] } });
      glueMock.on(GetJobRunsCommand).resolves({ JobRuns: [{ Id: 'jr_fired', TriggerName: 'trigger1', StartedOn: new Date(NOW.getTime() + 2_000) }] });
      // WHEN
      const outcome = await attemptStart(testContext(), noTryLeft(triggerInput(1)));
      // THEN
      expect(outcome).toBe('succeeded');
      expect(markedRunning()).toEqual([expect.objectContaining({ ExpressionAttributeValues: expect.objectContaining({ ':runId': new Date(NOW.getTime() + 2_000).toISOString() }) })]);
      expect(sfnMock).toHaveReceivedCommandWith(SendTaskSuccessCommand, { taskToken: 'token-1' });
      expect(sfnMock).not.toHaveReceivedCommand(SendTaskFailureCommand);
    });

    it('WHEN nothing it may have begun is found THEN the step fails with Glue.StartFailed and the record is removed', async () => {
      // GIVEN only a crawl begun long before the send
      glueMock.on(StartCrawlerCommand).rejects(lost());
      serveCrawls([crawlHistory('foreign', 'RUNNING', NOW.getTime() - 3_600_000)]);
      const rec = noTryLeft(crawlerInput(1));
      // WHEN
      const outcome = await attemptStart(testContext(), rec);
      // THEN
      expect(outcome).toBe('failed');
      expect(glueMock).toHaveReceivedCommand(ListCrawlsCommand);
      expect(failures()).toEqual([expect.objectContaining({ taskToken: 'token-1', error: 'Glue.StartFailed' })]);
      expect(JSON.parse(failures()[0].cause!)).toMatchObject({ state: 'START_FAILED', message: expect.stringMatching(/^StartCrawler refused 3 times; last: InternalServiceException/) });
      expect(markedRunning()).toEqual([]);
      expect(ddbMock).toHaveReceivedCommandWith(DeleteCommand, { Key: { pk: rec.pk, sk: rec.sk } });
    });

    it('WHEN the start was refused instead (CrawlerRunningException) THEN nothing is looked for and the step fails with Glue.StartFailed', async () => {
      // GIVEN a crawl running: the one that refused the start
      glueMock.on(StartCrawlerCommand).rejects(crawlerRunning());
      serveCrawls([crawlHistory('refusing', 'RUNNING', NOW.getTime() - 5_000)]);
      // WHEN
      const outcome = await attemptStart(testContext(), noTryLeft(crawlerInput(1)));
      // THEN
      expect(outcome).toBe('failed');
      expect(glueMock).not.toHaveReceivedCommand(ListCrawlsCommand);
      expect(failures()).toEqual([expect.objectContaining({ error: 'Glue.StartFailed' })]);
      expect(markedRunning()).toEqual([]);
    });
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
