import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  EntityNotFoundException, GetJobCommand, GetJobRunCommand, GetJobRunsCommand,
  JobRun, ListCrawlsCommand, StartJobRunCommand, ThrottlingException,
} from '@aws-sdk/client-glue';
import { SendEmailCommand } from '@aws-sdk/client-ses';
import { SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, TaskTimedOut } from '@aws-sdk/client-sfn';
import { DeleteCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { captureLogs, crawlHistory, ddbMock, glueMock, resetAwsMocks, serveCrawls, sesMock, sfnMock } from './aws-mocks';
import { TEST_LEASE_UNTIL, testContext } from './context';
import { crawlerInput, NOW, PIPELINE_ID, record, startingRecord, stepInput, TABLE_NAME } from './fixtures';
import { handleWorkEnded, RunEventResult } from '../../src/lambda/phases/run-event';
import { CORRELATION_ARGUMENT, resultsPartition, TrackingRecord, trackingPartition, trackingSortKey } from '../../src/shared/contract';

/**
 * A "Glue Job State Change" event names a run; the run's correlation argument names the record,
 * which is claimed only while it tracks that very run, then reported and removed.
 */
const EXEC_A = 'arn:aws:states:us-east-1:111122223333:execution:sm:exec-A';
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const KEY = { pk: trackingPartition(PIPELINE_ID), sk: trackingSortKey('tok1') };

/** GetJobRun answers for job1/jr_1 with this run, started by the task tok1 unless told (null: no arguments at all). */
function givenRun(run: Partial<JobRun>, args: Record<string, string> | null = { '--day': '2025-03-01', [CORRELATION_ARGUMENT]: 'tok1' }) {
  glueMock.on(GetJobRunCommand, { JobName: 'job1', RunId: 'jr_1' }).resolves({
    JobRun: { Id: 'jr_1', JobName: 'job1', Arguments: args ?? undefined, ...run },
  });
}

/** The claim wins and DynamoDB answers with the record as it now is (ReturnValues ALL_NEW). */
function givenClaimWins(overrides: Partial<TrackingRecord> = {}) {
  const claimed = record(1, { status: 'CLOSING', leaseUntil: TEST_LEASE_UNTIL, executionId: EXEC_A, taskToken: 'token-from-table', ...overrides });
  ddbMock.on(UpdateCommand).resolves({ Attributes: claimed });
  return claimed;
}

/** The "Glue Job State Change" of job1's run jr_1, handled: one result, as an event naming its run has. */
const ended = async (): Promise<RunEventResult> => {
  const results = await handleWorkEnded(testContext(), { stepKind: 'glue-job', resourceName: 'job1', runId: 'jr_1' });
  expect(results).toHaveLength(1);
  return results[0];
};
const deletedKeys = () => ddbMock.commandCalls(DeleteCommand).map((c) => c.args[0].input.Key);

/** Every call to DynamoDB and Step Functions in the order made, by command name. */
function callOrder(): string[] {
  return [...ddbMock.calls(), ...sfnMock.calls()]
    .sort((a, b) => (a.calledBefore(b) ? -1 : 1))
    .map((c) => (c.args[0] as object).constructor.name);
}

beforeEach(() => {
  resetAwsMocks();
  captureLogs();
});
afterEach(() => jest.restoreAllMocks());

describe('handleWorkEnded of a job run, a run that SUCCEEDED', () => {
  it('GIVEN a run of tok1 that SUCCEEDED WHEN its event is handled THEN the record of tok1 is claimed for that very run, the task succeeds with the claimed token, and the record is removed', async () => {
    // GIVEN
    givenRun({ JobRunState: 'SUCCEEDED', StartedOn: new Date('2025-03-01T11:00:00Z'), CompletedOn: new Date('2025-03-01T11:20:00Z'), ExecutionTime: 1200 });
    givenClaimWins();
    // WHEN
    const result = await ended();
    // THEN the claim: only the record of tok1, only while it tracks jr_1
    expect(glueMock).toHaveReceivedCommandWith(GetJobRunCommand, { JobName: 'job1', RunId: 'jr_1' });
    expect(ddbMock).toHaveReceivedCommandTimes(UpdateCommand, 1);
    const claim = ddbMock.commandCalls(UpdateCommand)[0].args[0].input;
    expect(claim).toMatchObject({
      TableName: TABLE_NAME,
      Key: KEY,
      UpdateExpression: 'SET #status = :to, #lease = :lease',
      ReturnValues: 'ALL_NEW',
    });
    expect(claim.ConditionExpression).toContain('#status IN (:from0, :from1)');
    expect(claim.ConditionExpression).toMatch(/ AND #runId = :runId$/);
    expect(claim.ExpressionAttributeNames).toMatchObject({ '#runId': 'runId', '#status': 'status' });
    expect(claim.ExpressionAttributeValues).toEqual({
      ':to': 'CLOSING', ':lease': TEST_LEASE_UNTIL, ':now': NOW.getTime(), ':from0': 'RUNNING', ':from1': 'CLOSING', ':runId': 'jr_1',
    });
    // ...the report, with the token from the claimed record
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
    const sent = sfnMock.commandCalls(SendTaskSuccessCommand)[0].args[0].input;
    expect(sent.taskToken).toBe('token-from-table');
    expect(JSON.parse(sent.output!)).toEqual({
      stepName: 'step1',
      jobName: 'job1',
      jobRunId: 'jr_1',
      state: 'SUCCEEDED',
      startedOn: '2025-03-01T11:00:00.000Z',
      completedOn: '2025-03-01T11:20:00.000Z',
      executionTimeSeconds: 1200,
    });
    // ...and the removal, in that order, with no scan of the table
    expect(deletedKeys()).toEqual([KEY]);
    expect(callOrder()).toEqual(['UpdateCommand', 'SendTaskSuccessCommand', 'DeleteCommand']);
    expect(ddbMock).not.toHaveReceivedCommand(QueryCommand);
    expect(ddbMock).not.toHaveReceivedCommand(GetCommand);
    expect(glueMock).not.toHaveReceivedCommand(GetJobRunsCommand);
    expect(result).toEqual({ outcome: 'succeeded', successorReady: EXEC_A });
  });

  it.each<[string, boolean | undefined]>([
    ['final unset (an older state machine)', undefined],
    ['final false', false],
  ])('GIVEN a step with %s WHEN its run SUCCEEDED THEN its execution is named successor-ready', async (_label, final) => {
    // GIVEN
    givenRun({ JobRunState: 'SUCCEEDED' });
    givenClaimWins({ input: stepInput(1, { final, executionId: EXEC_A }) });
    // WHEN
    const result = await ended();
    // THEN
    expect(result).toEqual({ outcome: 'succeeded', successorReady: EXEC_A });
  });

  it('GIVEN the last step (final: true) WHEN its run SUCCEEDED THEN the task succeeds but no successor is expected', async () => {
    // GIVEN
    givenRun({ JobRunState: 'SUCCEEDED' });
    givenClaimWins({ input: stepInput(1, { final: true, executionId: EXEC_A }) });
    // WHEN
    const result = await ended();
    // THEN
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
    expect(deletedKeys()).toEqual([KEY]);
    expect(result).toEqual({ outcome: 'succeeded', successorReady: undefined });
  });

  it('GIVEN Step Functions answers TaskTimedOut WHEN the success is reported THEN the outcome is closed, the record is removed and no successor is expected', async () => {
    // GIVEN
    givenRun({ JobRunState: 'SUCCEEDED' });
    givenClaimWins();
    sfnMock.on(SendTaskSuccessCommand).rejects(new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} }));
    // WHEN
    const result = await ended();
    // THEN
    expect(deletedKeys()).toEqual([KEY]);
    expect(result).toEqual({ outcome: 'closed', successorReady: undefined });
  });

  it('GIVEN Step Functions is unreachable WHEN the success is reported THEN the call fails and the CLOSING record is kept for the sweep', async () => {
    // GIVEN
    givenRun({ JobRunState: 'SUCCEEDED' });
    givenClaimWins();
    sfnMock.on(SendTaskSuccessCommand).rejects(Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' }));
    // WHEN
    const result = ended();
    // THEN
    await expect(result).rejects.toThrow('Service unavailable');
    expect(ddbMock).not.toHaveReceivedCommand(DeleteCommand);
  });
});

