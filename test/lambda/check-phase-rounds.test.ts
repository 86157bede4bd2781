import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchStopJobRunCommand, GetJobRunCommand, JobRun, StartJobRunCommand } from '@aws-sdk/client-glue';
import { SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, TaskTimedOut } from '@aws-sdk/client-sfn';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { captureLogs, ddbMock, glueMock, loggedLines, resetAwsMocks, sfnMock } from './aws-mocks';
import { testContext } from './context';
import { config, NOW, PIPELINE_ID, record, startingRecord, stepInput, TABLE_NAME } from './fixtures';
import { RunnerContext, runnerContext } from '../../src/lambda/entry/runner-context';
import { runCheckPhase } from '../../src/lambda/phases/check-phase';
import { TrackingStore } from '../../src/lambda/store/tracking-store';
import { heartbeatRoundKey, TrackingRecord } from '../../src/shared/contract';

/**
 * Heartbeat rounds in the check phase: a sweep heartbeats every task in flight when one is due,
 * and none otherwise; a complete round is stored under the pipeline's round key.
 */
const T = NOW.getTime();
const MINUTE = 60_000;
/** With a 1-minute interval and HeartbeatSeconds 300, the lead is 240 s: due once more than 60 s passed since the round. */
const ONE_MINUTE_INTERVAL = 60_000;
const ROUND_KEY = heartbeatRoundKey(PIPELINE_ID);
/** Records created an hour ago: the round, not their creation, is their last heartbeat. */
const LONG_AGO = new Date(T - 60 * MINUTE).toISOString();

const execution = (name: string) => `arn:aws:states:us-east-1:111122223333:execution:sm:${name}`;

/** A RUNNING record created long ago, of its own execution. */
function tracked(n: number, overrides: Partial<TrackingRecord> = {}): TrackingRecord {
  return record(n, { createdAt: LONG_AGO, executionId: execution(`exec-${n}`), ...overrides });
}

/** The table holds these records; `advance` runs at each query (to move the test's clock on). */
function givenTracked(records: TrackingRecord[], advance?: () => void) {
  ddbMock.on(QueryCommand).callsFake(() => {
    advance?.();
    return { Items: records };
  });
}

function givenRun(runId: string, state: JobRun['JobRunState']) {
  glueMock.on(GetJobRunCommand, { RunId: runId }).resolves({ JobRun: { Id: runId, JobRunState: state } });
}

/** The pipeline's last complete round was `agoMs` before NOW. */
function givenRoundAgo(agoMs: number) {
  ddbMock.on(GetCommand).resolves({ Item: { ...ROUND_KEY, roundAt: T - agoMs } });
}

/** A context whose schedule runs every `checkIntervalMs`, with a clock the test moves. */
function contextWith(checkIntervalMs: number, clock: () => number = () => T): RunnerContext {
  return runnerContext({ ...config(), checkIntervalMs }, new TrackingStore(TABLE_NAME, PIPELINE_ID), () => 600_000, clock);
}

const heartbeatTokens = () => sfnMock.commandCalls(SendTaskHeartbeatCommand).map((c) => c.args[0].input.taskToken).sort();
const roundPuts = () => ddbMock.commandCalls(PutCommand).map((c) => c.args[0].input);

beforeEach(() => {
  resetAwsMocks();
  captureLogs();
});
afterEach(() => jest.restoreAllMocks());

