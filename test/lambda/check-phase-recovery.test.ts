import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetJobRunCommand, GetJobRunsCommand, GetJobRunsCommandInput, JobRun, StartJobRunCommand, ThrottlingException } from '@aws-sdk/client-glue';
import { SendEmailCommand } from '@aws-sdk/client-ses';
import { SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, TaskTimedOut } from '@aws-sdk/client-sfn';
import { DeleteCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { captureLogs, ddbMock, glueMock, pagesInOrder, resetAwsMocks, sesMock, sfnMock } from './aws-mocks';
import { TEST_LEASE_UNTIL, testContext } from './context';
import { NOW, PIPELINE_ID, record, startingRecord } from './fixtures';
import { runCheckPhase } from '../../src/lambda/phases/check-phase';
import { CORRELATION_ARGUMENT, TrackingRecord, trackingPartition } from '../../src/shared/contract';

/**
 * Records the check phase must not simply read and report: ones another invocation holds, and
 * STARTING records whose owner died or whose start was refused for now.
 */
const CLAIM = 'SET #status = :to, #lease = :lease';
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const closed = () => new TaskTimedOut({ message: 'x', $metadata: {} });
const ago = (ms: number) => new Date(NOW.getTime() - ms);

function givenTracked(...records: TrackingRecord[]) {
  ddbMock.on(QueryCommand).resolves({ Items: records });
}

/** A run of job1 started `msAgo` before NOW by the task `tokenId`. */
const runOf = (id: string, tokenId: string, msAgo: number): JobRun =>
  ({ Id: id, JobName: 'job1', StartedOn: ago(msAgo), JobRunState: 'RUNNING', Arguments: { '--day': '2025-03-01', [CORRELATION_ARGUMENT]: tokenId } });

const check = () => runCheckPhase(testContext()).then((r) => r.summary);
const keyOf = (r: TrackingRecord) => ({ pk: trackingPartition(PIPELINE_ID), sk: r.sk });
const updates = () => ddbMock.commandCalls(UpdateCommand).map((c) => c.args[0].input);
const claims = () => updates().filter((u) => u.UpdateExpression === CLAIM);

/** Every AWS call in the order made, by command name. */
function callOrder(): string[] {
  return [...ddbMock.calls(), ...glueMock.calls(), ...sfnMock.calls()]
    .sort((a, b) => (a.calledBefore(b) ? -1 : 1))
    .map((c) => (c.args[0] as object).constructor.name)
    .filter((name) => name !== 'QueryCommand');
}

beforeEach(() => {
  resetAwsMocks();
  captureLogs();
  glueMock.on(GetJobRunsCommand).resolves({ JobRuns: [] });
  glueMock.on(StartJobRunCommand).resolves({ JobRunId: 'jr_new' });
});
afterEach(() => jest.restoreAllMocks());

describe('records another invocation holds', () => {
  it('GIVEN a CLOSING record and a STARTING record whose leases are live WHEN checked THEN both are left untouched: no Glue, no Step Functions, no write', async () => {
    // GIVEN
    givenTracked(
      record(1, { status: 'CLOSING', leaseUntil: NOW.getTime() + 60_000 }),
      startingRecord(2, { leaseUntil: NOW.getTime() + 1 }),
    );
    // WHEN
    const summary = await check();
    // THEN
    expect(glueMock.calls()).toHaveLength(0);
    expect(sfnMock.calls()).toHaveLength(0);
    expect(ddbMock).not.toHaveReceivedCommand(UpdateCommand);
    expect(ddbMock).not.toHaveReceivedCommand(DeleteCommand);
    expect(summary).toMatchObject({ leased: 2, error: 0 });
  });

  it.each([
    ['SUCCEEDED' as const],
    ['FAILED' as const],
  ])('GIVEN a run that ended %s WHEN the claim to report it is lost to another invocation THEN nothing is reported, mailed or deleted', async (state) => {
    // GIVEN
    givenTracked(record(1));
    glueMock.on(GetJobRunCommand).resolves({ JobRun: { Id: 'jr_1', JobRunState: state, ErrorMessage: 'boom' } });
    ddbMock.on(UpdateCommand, { UpdateExpression: CLAIM }).rejects(conditionFailed());
    // WHEN
    const summary = await check();
    // THEN
    expect(claims()).toHaveLength(1);
    expect(sfnMock).not.toHaveReceivedCommand(SendTaskSuccessCommand);
    expect(sfnMock).not.toHaveReceivedCommand(SendTaskFailureCommand);
    expect(sesMock).not.toHaveReceivedCommand(SendEmailCommand);
    expect(ddbMock).not.toHaveReceivedCommand(DeleteCommand);
    expect(summary).toMatchObject({ leased: 1, succeeded: 0, failed: 0, error: 0 });
  });

  it('GIVEN a CLOSING record whose holder died before reporting (lease passed) WHEN checked THEN it is re-claimed under a new lease, reported and deleted', async () => {
    // GIVEN
    const abandoned = record(1, { status: 'CLOSING', leaseUntil: NOW.getTime() - 1 });
    givenTracked(abandoned);
    glueMock.on(GetJobRunCommand).resolves({ JobRun: { Id: 'jr_1', JobRunState: 'SUCCEEDED' } });
    // WHEN
    const summary = await check();
    // THEN
    expect(claims()).toEqual([expect.objectContaining({
      Key: keyOf(abandoned),
      ExpressionAttributeValues: expect.objectContaining({ ':from0': 'RUNNING', ':from1': 'CLOSING', ':to': 'CLOSING', ':lease': TEST_LEASE_UNTIL }),
    })]);
    expect(sfnMock).toHaveReceivedCommandWith(SendTaskSuccessCommand, { taskToken: 'token-1' });
    expect(ddbMock).toHaveReceivedCommandWith(DeleteCommand, { Key: keyOf(abandoned) });
    expect(summary).toMatchObject({ succeeded: 1, error: 0 });
  });

  it('GIVEN a CLOSING record whose holder died after reporting a failure WHEN re-reported and Step Functions says the task is closed THEN it is deleted without a second mail', async () => {
    // GIVEN
    givenTracked(record(1, { status: 'CLOSING', leaseUntil: NOW.getTime() - 1 }));
    glueMock.on(GetJobRunCommand).resolves({ JobRun: { Id: 'jr_1', JobRunState: 'FAILED', ErrorMessage: 'boom' } });
    sfnMock.on(SendTaskFailureCommand).rejects(closed());
    // WHEN
    const summary = await check();
    // THEN
    expect(sesMock).not.toHaveReceivedCommand(SendEmailCommand);
    expect(ddbMock).toHaveReceivedCommandTimes(DeleteCommand, 1);
    expect(summary).toMatchObject({ closed: 1, failed: 0 });
  });

  it('GIVEN a claimed run whose failure cannot be reported (Step Functions throttling) WHEN checked THEN the record is kept for the next cycle and counted as an error', async () => {
    // GIVEN
    givenTracked(record(1));
    glueMock.on(GetJobRunCommand).resolves({ JobRun: { Id: 'jr_1', JobRunState: 'FAILED' } });
    sfnMock.on(SendTaskFailureCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    // WHEN
    const summary = await check();
    // THEN
    expect(ddbMock).not.toHaveReceivedCommand(DeleteCommand);
    expect(summary).toMatchObject({ error: 1, failed: 0 });
  });
});

describe('STARTING records', () => {
  it('GIVEN a refused start waiting for its retry time WHEN checked THEN the task is only heartbeated: no claim, no lookup, no start', async () => {
    // GIVEN
    givenTracked(startingRecord(1, { startAttempts: 1, nextStartAt: NOW.getTime() + 20_000, lastError: 'ThrottlingException: Rate exceeded' }));
    // WHEN
    const summary = await check();
    // THEN
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskHeartbeatCommand, 1);
    expect(sfnMock).toHaveReceivedCommandWith(SendTaskHeartbeatCommand, { taskToken: 'token-1' });
    expect(glueMock.calls()).toHaveLength(0);
    expect(ddbMock).not.toHaveReceivedCommand(UpdateCommand);
    expect(ddbMock).not.toHaveReceivedCommand(DeleteCommand);
    expect(summary).toMatchObject({ 'waiting-to-start': 1, 'error': 0 });
  });

  it('GIVEN a refused start waiting for its retry time WHEN its token is already closed THEN the record is deleted and nothing is started', async () => {
    // GIVEN
    givenTracked(startingRecord(1, { startAttempts: 1, nextStartAt: NOW.getTime() + 20_000 }));
    sfnMock.on(SendTaskHeartbeatCommand).rejects(closed());
    // WHEN
    const summary = await check();
    // THEN
    expect(ddbMock).toHaveReceivedCommandWith(DeleteCommand, { Key: keyOf(startingRecord(1)) });
    expect(glueMock.calls()).toHaveLength(0);
    expect(summary).toMatchObject({ 'closed': 1, 'waiting-to-start': 0 });
  });

  it('GIVEN a STARTING record whose owner died after StartJobRun WHEN checked THEN the run is found by its correlation argument on a later page and tracked, with no second StartJobRun', async () => {
    // GIVEN the owner's run is on the second page of GetJobRuns, behind runs of other tasks
    givenTracked(startingRecord(1));
    const pages = pagesInOrder<GetJobRunsCommandInput>([
      { JobRuns: [runOf('jr_other1', 'tok9', 10_000), runOf('jr_other2', 'tok8', 20_000)], NextToken: 'page-2' },
      { JobRuns: [runOf('jr_mine', 'tok1', 55_000)] },
    ]);
    glueMock.on(GetJobRunsCommand).callsFake(pages.answer);
    // WHEN
    const summary = await check();
    // THEN
    const lookups = pages.sent;
    expect(lookups).toEqual([{ JobName: 'job1', MaxResults: 200, NextToken: undefined }, { JobName: 'job1', MaxResults: 200, NextToken: 'page-2' }]);
    expect(glueMock).not.toHaveReceivedCommand(StartJobRunCommand);
    expect(updates().map((u) => u.ExpressionAttributeValues?.[':runId']).filter(Boolean)).toEqual(['jr_mine']);
    // (the round's GetCommand first; found in a heartbeat round, the recovered task is heartbeated; the round is recorded last)
    expect(callOrder()).toEqual(['GetCommand', 'UpdateCommand', 'GetJobRunsCommand', 'GetJobRunsCommand', 'UpdateCommand', 'SendTaskHeartbeatCommand', 'PutCommand']);
    expect(summary).toMatchObject({ recovered: 1, started: 0, error: 0 });
  });

  it('GIVEN a STARTING record whose owner died before StartJobRun WHEN checked THEN it is claimed, looked up, heartbeated, then started once with its correlation argument', async () => {
    // GIVEN a retry time already passed, and only runs of other tasks in Glue
    const stale = startingRecord(1, { startAttempts: 1, nextStartAt: NOW.getTime() - 1 });
    givenTracked(stale);
    glueMock.on(GetJobRunsCommand).resolves({ JobRuns: [runOf('jr_other', 'tok9', 30_000)] });
    // WHEN
    const summary = await check();
    // THEN
    expect(callOrder()).toEqual(['GetCommand', 'UpdateCommand', 'GetJobRunsCommand', 'SendTaskHeartbeatCommand', 'StartJobRunCommand', 'UpdateCommand', 'PutCommand']);
    expect(claims()).toEqual([expect.objectContaining({
      Key: keyOf(stale), ExpressionAttributeValues: expect.objectContaining({ ':from0': 'STARTING', ':to': 'STARTING', ':lease': TEST_LEASE_UNTIL }),
    })]);
    expect(glueMock).toHaveReceivedCommandWith(StartJobRunCommand, { JobName: 'job1', Arguments: { '--day': '2025-03-01', [CORRELATION_ARGUMENT]: 'tok1' } });
    expect(updates()[1]).toMatchObject({ Key: keyOf(stale), ExpressionAttributeValues: { ':runId': 'jr_new', ':running': 'RUNNING' } });
    expect(summary).toMatchObject({ started: 1, recovered: 0, error: 0 });
  });

  it('GIVEN the job\'s runs reach back past the record\'s creation (less 5 min) WHEN looked up THEN paging stops there and the start goes ahead', async () => {
    // GIVEN the first page ends with a run 10 minutes old (the record is 1 minute old) and more pages follow
    givenTracked(startingRecord(1));
    glueMock.on(GetJobRunsCommand).resolves({ JobRuns: [runOf('jr_other', 'tok9', 30_000), runOf('jr_old', 'tok7', 600_000)], NextToken: 'page-2' });
    // WHEN
    const summary = await check();
    // THEN
    expect(glueMock).toHaveReceivedCommandTimes(GetJobRunsCommand, 1);
    expect(glueMock).toHaveReceivedCommandTimes(StartJobRunCommand, 1);
    expect(summary).toMatchObject({ started: 1 });
  });

  it('GIVEN another invocation claims the stale STARTING record first WHEN checked THEN this one neither looks up nor starts anything', async () => {
    // GIVEN
    givenTracked(startingRecord(1));
    ddbMock.on(UpdateCommand, { UpdateExpression: CLAIM }).rejects(conditionFailed());
    // WHEN
    const summary = await check();
    // THEN
    expect(glueMock.calls()).toHaveLength(0);
    expect(sfnMock.calls()).toHaveLength(0);
    expect(summary).toMatchObject({ leased: 1, started: 0 });
  });

  it('GIVEN a stale STARTING record whose token is already closed WHEN checked THEN the record is deleted and no run is started for a dead task', async () => {
    // GIVEN
    givenTracked(startingRecord(1));
    sfnMock.on(SendTaskHeartbeatCommand).rejects(closed());
    // WHEN
    const summary = await check();
    // THEN
    expect(glueMock).not.toHaveReceivedCommand(StartJobRunCommand);
    expect(ddbMock).toHaveReceivedCommandWith(DeleteCommand, { Key: keyOf(startingRecord(1)) });
    expect(summary).toMatchObject({ closed: 1, started: 0 });
  });

  it('GIVEN a resumed start that Glue refuses for now again WHEN checked THEN it is deferred with one more attempt and a longer wait, and the step is not failed', async () => {
    // GIVEN
    givenTracked(startingRecord(1, { startAttempts: 1, nextStartAt: NOW.getTime() - 1 }));
    glueMock.on(StartJobRunCommand).rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }));
    // WHEN
    const summary = await check();
    // THEN
    expect(updates()[1]).toMatchObject({
      UpdateExpression: 'SET #attempts = :attempts, #next = :next, #lastError = :lastError, #lease = :zero REMOVE #sent',
      ExpressionAttributeValues: { ':attempts': 2, ':next': NOW.getTime() + 60_000, ':lastError': 'ThrottlingException: Rate exceeded', ':zero': 0 },
    });
    expect(sfnMock).not.toHaveReceivedCommand(SendTaskFailureCommand);
    expect(summary).toMatchObject({ deferred: 1, error: 0 });
  });

  it('GIVEN the correlation lookup itself is throttled WHEN checked THEN nothing is started (the run may exist) and the record waits for the next cycle', async () => {
    // GIVEN
    givenTracked(startingRecord(1));
    glueMock.on(GetJobRunsCommand).rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }));
    // WHEN
    const summary = await check();
    // THEN
    expect(glueMock).not.toHaveReceivedCommand(StartJobRunCommand);
    expect(ddbMock).not.toHaveReceivedCommand(DeleteCommand);
    expect(summary).toMatchObject({ error: 1, started: 0 });
  });
});