describe('handleWorkEnded of a job run, a run that failed', () => {
  it.each([
    ['FAILED', 'Glue.JobFailed'],
    ['STOPPED', 'Glue.JobStopped'],
    ['TIMEOUT', 'Glue.JobTimeout'],
    ['ERROR', 'Glue.JobError'],
    ['EXPIRED', 'Glue.JobExpired'],
  ])('GIVEN a run in %s WHEN its event is handled THEN the task fails with %s, one mail goes out, the record is removed and no successor is expected', async (state, error) => {
    // GIVEN
    givenRun({ JobRunState: state as JobRun['JobRunState'], ErrorMessage: 'out of memory' });
    givenClaimWins();
    // WHEN
    const result = await ended();
    // THEN
    expect(ddbMock).toHaveReceivedCommandWith(UpdateCommand, { Key: KEY, ExpressionAttributeValues: expect.objectContaining({ ':runId': 'jr_1', ':to': 'CLOSING' }) });
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskFailureCommand, 1);
    const sent = sfnMock.commandCalls(SendTaskFailureCommand)[0].args[0].input;
    expect(sent).toMatchObject({ taskToken: 'token-from-table', error });
    expect(JSON.parse(sent.cause!)).toEqual({ stepName: 'step1', jobName: 'job1', jobRunId: 'jr_1', state, message: 'out of memory' });
    expect(sfnMock).not.toHaveReceivedCommand(SendTaskSuccessCommand);
    expect(sesMock).toHaveReceivedCommandTimes(SendEmailCommand, 1);
    expect(deletedKeys()).toEqual([KEY]);
    // claim, report, note the mail on the record (a later report then mails no more), remove
    expect(callOrder()).toEqual(['UpdateCommand', 'SendTaskFailureCommand', 'UpdateCommand', 'DeleteCommand']);
    expect(result).toEqual({ outcome: 'failed', successorReady: undefined });
  });

  it('GIVEN Step Functions is unreachable WHEN the failure is reported THEN the outcome is error and the record is kept for the sweep', async () => {
    // GIVEN
    givenRun({ JobRunState: 'FAILED', ErrorMessage: 'boom' });
    givenClaimWins();
    sfnMock.on(SendTaskFailureCommand).rejects(Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' }));
    // WHEN
    const result = await ended();
    // THEN
    expect(ddbMock).not.toHaveReceivedCommand(DeleteCommand);
    expect(sesMock).not.toHaveReceivedCommand(SendEmailCommand);
    expect(result).toEqual({ outcome: 'error', successorReady: undefined });
  });
});