describe('check phase, no heartbeat round due', () => {
  it('GIVEN a 1-minute interval and a round 30 s ago WHEN runs in flight are checked THEN no heartbeat is sent, each is quiet, and no round is stored', async () => {
    // GIVEN
    givenTracked([tracked(1), tracked(2), tracked(3)]);
    [1, 2, 3].forEach((n) => givenRun(`jr_${n}`, 'RUNNING'));
    givenRoundAgo(30_000);
    // WHEN
    const { summary, occupied } = await runCheckPhase(contextWith(ONE_MINUTE_INTERVAL));
    // THEN
    expect(ddbMock).toHaveReceivedCommandTimes(GetCommand, 1);
    expect(ddbMock).toHaveReceivedCommandWith(GetCommand, { TableName: TABLE_NAME, Key: ROUND_KEY, ConsistentRead: true });
    expect(glueMock).toHaveReceivedCommandTimes(GetJobRunCommand, 3);
    expect(sfnMock).not.toHaveReceivedCommand(SendTaskHeartbeatCommand);
    expect(ddbMock).not.toHaveReceivedCommand(PutCommand);
    expect(summary).toMatchObject({ heartbeatRound: false, quiet: 3, heartbeat: 0, error: 0 });
    expect([...occupied].sort()).toEqual([execution('exec-1'), execution('exec-2'), execution('exec-3')]);
  });

  it('GIVEN a 1-minute interval and a round exactly 60 s ago WHEN checked THEN still no round: due only once more than 60 s passed', async () => {
    // GIVEN
    givenTracked([tracked(1)]);
    givenRun('jr_1', 'RUNNING');
    givenRoundAgo(60_000);
    // WHEN
    const { summary } = await runCheckPhase(contextWith(ONE_MINUTE_INTERVAL));
    // THEN
    expect(sfnMock).not.toHaveReceivedCommand(SendTaskHeartbeatCommand);
    expect(summary).toMatchObject({ heartbeatRound: false, quiet: 1 });
  });

  it('GIVEN a 1-minute interval, a round 30 s ago and a STARTING record waiting for its retry WHEN checked THEN it is left waiting with no heartbeat and no Glue call', async () => {
    // GIVEN
    givenTracked([startingRecord(1, { createdAt: LONG_AGO, nextStartAt: T + MINUTE, startAttempts: 1 })]);
    givenRoundAgo(30_000);
    // WHEN
    const { summary } = await runCheckPhase(contextWith(ONE_MINUTE_INTERVAL));
    // THEN
    expect(sfnMock.calls()).toHaveLength(0);
    expect(glueMock.calls()).toHaveLength(0);
    expect(summary).toMatchObject({ 'heartbeatRound': false, 'waiting-to-start': 1 });
  });

  it('GIVEN a 1-minute interval, a round 30 s ago and an expired record long overdue WHEN checked THEN the expired record does not call a round: it is only removed', async () => {
    // GIVEN a record that would call a round (HeartbeatSeconds 60: its deadline passed) but is past its life
    const expired = tracked(2, { expiresAt: Math.floor(T / 1000) - 1, input: stepInput(2, { heartbeatSeconds: 60 }) });
    givenTracked([tracked(1), expired]);
    givenRun('jr_1', 'RUNNING');
    givenRoundAgo(30_000);
    // WHEN
    const { summary } = await runCheckPhase(contextWith(ONE_MINUTE_INTERVAL));
    // THEN
    expect(sfnMock).not.toHaveReceivedCommand(SendTaskHeartbeatCommand);
    expect(ddbMock.commandCalls(DeleteCommand).map((c) => c.args[0].input.Key?.sk)).toEqual([expired.sk]);
    expect(summary).toMatchObject({ heartbeatRound: false, quiet: 1, expired: 1 });
  });

  it('GIVEN an empty table WHEN checked THEN the round is not even read', async () => {
    // GIVEN
    givenTracked([]);
    // WHEN
    const { summary } = await runCheckPhase(contextWith(ONE_MINUTE_INTERVAL));
    // THEN
    expect(ddbMock).not.toHaveReceivedCommand(GetCommand);
    expect(ddbMock).not.toHaveReceivedCommand(PutCommand);
    expect(summary).toMatchObject({ heartbeatRound: false, pages: 1 });
  });
});

