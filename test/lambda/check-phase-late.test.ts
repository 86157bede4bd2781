import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetJobRunCommand, JobRun } from '@aws-sdk/client-glue';
import { SendTaskHeartbeatCommand, TaskTimedOut } from '@aws-sdk/client-sfn';
import { DeleteCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { captureLogs, ddbMock, eventsMock, glueMock, loggedLines, metricLines, resetAwsMocks, sfnMock } from './aws-mocks';
import { testContext } from './context';
import { EXECUTION_ID, NOW, PIPELINE_ID, record, stepInput } from './fixtures';
import { runCheckPhase } from '../../src/lambda/phases/check-phase';
import { LATE_EVENT_NOT_SENT, TrackingRecord } from '../../src/shared/contract';
import { PIPELINE_EVENT_SOURCE, PipelineEventTypes } from '../../src/shared/operations';

/**
 * The check phase's late announcements (phases/late-step.ts): a RUNNING record whose work runs
 * past its step's expected duration is announced once, after its heartbeat, and nothing about it
 * can delay or stop the heartbeat.
 */
const MIN = 60_000;

/** A job step expected to take 10 minutes whose run started `minutesAgo` minutes before NOW. */
function expected(minutesAgo: number, overrides: Partial<TrackingRecord> = {}): TrackingRecord {
  return record(1, {
    input: stepInput(1, { expectedSeconds: 600, attempt: 0, pipelineName: 'nightly-orders' }),
    runningSince: NOW.getTime() - minutesAgo * MIN,
    ...overrides,
  });
}

function givenTracked(...records: TrackingRecord[]) {
  ddbMock.on(QueryCommand).resolves({ Items: records });
}

function givenRun(state: JobRun['JobRunState']) {
  glueMock.on(GetJobRunCommand).resolves({ JobRun: { Id: 'jr_1', JobRunState: state } });
}

const lateClaims = () => ddbMock.commandCalls(UpdateCommand).map((c) => c.args[0].input)
  .filter((input) => input.UpdateExpression === 'SET #late = :at');
const lateEvents = () => eventsMock.commandCalls(PutEventsCommand).flatMap((c) => c.args[0].input.Entries ?? []);

let spies: ReturnType<typeof captureLogs>;
beforeEach(() => {
  resetAwsMocks();
  spies = captureLogs();
});
afterEach(() => jest.restoreAllMocks());

describe('check phase: a step past its expected duration', () => {
  it('GIVEN a run 11 minutes in of a step expected to take 10 WHEN a sweep checks it THEN it is heartbeated, then claimed, counted and announced once with its facts', async () => {
    // GIVEN
    givenTracked(expected(11));
    givenRun('RUNNING');
    const order: string[] = [];
    sfnMock.on(SendTaskHeartbeatCommand).callsFake(() => {
      order.push('heartbeat');
      return {};
    });
    ddbMock.on(UpdateCommand).callsFake(() => {
      order.push('claim');
      return {};
    });
    eventsMock.on(PutEventsCommand).callsFake(() => {
      order.push('event');
      return { FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] };
    });
    // WHEN
    const { summary } = await runCheckPhase(testContext());
    // THEN
    expect(order).toEqual(['heartbeat', 'claim', 'event']);
    expect(summary).toMatchObject({ heartbeat: 1, late: 1, error: 0 });
    expect(lateClaims()).toEqual([expect.objectContaining({
      ConditionExpression: 'attribute_exists(#pk) AND #status = :running AND attribute_not_exists(#late)',
      ExpressionAttributeValues: { ':at': NOW.getTime(), ':running': 'RUNNING' },
    })]);
    const [entry, ...more] = lateEvents();
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ Source: PIPELINE_EVENT_SOURCE, DetailType: PipelineEventTypes.STEP_LATE });
    expect(entry.EventBusName).toBeUndefined();
    expect(JSON.parse(entry.Detail!)).toMatchObject({
      pipeline: 'nightly-orders',
      pipelineId: PIPELINE_ID,
      execution: EXECUTION_ID,
      step: 'step1',
      kind: 'glue-job',
      resourceName: 'job1',
      runId: 'jr_1',
      state: 'RUNNING',
      attempt: 0,
      expectedSeconds: 600,
      runningSeconds: 660,
      runningSince: new Date(NOW.getTime() - 11 * MIN).toISOString(),
    });
    expect(metricLines(spies).filter((l) => 'StepLate' in l)).toEqual([expect.objectContaining({
      Pipeline: PIPELINE_ID, Step: 'step1', Kind: 'glue-job', StepLate: 1, runningSeconds: 660, expectedSeconds: 600,
    })]);
  });

  it('GIVEN a late run and an on-time one WHEN a sweep checks them THEN both are heartbeated before the late one is claimed and announced, however slow a heartbeat', async () => {
    // GIVEN
    const onTime = record(2, { input: stepInput(2, { expectedSeconds: 600 }), runningSince: NOW.getTime() - MIN });
    givenTracked(expected(11), onTime);
    glueMock.on(GetJobRunCommand).callsFake((input: { RunId: string }) => ({ JobRun: { Id: input.RunId, JobRunState: 'RUNNING' } }));
    const order: string[] = [];
    // The on-time task's heartbeat takes a while: nothing of the late one's may wait for it, nor it for them.
    sfnMock.on(SendTaskHeartbeatCommand).callsFake(async (input: { taskToken: string }) => {
      await new Promise((resolve) => setTimeout(resolve, input.taskToken === 'token-2' ? 50 : 0));
      order.push(`heartbeat ${input.taskToken}`);
      return {};
    });
    ddbMock.on(UpdateCommand).callsFake(() => {
      order.push('claim');
      return {};
    });
    eventsMock.on(PutEventsCommand).callsFake(() => {
      order.push('event');
      return { FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] };
    });
    // WHEN
    const { summary } = await runCheckPhase(testContext());
    // THEN
    expect(order).toEqual(['heartbeat token-1', 'heartbeat token-2', 'claim', 'event']);
    expect(summary).toMatchObject({ heartbeat: 2, late: 1 });
  });

  it('GIVEN too little time left after the checks WHEN a late run would be announced THEN nothing is claimed: the next sweep finds it still late', async () => {
    givenTracked(expected(11));
    givenRun('RUNNING');
    let remaining = 600_000;
    sfnMock.on(SendTaskHeartbeatCommand).callsFake(() => {
      remaining = 10_000;
      return {};
    });
    const { summary } = await runCheckPhase(testContext({ remainingMs: () => remaining }));
    expect(summary).toMatchObject({ heartbeat: 1, late: 0 });
    expect(lateClaims()).toEqual([]);
    expect(lateEvents()).toEqual([]);
  });

  it.each<[string, TrackingRecord]>([
    ['9 minutes in', expected(9)],
    ['11 minutes in, announced already', expected(11, { lateAnnouncedAt: NOW.getTime() - MIN })],
    ['of a step with no expected duration, an hour in', record(1, { runningSince: NOW.getTime() - 60 * MIN })],
    ['of a record an earlier runner wrote (no runningSince)', expected(11, { runningSince: undefined })],
  ])('GIVEN a run %s WHEN a sweep checks it THEN nothing is claimed, counted or announced', async (_case, tracked) => {
    givenTracked(tracked);
    givenRun('RUNNING');
    const { summary } = await runCheckPhase(testContext());
    expect(summary).toMatchObject({ heartbeat: 1, late: 0 });
    expect(lateClaims()).toEqual([]);
    expect(lateEvents()).toEqual([]);
    expect(metricLines(spies).filter((l) => 'StepLate' in l)).toEqual([]);
  });

  it('GIVEN another invocation claimed the announcement WHEN this sweep sees the step late THEN it sends nothing', async () => {
    givenTracked(expected(11));
    givenRun('RUNNING');
    ddbMock.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    const { summary } = await runCheckPhase(testContext());
    expect(summary).toMatchObject({ heartbeat: 1, late: 0, error: 0 });
    expect(lateEvents()).toEqual([]);
    expect(metricLines(spies).filter((l) => 'StepLate' in l)).toEqual([]);
  });

  it('GIVEN EventBridge refuses the late event WHEN a sweep announces it THEN the task was heartbeated, the record stays, the miss is logged at ERROR and counted, and StepLate still written', async () => {
    givenTracked(expected(11));
    givenRun('RUNNING');
    eventsMock.on(PutEventsCommand).rejects(Object.assign(new Error('down'), { name: 'InternalException', $metadata: { httpStatusCode: 500 } }));
    const ctx = testContext();
    const { summary } = await runCheckPhase(ctx);
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskHeartbeatCommand, 1);
    expect(ddbMock).not.toHaveReceivedCommand(DeleteCommand);
    expect(summary).toMatchObject({ heartbeat: 1, late: 1, error: 0 });
    expect(ctx.tally.lateEventNotSent).toBe(1);
    expect(loggedLines(spies).filter((l) => l.includes(LATE_EVENT_NOT_SENT))).toHaveLength(1);
    const lines = metricLines(spies);
    expect(lines.filter((l) => 'NotificationFailures' in l)).toEqual([expect.objectContaining({ NotificationFailures: 1, channel: 'event', stepName: 'step1' })]);
    expect(lines.filter((l) => 'StepLate' in l)).toHaveLength(1);
  });

  it('GIVEN the task was closed (execution stopped) WHEN a sweep finds the late run THEN the run is stopped and nothing is announced', async () => {
    givenTracked(expected(11));
    givenRun('RUNNING');
    sfnMock.on(SendTaskHeartbeatCommand).rejects(new TaskTimedOut({ message: 'closed', $metadata: {} }));
    const { summary } = await runCheckPhase(testContext());
    expect(summary).toMatchObject({ closed: 1, late: 0 });
    expect(lateClaims()).toEqual([]);
    expect(lateEvents()).toEqual([]);
  });

  it('GIVEN the run ended SUCCEEDED past the expected duration WHEN a sweep reports it THEN the step succeeds and is not announced late', async () => {
    givenTracked(expected(11));
    glueMock.on(GetJobRunCommand).resolves({ JobRun: { Id: 'jr_1', JobRunState: 'SUCCEEDED', StartedOn: NOW, CompletedOn: NOW } });
    const { summary } = await runCheckPhase(testContext());
    expect(summary).toMatchObject({ succeeded: 1, late: 0 });
    expect(lateEvents()).toEqual([]);
  });
});