describe('handleWorkEnded of a job run, runs it does not report', () => {
  it.each<[string, Record<string, string> | null]>([
    ['no arguments at all', null],
    ['arguments without the correlation argument', { '--day': '2025-03-01' }],
    ['an empty correlation argument', { [CORRELATION_ARGUMENT]: '' }],
  ])('GIVEN a run with %s WHEN its event is handled THEN it is foreign: no DynamoDB and no Step Functions call', async (_label, args) => {
    // GIVEN
    givenRun({ JobRunState: 'SUCCEEDED' }, args);
    // WHEN
    const result = await ended();
    // THEN
    expect(glueMock).toHaveReceivedCommandTimes(GetJobRunCommand, 1);
    expect(ddbMock.calls()).toHaveLength(0);
    expect(sfnMock.calls()).toHaveLength(0);
    expect(result).toEqual({ outcome: 'foreign' });
  });

  it('GIVEN Glue does not know the run WHEN its event is handled THEN it is foreign and nothing else is called', async () => {
    // GIVEN
    glueMock.on(GetJobRunCommand).rejects(new EntityNotFoundException({ message: 'Job run not found', $metadata: {} }));
    // WHEN
    const result = await ended();
    // THEN
    expect(ddbMock.calls()).toHaveLength(0);
    expect(sfnMock.calls()).toHaveLength(0);
    expect(result).toEqual({ outcome: 'foreign' });
  });

  it('GIVEN GetJobRun is throttled WHEN the event is handled THEN the error propagates (the sweep reports the run) and nothing is claimed', async () => {
    // GIVEN
    glueMock.on(GetJobRunCommand).rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }));
    // WHEN
    const result = ended();
    // THEN
    await expect(result).rejects.toThrow('Rate exceeded');
    expect(ddbMock.calls()).toHaveLength(0);
    expect(sfnMock.calls()).toHaveLength(0);
  });

  it.each(['STARTING', 'RUNNING', 'STOPPING', 'WAITING', 'PAUSED'])(
    'GIVEN Glue still reports the run %s (the event ran ahead) WHEN its event is handled THEN it is in-flight: no claim, no heartbeat, no report',
    async (state) => {
      // GIVEN
      givenRun({ JobRunState: state as JobRun['JobRunState'] });
      // WHEN
      const result = await ended();
      // THEN
      expect(ddbMock.calls()).toHaveLength(0);
      expect(sfnMock.calls()).toHaveLength(0);
      expect(result).toEqual({ outcome: 'in-flight' });
    },
  );

  it('GIVEN the claim condition fails (record leased, moved on, or tracking another run) WHEN the event is handled THEN it is leased and nothing is sent or removed', async () => {
    // GIVEN
    givenRun({ JobRunState: 'SUCCEEDED' });
    ddbMock.on(UpdateCommand).rejects(conditionFailed());
    // WHEN
    const result = await ended();
    // THEN
    expect(ddbMock).toHaveReceivedCommandWith(UpdateCommand, { Key: KEY, ExpressionAttributeValues: expect.objectContaining({ ':runId': 'jr_1' }) });
    expect(sfnMock).not.toHaveReceivedCommand(SendTaskSuccessCommand);
    expect(sfnMock).not.toHaveReceivedCommand(SendTaskFailureCommand);
    expect(sfnMock).not.toHaveReceivedCommand(SendTaskHeartbeatCommand);
    expect(sesMock).not.toHaveReceivedCommand(SendEmailCommand);
    expect(ddbMock).not.toHaveReceivedCommand(DeleteCommand);
    expect(result).toEqual({ outcome: 'leased', successorReady: undefined });
  });

  it('GIVEN a FAILED run whose record another invocation holds WHEN the event is handled THEN no failure and no mail are sent', async () => {
    // GIVEN
    givenRun({ JobRunState: 'FAILED', ErrorMessage: 'boom' });
    ddbMock.on(UpdateCommand).rejects(conditionFailed());
    // WHEN
    const result = await ended();
    // THEN
    expect(sfnMock.calls()).toHaveLength(0);
    expect(sesMock).not.toHaveReceivedCommand(SendEmailCommand);
    expect(result).toEqual({ outcome: 'leased', successorReady: undefined });
  });
});