describe('stale pages and foreign records', () => {
  it('GIVEN a page read before another invocation deferred the record again WHEN the claim returns the fresh record THEN its attempt count is the one carried on', async () => {
    // GIVEN the page says 1 attempt, retry time passed; the claim returns the table's truth: 2 attempts
    const stale = startingRecord(1, { startAttempts: 1, nextStartAt: NOW.getTime() - 1, createdAt: ago(20 * 60_000).toISOString() });
    givenTracked(stale);
    glueMock.on(GetJobRunsCommand).resolves({ JobRuns: [] });
    ddbMock.on(UpdateCommand).callsFake((input) => (input.UpdateExpression === CLAIM ? { Attributes: { ...stale, startAttempts: 2 } } : {}));
    glueMock.on(StartJobRunCommand).rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }));
    // WHEN
    await check();
    // THEN the deferral counts on from the fresh 2, not the stale 1
    const deferral = updates().find((u) => String(u.UpdateExpression).includes('#next = :next'))!;
    expect(deferral.ExpressionAttributeValues).toMatchObject({ ':attempts': 3 });
  });

  it('GIVEN a claim refused because the start is deferred again WHEN checked THEN nothing is started', async () => {
    // GIVEN the page shows the retry time passed, but the claim's condition (nextStartAt <= now) fails
    givenTracked(startingRecord(1, { startAttempts: 1, nextStartAt: NOW.getTime() - 1 }));
    ddbMock.on(UpdateCommand).rejects(conditionFailed());
    // WHEN
    const summary = await check();
    // THEN
    expect(glueMock).not.toHaveReceivedCommand(StartJobRunCommand);
    expect(summary.leased).toBe(1);
  });

  it('GIVEN a STARTING record without its task input (an older runner wrote it) WHEN checked THEN it is removed, not heartbeated forever', async () => {
    // GIVEN
    const { input: _input, ...old } = startingRecord(1, { createdAt: ago(20 * 60_000).toISOString() });
    givenTracked(old as TrackingRecord);
    // WHEN
    const summary = await check();
    // THEN its task is left to the heartbeat timeout and the state's Retry
    expect(sfnMock).not.toHaveReceivedCommand(SendTaskHeartbeatCommand);
    expect(glueMock).not.toHaveReceivedCommand(StartJobRunCommand);
    expect(ddbMock).toHaveReceivedCommandWith(DeleteCommand, { Key: keyOf(old as TrackingRecord) });
    expect(summary).toMatchObject({ closed: 1, error: 0 });
  });
});