describe('check phase, a heartbeat round due', () => {
  it('GIVEN the fixtures\' 5-minute interval (lead 720 s > HeartbeatSeconds 300) and a round 30 s ago WHEN checked THEN a round goes out all the same', async () => {
    // GIVEN
    givenTracked([tracked(1), tracked(2)]);
    givenRun('jr_1', 'RUNNING');
    givenRun('jr_2', 'RUNNING');
    givenRoundAgo(30_000);
    // WHEN
    const { summary } = await runCheckPhase(testContext());
    // THEN
    expect(heartbeatTokens()).toEqual(['token-1', 'token-2']);
    expect(ddbMock).toHaveReceivedCommandTimes(PutCommand, 1);
    expect(summary).toMatchObject({ heartbeatRound: true, heartbeat: 2, quiet: 0 });
  });

  it('GIVEN a 1-minute interval and a round 90 s ago WHEN checked THEN every task in flight is heartbeated and the round is stored as the time the sweep began', async () => {
    // GIVEN a clock that moves on while the table is read, so the sweep's start differs from "now"
    let clock = T;
    givenTracked([tracked(1), tracked(2), tracked(3)], () => { clock += 2_000; });
    [1, 2, 3].forEach((n) => givenRun(`jr_${n}`, 'RUNNING'));
    givenRoundAgo(90_000);
    // WHEN
    const { summary } = await runCheckPhase(contextWith(ONE_MINUTE_INTERVAL, () => clock));
    // THEN
    expect(heartbeatTokens()).toEqual(['token-1', 'token-2', 'token-3']);
    expect(roundPuts()).toEqual([{
      TableName: TABLE_NAME,
      Item: { pk: 'pipeline#nightly-etl#heartbeats', sk: 'round', roundAt: T },
      ConditionExpression: 'attribute_not_exists(#pk) OR #at < :at',
      ExpressionAttributeNames: { '#pk': 'pk', '#at': 'roundAt' },
      ExpressionAttributeValues: { ':at': T },
    }]);
    expect(clock).toBe(T + 2_000);
    expect(summary).toMatchObject({ heartbeatRound: true, heartbeat: 3, quiet: 0, error: 0 });
  });

  it('GIVEN no round stored yet WHEN checked at a 1-minute interval THEN a round goes out and is stored', async () => {
    // GIVEN (GetCommand answers no item)
    givenTracked([tracked(1)]);
    givenRun('jr_1', 'RUNNING');
    // WHEN
    const { summary } = await runCheckPhase(contextWith(ONE_MINUTE_INTERVAL));
    // THEN
    expect(heartbeatTokens()).toEqual(['token-1']);
    expect(roundPuts().map((p) => p.Item)).toEqual([{ ...ROUND_KEY, roundAt: T }]);
    expect(summary.heartbeatRound).toBe(true);
  });

  it('GIVEN a round 30 s ago but one step with a shorter HeartbeatSeconds WHEN checked at a 1-minute interval THEN that one step calls a round for every task', async () => {
    // GIVEN step 2's deadline is 230 s away, under the 240 s lead
    givenTracked([tracked(1), tracked(2, { input: stepInput(2, { heartbeatSeconds: 260 }) }), tracked(3)]);
    [1, 2, 3].forEach((n) => givenRun(`jr_${n}`, 'RUNNING'));
    givenRoundAgo(30_000);
    // WHEN
    const { summary } = await runCheckPhase(contextWith(ONE_MINUTE_INTERVAL));
    // THEN
    expect(heartbeatTokens()).toEqual(['token-1', 'token-2', 'token-3']);
    expect(ddbMock).toHaveReceivedCommandTimes(PutCommand, 1);
    expect(summary).toMatchObject({ heartbeatRound: true, heartbeat: 3 });
  });

  it('GIVEN a round due and one record leased by another invocation WHEN checked THEN the others are heartbeated but the round is not stored: one task missed it', async () => {
    // GIVEN
    givenTracked([tracked(1), tracked(2, { leaseUntil: T + MINUTE }), tracked(3)]);
    givenRun('jr_1', 'RUNNING');
    givenRun('jr_3', 'RUNNING');
    givenRoundAgo(90_000);
    // WHEN
    const { summary, occupied } = await runCheckPhase(contextWith(ONE_MINUTE_INTERVAL));
    // THEN
    expect(heartbeatTokens()).toEqual(['token-1', 'token-3']);
    expect(glueMock.commandCalls(GetJobRunCommand).map((c) => c.args[0].input.RunId).sort()).toEqual(['jr_1', 'jr_3']);
    expect(ddbMock).not.toHaveReceivedCommand(PutCommand);
    expect(summary).toMatchObject({ heartbeatRound: true, heartbeat: 2, leased: 1 });
    expect([...occupied].sort()).toEqual([execution('exec-1'), execution('exec-2'), execution('exec-3')]);
  });

  it('GIVEN a round due and one heartbeat failing for a transient reason WHEN checked THEN the round is not stored, so the next sweep sends another', async () => {
    // GIVEN
    givenTracked([tracked(1), tracked(2)]);
    givenRun('jr_1', 'RUNNING');
    givenRun('jr_2', 'RUNNING');
    givenRoundAgo(90_000);
    sfnMock.on(SendTaskHeartbeatCommand, { taskToken: 'token-2' }).rejects(Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' }));
    // WHEN
    const { summary } = await runCheckPhase(contextWith(ONE_MINUTE_INTERVAL));
    // THEN
    expect(heartbeatTokens()).toEqual(['token-1', 'token-2']);
    expect(ddbMock).not.toHaveReceivedCommand(PutCommand);
    expect(summary).toMatchObject({ heartbeatRound: true, heartbeat: 1, error: 1 });
  });

  it('GIVEN a round due where a record is closed and another ends WHEN checked THEN the round is still complete and stored', async () => {
    // GIVEN task 1 timed out while its run is in flight; run 2 succeeded; run 3 in flight
    givenTracked([tracked(1), tracked(2), tracked(3)]);
    givenRun('jr_1', 'RUNNING');
    givenRun('jr_2', 'SUCCEEDED');
    givenRun('jr_3', 'RUNNING');
    givenRoundAgo(90_000);
    sfnMock.on(SendTaskHeartbeatCommand, { taskToken: 'token-1' }).rejects(new TaskTimedOut({ message: 'x', $metadata: {} }));
    // WHEN
    const { summary } = await runCheckPhase(contextWith(ONE_MINUTE_INTERVAL));
    // THEN
    expect(glueMock).toHaveReceivedCommandWith(BatchStopJobRunCommand, { JobName: 'job1', JobRunIds: ['jr_1'] });
    expect(heartbeatTokens()).toEqual(['token-1', 'token-3']);
    expect(sfnMock).toHaveReceivedCommandWith(SendTaskSuccessCommand, { taskToken: 'token-2' });
    expect(roundPuts().map((p) => p.Item)).toEqual([{ ...ROUND_KEY, roundAt: T }]);
    expect(summary).toMatchObject({ heartbeatRound: true, heartbeat: 1, closed: 1, succeeded: 1, error: 0 });
  });

  it('GIVEN a round due and a STARTING record waiting for its retry WHEN checked THEN its task is kept alive with a heartbeat and not started', async () => {
    // GIVEN
    givenTracked([startingRecord(1, { createdAt: LONG_AGO, nextStartAt: T + MINUTE, startAttempts: 1 })]);
    givenRoundAgo(90_000);
    // WHEN
    const { summary } = await runCheckPhase(contextWith(ONE_MINUTE_INTERVAL));
    // THEN
    expect(heartbeatTokens()).toEqual(['token-1']);
    expect(glueMock).not.toHaveReceivedCommand(StartJobRunCommand);
    expect(ddbMock).toHaveReceivedCommandTimes(PutCommand, 1);
    expect(summary).toMatchObject({ 'heartbeatRound': true, 'waiting-to-start': 1 });
  });

  it('GIVEN a later round was stored meanwhile (condition fails) WHEN the round is recorded THEN the check phase ends normally', async () => {
    // GIVEN
    givenTracked([tracked(1)]);
    givenRun('jr_1', 'RUNNING');
    ddbMock.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    // WHEN
    const { summary } = await runCheckPhase(contextWith(ONE_MINUTE_INTERVAL));
    // THEN
    expect(ddbMock).toHaveReceivedCommandTimes(PutCommand, 1);
    expect(summary).toMatchObject({ heartbeatRound: true, heartbeat: 1, error: 0 });
  });

  it('GIVEN DynamoDB refuses to store the round WHEN checked THEN the check phase still ends normally and logs a warning', async () => {
    // GIVEN
    const logs = captureLogs();
    givenTracked([tracked(1)]);
    givenRun('jr_1', 'RUNNING');
    ddbMock.on(PutCommand).rejects(Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ProvisionedThroughputExceededException' }));
    // WHEN
    const { summary } = await runCheckPhase(contextWith(ONE_MINUTE_INTERVAL));
    // THEN
    expect(summary).toMatchObject({ heartbeatRound: true, heartbeat: 1, error: 0 });
    expect(loggedLines(logs).some((l) => l.includes('could not record the heartbeat round') && l.includes('ProvisionedThroughputExceededException'))).toBe(true);
  });
});

describe('check phase, round unknown', () => {
  it('GIVEN the round item cannot be read WHEN checked THEN every task is heartbeated, as if no round had gone out, and the runs are still checked', async () => {
    // GIVEN
    const logs = captureLogs();
    givenTracked([tracked(1), tracked(2)]);
    givenRun('jr_1', 'RUNNING');
    givenRun('jr_2', 'SUCCEEDED');
    givenRoundAgo(30_000);
    ddbMock.on(GetCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    // WHEN
    const { summary } = await runCheckPhase(contextWith(ONE_MINUTE_INTERVAL));
    // THEN
    expect(summary).toMatchObject({ heartbeatRound: true, heartbeat: 1, succeeded: 1, error: 0 });
    expect(heartbeatTokens()).toEqual(['token-1']);
    expect(loggedLines(logs).some((l) => l.includes('could not read the heartbeat round') && l.includes('ThrottlingException'))).toBe(true);
  });
});

describe('check phase, a lease that runs out meanwhile', () => {
  it('GIVEN a record leased while the runs are read, free by the time it is checked WHEN checked THEN its run is read on its own and reported', async () => {
    // GIVEN a lease ending 5 s after the sweep began, and the clock 10 s on once the round is read
    let now = T;
    givenTracked([tracked(1, { leaseUntil: T + 5_000 }), tracked(2)]);
    givenRun('jr_1', 'SUCCEEDED');
    givenRun('jr_2', 'RUNNING');
    ddbMock.on(GetCommand).callsFake(() => {
      now = T + 10_000;
      return {};
    });
    // WHEN
    const { summary } = await runCheckPhase(contextWith(ONE_MINUTE_INTERVAL, () => now));
    // THEN
    expect(summary).toMatchObject({ succeeded: 1, heartbeat: 1, leased: 0, error: 0 });
    expect(glueMock.commandCalls(GetJobRunCommand).map((c) => c.args[0].input.RunId).sort()).toEqual(['jr_1', 'jr_2']);
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
  });
});

describe('check phase, what it learned about executions', () => {
  it('GIVEN records that succeed, end, fail, run on, are leased or closed WHEN checked THEN each execution lands in exactly the set it belongs to', async () => {
    // GIVEN
    givenTracked([
      tracked(1), // SUCCEEDED, a step follows
      tracked(2, { input: stepInput(2, { final: true }) }), // SUCCEEDED, the last step
      tracked(3), // FAILED
      tracked(4), // RUNNING
      tracked(5, { leaseUntil: T + MINUTE }), // held by another invocation
      tracked(6), // SUCCEEDED but the task timed out already
      tracked(7, { expiresAt: Math.floor(T / 1000) - 1 }), // past its life
    ]);
    givenRun('jr_1', 'SUCCEEDED');
    givenRun('jr_2', 'SUCCEEDED');
    givenRun('jr_3', 'FAILED');
    givenRun('jr_4', 'RUNNING');
    givenRun('jr_6', 'SUCCEEDED');
    sfnMock.on(SendTaskSuccessCommand, { taskToken: 'token-6' }).rejects(new TaskTimedOut({ message: 'x', $metadata: {} }));
    // WHEN
    const { summary, occupied, successorReady, ended } = await runCheckPhase(testContext());
    // THEN
    expect([...successorReady]).toEqual([execution('exec-1')]);
    expect([...ended].sort()).toEqual([execution('exec-2'), execution('exec-3')]);
    expect([...occupied].sort()).toEqual([execution('exec-4'), execution('exec-5')]);
    expect(sfnMock).toHaveReceivedCommandWith(SendTaskFailureCommand, { taskToken: 'token-3', error: 'Glue.JobFailed' });
    expect(summary).toMatchObject({ succeeded: 2, failed: 1, heartbeat: 1, leased: 1, closed: 1, expired: 1, error: 0 });
  });

  it('GIVEN two records of one execution, one succeeded and one still running WHEN checked THEN the execution is both successor-ready and occupied', async () => {
    // GIVEN (a parallel branch: the sets are per record, not per execution)
    givenTracked([tracked(1, { executionId: execution('exec-P') }), tracked(2, { executionId: execution('exec-P') })]);
    givenRun('jr_1', 'SUCCEEDED');
    givenRun('jr_2', 'RUNNING');
    // WHEN
    const { occupied, successorReady, ended } = await runCheckPhase(testContext());
    // THEN
    expect([...successorReady]).toEqual([execution('exec-P')]);
    expect([...occupied]).toEqual([execution('exec-P')]);
    expect([...ended]).toEqual([]);
  });

  it('GIVEN a record whose check fails WHEN checked THEN its execution counts as occupied: its task is still tracked', async () => {
    // GIVEN
    givenTracked([tracked(1)]);
    givenRun('jr_1', 'SUCCEEDED');
    sfnMock.on(SendTaskSuccessCommand).rejects(Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' }));
    // WHEN
    const { summary, occupied, successorReady, ended } = await runCheckPhase(testContext());
    // THEN
    expect([...occupied]).toEqual([execution('exec-1')]);
    expect([...successorReady]).toEqual([]);
    expect([...ended]).toEqual([]);
    expect(summary).toMatchObject({ error: 1 });
  });
});