describe('handleWorkEnded of a job run, Glue\'s own retries (the job\'s MaxRetries)', () => {
  const ARGS = { [CORRELATION_ARGUMENT]: 'tok1' };
  const updates = () => ddbMock.commandCalls(UpdateCommand).map((c) => c.args[0].input);

  it('GIVEN attempt 0 FAILED and the job has MaxRetries 2 WHEN its event is handled THEN nothing is reported or mailed: Glue runs it again', async () => {
    // GIVEN
    givenRun({ JobRunState: 'FAILED', Attempt: 0, CompletedOn: NOW });
    glueMock.on(GetJobCommand).resolves({ Job: { Name: 'job1', MaxRetries: 2 } });
    glueMock.on(GetJobRunsCommand).resolves({ JobRuns: [{ Id: 'jr_1', Attempt: 0, JobRunState: 'FAILED', Arguments: ARGS }] });
    // WHEN
    const result = await ended();
    // THEN
    expect(result).toEqual({ outcome: 'in-flight' });
    expect(sfnMock).not.toHaveReceivedCommand(SendTaskFailureCommand);
    expect(sesMock).not.toHaveReceivedCommand(SendEmailCommand);
    expect(ddbMock).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('GIVEN Glue\'s retry (attempt 1) SUCCEEDED while the record may still track attempt 0 WHEN its event is handled THEN the record moves on from attempt 0 only, and the step succeeds with the retry\'s run', async () => {
    // GIVEN
    givenRun({ JobRunState: 'SUCCEEDED', Attempt: 1, PreviousRunId: 'jr_0' });
    glueMock.on(GetJobRunsCommand).resolves({
      JobRuns: [
        { Id: 'jr_1', Attempt: 1, PreviousRunId: 'jr_0', JobRunState: 'SUCCEEDED', Arguments: ARGS },
        { Id: 'jr_other', Attempt: 0, JobRunState: 'RUNNING', Arguments: { [CORRELATION_ARGUMENT]: 'tok2' } },
        { Id: 'jr_0', Attempt: 0, JobRunState: 'FAILED', Arguments: ARGS },
      ],
    });
    givenClaimWins({ runId: 'jr_1' });
    // WHEN
    const result = await ended();
    // THEN the move: a conditional write, only from an earlier attempt of this task (or done already)
    const [move, claim] = updates();
    expect(move).toMatchObject({ Key: KEY, UpdateExpression: 'SET #runId = :runId' });
    expect(move.ConditionExpression).toBe('attribute_exists(#pk) AND #status = :running AND #runId IN (:run0, :run1)');
    expect(move.ExpressionAttributeValues).toEqual({ ':running': 'RUNNING', ':runId': 'jr_1', ':run0': 'jr_0', ':run1': 'jr_1' });
    // ...then the claim, for the retry's run, and the success with its id
    expect(claim.ExpressionAttributeValues).toMatchObject({ ':runId': 'jr_1' });
    expect(JSON.parse(sfnMock.commandCalls(SendTaskSuccessCommand)[0].args[0].input.output!)).toMatchObject({ jobRunId: 'jr_1' });
    expect(glueMock).not.toHaveReceivedCommand(GetJobCommand);
    expect(result.outcome).toBe('succeeded');
  });
});

describe('handleWorkEnded of a crawl', () => {
  /** A RUNNING crawler step of execution EXEC_A tracking crawl `crawl-<n>`, which the runner started a minute before NOW. */
  const crawling = (n: number, crawlerName: string, overrides: Partial<TrackingRecord> = {}) => record(n, {
    resourceName: crawlerName,
    runId: `crawl-${n}`,
    executionId: EXEC_A,
    input: crawlerInput(n, { crawlerName, executionId: EXEC_A }),
    ...overrides,
  });

  /** The pipeline's task records; no results kept unless a test says so. */
  function givenTracked(...records: TrackingRecord[]) {
    ddbMock.on(QueryCommand).callsFake((input) => {
      const pk = input.ExpressionAttributeValues[':pk'];
      return pk === trackingPartition(PIPELINE_ID) ? { Items: records } : { Items: [] };
    });
  }

  /** ListCrawls of the crawler: step 1's crawl, `crawl-1`, in this state, begun a minute before NOW. */
  function givenCrawl(crawlerName: string, state: string) {
    const started = NOW.getTime() - 60_000;
    serveCrawls([crawlHistory('crawl-1', state, started, state === 'RUNNING' ? undefined : NOW.getTime(), { ErrorMessage: 'no access' })], crawlerName);
  }

  const crawlEnded = (crawlerName = 'raw') => handleWorkEnded(testContext(), { stepKind: 'glue-crawler', resourceName: crawlerName });

  it('GIVEN a crawler step of this crawler among other records WHEN its crawl SUCCEEDED THEN only that step is claimed for its crawl and reported, and its successor is ready', async () => {
    // GIVEN
    const mine = crawling(1, 'raw');
    givenTracked(mine, crawling(2, 'other'), record(3, { executionId: EXEC_A }), crawling(4, 'raw', { status: 'STARTING', runId: undefined }));
    givenCrawl('raw', 'COMPLETED');
    ddbMock.on(UpdateCommand).resolves({ Attributes: { ...mine, status: 'CLOSING' } });
    // WHEN
    const results = await crawlEnded();
    // THEN
    expect(results).toEqual([{ outcome: 'succeeded', successorReady: EXEC_A }]);
    expect(glueMock.commandCalls(ListCrawlsCommand).map((c) => c.args[0].input)).toEqual([{
      CrawlerName: 'raw', Filters: [{ FieldName: 'CRAWL_ID', FilterOperator: 'EQ', FieldValue: 'crawl-1' }], MaxResults: 100, NextToken: undefined,
    }]);
    const claim = ddbMock.commandCalls(UpdateCommand)[0].args[0].input;
    expect(claim).toMatchObject({ Key: { sk: mine.sk }, ExpressionAttributeValues: { ':runId': mine.runId } });
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
    expect(JSON.parse(sfnMock.commandCalls(SendTaskSuccessCommand)[0].args[0].input.output!)).toMatchObject({
      stepName: 'step1', crawlerName: 'raw', crawlId: 'crawl-1', state: 'SUCCEEDED', completedOn: NOW.toISOString(),
    });
    expect(deletedKeys()).toEqual([{ pk: trackingPartition(PIPELINE_ID), sk: mine.sk }]);
  });

  it('GIVEN a crawler step WHEN its crawl FAILED THEN the step fails with Glue.CrawlerFailed and no successor is ready', async () => {
    // GIVEN
    const mine = crawling(1, 'raw');
    givenTracked(mine);
    givenCrawl('raw', 'FAILED');
    ddbMock.on(UpdateCommand).resolves({ Attributes: { ...mine, status: 'CLOSING' } });
    // WHEN
    const results = await crawlEnded();
    // THEN
    expect(results).toEqual([{ outcome: 'failed' }]);
    expect(sfnMock).toHaveReceivedCommandWith(SendTaskFailureCommand, { error: 'Glue.CrawlerFailed' });
  });

  it('GIVEN the step\'s crawl is still listed RUNNING (stopping) when the event arrives WHEN handled THEN the step stays in flight for the sweep: nothing claimed or sent', async () => {
    // GIVEN
    givenTracked(crawling(1, 'raw'));
    givenCrawl('raw', 'RUNNING');
    // WHEN
    const results = await crawlEnded();
    // THEN
    expect(results).toEqual([{ outcome: 'in-flight' }]);
    expect(ddbMock).not.toHaveReceivedCommand(UpdateCommand);
    expect(sfnMock.calls()).toHaveLength(0);
  });

  it('GIVEN no step tracks a crawl of this crawler WHEN handled THEN nothing is read from Glue and nothing reported', async () => {
    // GIVEN
    givenTracked(crawling(2, 'other'), record(3));
    // WHEN
    const results = await crawlEnded();
    // THEN
    expect(results).toEqual([]);
    expect(glueMock.calls()).toHaveLength(0);
  });

  it('GIVEN a crawler step of a graph WHEN its crawl SUCCEEDED THEN its result is kept before the report, no successor is named, and its held dependents are released', async () => {
    // GIVEN
    const mine = crawling(1, 'raw', { input: crawlerInput(1, { crawlerName: 'raw', executionId: EXEC_A, dependsOn: [] }) });
    const dependent = startingRecord(2, { status: 'WAITING', executionId: EXEC_A, input: stepInput(2, { executionId: EXEC_A, dependsOn: ['step1'] }) });
    givenTracked(mine, dependent);
    ddbMock.on(QueryCommand, { ExpressionAttributeValues: { ':pk': resultsPartition(PIPELINE_ID, EXEC_A) } })
      .resolves({ Items: [{ stepName: 'step1', expiresAt: NOW.getTime() / 1000 + 3600, output: {} }] });
    givenCrawl('raw', 'COMPLETED');
    ddbMock.on(UpdateCommand, { Key: { sk: mine.sk } }).resolves({ Attributes: { ...mine, status: 'CLOSING' } });
    glueMock.on(StartJobRunCommand).resolves({ JobRunId: 'jr_2' });
    // WHEN
    const results = await crawlEnded();
    // THEN
    expect(results).toEqual([{ outcome: 'succeeded' }]);
    expect(callOrder().indexOf('PutCommand')).toBeLessThan(callOrder().indexOf('SendTaskSuccessCommand'));
    expect(glueMock).toHaveReceivedCommandWith(StartJobRunCommand, { JobName: 'job2' });
  });
});
