import {
  CrawlerHistory, CrawlerRunningException, GetJobRunCommand, GetJobRunsCommand, GetTriggerCommand, GetWorkflowRunCommand,
  InternalServiceException, ListCrawlsCommand, StartCrawlerCommand, StartJobRunCommand, StartTriggerCommand, StopCrawlerCommand,
} from '@aws-sdk/client-glue';
import { SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, TaskTimedOut } from '@aws-sdk/client-sfn';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { captureLogs, crawlHistory, ddbMock, glueMock, resetAwsMocks, serveCrawls, sfnMock } from './aws-mocks';
import { testContext } from './context';
import { crawlerInput, EXECUTION_ID, NOW, PIPELINE_ID, record, startingRecord, stepInput, triggerInput, workflowInput } from './fixtures';
import { BEFORE_SEND_MS } from '../../src/lambda/kinds/start-window';
import { runCheckPhase } from '../../src/lambda/phases/check-phase';
import { resultsPartition, StepErrorNames, TrackingRecord, trackingPartition } from '../../src/shared/contract';

/**
 * The check phase for steps that are not plain Glue jobs (crawlers, workflows) and for the
 * held steps of a graph. AWS is mocked; the results an execution keeps are answered from the
 * results written so far, so a result kept in a sweep is seen by that sweep's second pass.
 */
const T = NOW.getTime();
const closed = () => new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} });

/** The crawl crawlerN's step tracks: started (and its record created) a minute before NOW. */
const crawlId = (n: number) => `crawl-${n}`;
const crawlerRecord = (n: number, overrides: Partial<TrackingRecord> = {}) =>
  record(n, { resourceName: `crawler${n}`, runId: crawlId(n), input: crawlerInput(n), ...overrides });

/** The task records of the pipeline, and the results written (kept) since the test began. */
function givenTracked(...records: TrackingRecord[]) {
  ddbMock.on(QueryCommand).callsFake((input) => {
    const pk = input.ExpressionAttributeValues[':pk'];
    if (pk === trackingPartition(PIPELINE_ID)) {
      return { Items: records };
    }
    return { Items: ddbMock.commandCalls(PutCommand).map((c) => c.args[0].input.Item).filter((item) => item?.pk === pk) };
  });
}

/** ListCrawls of crawler1: its step's crawl, `crawl-1`, begun `startOffsetMs` after NOW, and the other crawls given. */
function givenCrawl(state: string, startOffsetMs = -60_000, others: CrawlerHistory[] = []) {
  serveCrawls([
    crawlHistory(crawlId(1), state, T + startOffsetMs, state === 'RUNNING' ? undefined : T - 1_000, { ErrorMessage: state === 'COMPLETED' ? undefined : 'crawl broke' }),
    ...others,
  ]);
}

/** The pipeline's last heartbeat round was just now: a task whose heartbeat is hours away needs none. */
const givenRecentRound = () => ddbMock.on(GetCommand).resolves({ Item: { roundAt: T } });

const check = () => runCheckPhase(testContext());
const successes = () => sfnMock.commandCalls(SendTaskSuccessCommand)
  .map((c) => ({ taskToken: c.args[0].input.taskToken, output: JSON.parse(c.args[0].input.output!) }));
const failures = () => sfnMock.commandCalls(SendTaskFailureCommand).map((c) => c.args[0].input);
const deletedKeys = () => ddbMock.commandCalls(DeleteCommand).map((c) => c.args[0].input.Key?.sk);
const markedRunning = () => ddbMock.commandCalls(UpdateCommand).map((c) => c.args[0].input).filter((u) => u.ExpressionAttributeValues?.[':running'] === 'RUNNING');

beforeEach(() => {
  resetAwsMocks();
  captureLogs();
  glueMock.on(StartJobRunCommand).callsFake((input) => ({ JobRunId: `jr_${input.JobName}` }));
});
afterEach(() => jest.restoreAllMocks());

describe('check phase, crawler steps', () => {
  it('GIVEN a crawler step whose crawl COMPLETED WHEN checked THEN its crawl is read by id (no job run), the step succeeds with the crawl\'s details, and its successor is ready', async () => {
    // GIVEN
    givenTracked(crawlerRecord(1));
    givenCrawl('COMPLETED', -30_000);
    // WHEN
    const result = await check();
    // THEN
    expect(glueMock).not.toHaveReceivedCommand(GetJobRunCommand);
    expect(glueMock).not.toHaveReceivedCommand(GetJobRunsCommand);
    expect(glueMock).toHaveReceivedCommandWith(ListCrawlsCommand, {
      CrawlerName: 'crawler1', Filters: [{ FieldName: 'CRAWL_ID', FilterOperator: 'EQ', FieldValue: crawlId(1) }],
    });
    expect(successes()).toEqual([{
      taskToken: 'token-1',
      output: {
        stepName: 'step1',
        crawlerName: 'crawler1',
        crawlId: crawlId(1),
        state: 'SUCCEEDED',
        startedOn: new Date(T - 30_000).toISOString(),
        completedOn: new Date(T - 1_000).toISOString(),
      },
    }]);
    expect(deletedKeys()).toEqual([crawlerRecord(1).sk]);
    expect(result.summary).toMatchObject({ succeeded: 1, error: 0 });
    expect([...result.successorReady]).toEqual([EXECUTION_ID]);
  });

  it('GIVEN a crawler step whose crawl FAILED WHEN checked THEN the step fails with Glue.CrawlerFailed and the crawl\'s message', async () => {
    // GIVEN
    givenTracked(crawlerRecord(1));
    givenCrawl('FAILED', 5_000);
    // WHEN
    const result = await check();
    // THEN
    expect(failures()).toHaveLength(1);
    expect(failures()[0]).toMatchObject({ taskToken: 'token-1', error: StepErrorNames.CRAWLER_FAILED });
    expect(JSON.parse(failures()[0].cause!)).toMatchObject({ stepName: 'step1', jobName: 'crawler1', state: 'FAILED', message: 'crawl broke' });
    expect([...result.ended]).toEqual([EXECUTION_ID]);
  });

  it('GIVEN a crawler step whose crawl is still RUNNING WHEN checked in a round THEN its task is heartbeated and it stays tracked', async () => {
    // GIVEN
    givenTracked(crawlerRecord(1));
    givenCrawl('RUNNING');
    // WHEN
    const result = await check();
    // THEN
    expect(sfnMock).toHaveReceivedCommandWith(SendTaskHeartbeatCommand, { taskToken: 'token-1' });
    expect(result.summary).toMatchObject({ heartbeat: 1 });
    expect(result.tracked.get(EXECUTION_ID)).toBe(1);
  });

  it('GIVEN a crawler step whose task was closed WHEN its heartbeat is refused THEN its RUNNING crawl is stopped and the record removed', async () => {
    // GIVEN
    givenTracked(crawlerRecord(1));
    givenCrawl('RUNNING');
    sfnMock.on(SendTaskHeartbeatCommand).rejects(closed());
    glueMock.on(StopCrawlerCommand).resolves({});
    // WHEN
    const result = await check();
    // THEN
    expect(glueMock).toHaveReceivedCommandWith(StopCrawlerCommand, { Name: 'crawler1' });
    expect(deletedKeys()).toEqual([crawlerRecord(1).sk]);
    expect(result.summary).toMatchObject({ closed: 1 });
  });

  it('GIVEN a crawler step whose task was closed and whose crawl is not listed (yet) WHEN its heartbeat is refused THEN another crawl running is not stopped, and the record stays for a later cycle to stop it', async () => {
    // GIVEN the step's crawl not listed; someone else's crawl running
    givenTracked(crawlerRecord(1));
    serveCrawls([crawlHistory('someone-elses', 'RUNNING', T - 10_000)]);
    sfnMock.on(SendTaskHeartbeatCommand).rejects(closed());
    // WHEN
    const result = await check();
    // THEN
    expect(glueMock).not.toHaveReceivedCommand(StopCrawlerCommand);
    expect(deletedKeys()).toEqual([]);
    expect(result.summary).toMatchObject({ closed: 0, error: 1 });
  });

  // resumeStart asks the crawler driver's findStarted first: the crawl that refused the start
  // (going on for an hour) must not be taken for the step's own.
  it('GIVEN a deferred crawler start WHEN resumed while the foreign crawl that refused it still runs THEN it is not taken as the step\'s crawl', async () => {
    // GIVEN
    givenTracked(startingRecord(1, { resourceName: 'crawler1', input: crawlerInput(1), startAttempts: 1, nextStartAt: T - 1, lastError: 'CrawlerRunningException: busy' }));
    serveCrawls([crawlHistory('foreign', 'RUNNING', T - 3_600_000)]);
    glueMock.on(StartCrawlerCommand).rejects(new CrawlerRunningException({ message: 'busy', $metadata: { httpStatusCode: 400 } }));
    // WHEN
    const result = await check();
    // THEN no start of it can have taken effect (no send time kept): nothing is looked for; the
    // start is tried again (and deferred again), nothing is tracked as running
    expect(glueMock).not.toHaveReceivedCommand(ListCrawlsCommand);
    expect(markedRunning()).toEqual([]);
    expect(glueMock).toHaveReceivedCommandWith(StartCrawlerCommand, { Name: 'crawler1' });
    expect(result.summary).toMatchObject({ recovered: 0, deferred: 1 });
  });

  it('GIVEN a deferred crawler start whose answer was lost WHEN resumed and its crawl is listed THEN that crawl is tracked by its id and StartCrawler is not sent again', async () => {
    // GIVEN the start sent 30 s before NOW failed with a 500, but Glue began the crawl
    givenTracked(startingRecord(1, {
      resourceName: 'crawler1', input: crawlerInput(1), startAttempts: 1, nextStartAt: T - 1, startSentAt: T - 30_000, lastError: 'InternalServiceException: 500',
    }));
    serveCrawls([crawlHistory('foreign', 'COMPLETED', T - 3_600_000, T - 3_000_000), crawlHistory(crawlId(1), 'RUNNING', T - 29_000)]);
    // WHEN
    const result = await check();
    // THEN
    expect(glueMock).not.toHaveReceivedCommand(StartCrawlerCommand);
    expect(markedRunning()).toEqual([expect.objectContaining({ ExpressionAttributeValues: expect.objectContaining({ ':runId': crawlId(1) }) })]);
    expect(result.summary).toMatchObject({ recovered: 1 });
  });

  it('GIVEN a crawler step tracked by its start time WHEN its crawl is listed COMPLETED THEN the step succeeds with that crawl\'s id', async () => {
    // GIVEN StartCrawler sent a minute before NOW; the crawl was not listed right after it
    givenTracked(crawlerRecord(1, { runId: new Date(T - 60_000).toISOString() }));
    givenCrawl('COMPLETED', -59_000);
    // WHEN
    const result = await check();
    // THEN
    expect(successes()).toEqual([expect.objectContaining({ output: expect.objectContaining({ crawlId: crawlId(1), state: 'SUCCEEDED' }) })]);
    expect(result.summary).toMatchObject({ succeeded: 1 });
  });

  it('GIVEN a crawler step tracked by its start time WHEN the only crawl listed started long before it THEN that crawl is not taken as the step\'s and the step waits', async () => {
    // GIVEN a crawl that started BEFORE_SEND_MS + 1 s before the step's StartCrawler
    givenTracked(crawlerRecord(1, { runId: new Date(T - 60_000).toISOString() }));
    serveCrawls([crawlHistory('older', 'COMPLETED', T - 60_000 - BEFORE_SEND_MS - 1_000, T - 30_000)]);
    // WHEN
    const result = await check();
    // THEN
    expect(successes()).toEqual([]);
    expect(result.summary).toMatchObject({ heartbeat: 1, succeeded: 0 });
  });

  it('GIVEN a crawler start that Glue answers with a 500 WHEN resumed THEN it is deferred with the time it was sent, to be looked for before any new start', async () => {
    // GIVEN
    givenTracked(startingRecord(1, { resourceName: 'crawler1', input: crawlerInput(1), startAttempts: 1, nextStartAt: T - 1, lastError: 'CrawlerRunningException: busy' }));
    serveCrawls([]);
    glueMock.on(StartCrawlerCommand).rejects(new InternalServiceException({ message: 'internal', $metadata: { httpStatusCode: 500 } }));
    // WHEN
    const result = await check();
    // THEN
    const deferral = ddbMock.commandCalls(UpdateCommand).map((c) => c.args[0].input).find((u) => u.ExpressionAttributeValues?.[':attempts'] !== undefined);
    expect(deferral?.UpdateExpression).toContain('#sent = :sent');
    expect(deferral?.ExpressionAttributeValues).toMatchObject({ ':attempts': 2, ':sent': T });
    expect(result.summary).toMatchObject({ deferred: 1 });
  });
});

describe('check phase, workflow steps', () => {
  it('GIVEN a workflow run COMPLETED with a failed action WHEN checked THEN the step fails with Glue.WorkflowActionsFailed counting the actions', async () => {
    // GIVEN
    givenTracked(record(1, { resourceName: 'workflow1', runId: 'wr_1', input: workflowInput(1) }));
    glueMock.on(GetWorkflowRunCommand).resolves({ Run: { WorkflowRunId: 'wr_1', Status: 'COMPLETED', Statistics: { TotalActions: 3, SucceededActions: 2, FailedActions: 1 } } });
    // WHEN
    const result = await check();
    // THEN
    expect(glueMock).toHaveReceivedCommandWith(GetWorkflowRunCommand, { Name: 'workflow1', RunId: 'wr_1' });
    expect(failures()[0]).toMatchObject({ taskToken: 'token-1', error: StepErrorNames.WORKFLOW_ACTIONS_FAILED });
    expect(JSON.parse(failures()[0].cause!).message).toBe('workflow run wr_1 completed with 1 failed of 3 actions');
    expect(result.summary).toMatchObject({ failed: 1 });
  });
});

describe('check phase, trigger steps', () => {
  it('GIVEN a trigger step whose start was refused WHEN resumed THEN no firing is looked for (none can have taken effect), the trigger fires, the step is reported succeeded in the same sweep, and its successor is ready', async () => {
    // GIVEN a refused start (no send time kept), and a run the trigger started since: another firing
    givenTracked(startingRecord(1, { resourceName: 'trigger1', input: triggerInput(1), startAttempts: 1, nextStartAt: T - 1 }));
    glueMock.on(GetTriggerCommand).resolves({ Trigger: { Name: 'trigger1', Actions: [{ JobName: 'job9' }] } });
    glueMock.on(GetJobRunsCommand).resolves({ JobRuns: [{ Id: 'jr_other', TriggerName: 'trigger1', StartedOn: new Date(T - 5_000) }] });
    glueMock.on(StartTriggerCommand).resolves({ Name: 'trigger1' });
    // WHEN
    const result = await check();
    // THEN
    expect(glueMock).not.toHaveReceivedCommand(GetTriggerCommand);
    expect(glueMock).not.toHaveReceivedCommand(GetJobRunsCommand);
    expect(glueMock).toHaveReceivedCommandWith(StartTriggerCommand, { Name: 'trigger1' });
    expect(ddbMock.commandCalls(UpdateCommand).map((c) => c.args[0].input).filter((u) => u.UpdateExpression === 'SET #sent = :sent'))
      .toEqual([expect.objectContaining({ ExpressionAttributeValues: expect.objectContaining({ ':sent': T }) })]);
    expect(successes()).toEqual([{ taskToken: 'token-1', output: { stepName: 'step1', triggerName: 'trigger1', state: 'SUCCEEDED', startedOn: NOW.toISOString() } }]);
    expect(result.summary).toMatchObject({ succeeded: 1, error: 0 });
    expect([...result.successorReady]).toEqual([EXECUTION_ID]);
    expect(result.tracked.has(EXECUTION_ID)).toBe(false);
  });

  it('GIVEN a trigger step whose firing\'s answer was lost WHEN resumed and a run the trigger started since is found THEN the trigger is not fired again', async () => {
    // GIVEN the StartTrigger sent 30 s before NOW failed with a 500, but the trigger fired
    givenTracked(startingRecord(1, {
      resourceName: 'trigger1', input: triggerInput(1), startAttempts: 1, nextStartAt: T - 1, startSentAt: T - 30_000, lastError: 'InternalServiceException: 500',
    }));
    glueMock.on(GetTriggerCommand).resolves({ Trigger: { Name: 'trigger1', Actions: [{ JobName: 'job9' }] } });
    glueMock.on(GetJobRunsCommand).resolves({ JobRuns: [{ Id: 'jr_fired', TriggerName: 'trigger1', StartedOn: new Date(T - 29_000) }] });
    // WHEN
    const result = await check();
    // THEN
    expect(glueMock).not.toHaveReceivedCommand(StartTriggerCommand);
    expect(markedRunning()).toEqual([expect.objectContaining({ ExpressionAttributeValues: expect.objectContaining({ ':runId': new Date(T - 29_000).toISOString() }) })]);
    expect(result.summary).toMatchObject({ recovered: 1 });
  });
});

describe('check phase, held steps of a graph', () => {
  /** A graph step's input: job `job<n>`, a two-hour heartbeat unless told, waiting for `dependsOn`. */
  const graphInput = (n: number, dependsOn: string[], heartbeatSeconds = 300) => stepInput(n, { dependsOn, heartbeatSeconds });
  const held = (n: number, dependsOn: string[], heartbeatSeconds?: number, overrides: Partial<TrackingRecord> = {}) =>
    startingRecord(n, { status: 'WAITING', input: graphInput(n, dependsOn, heartbeatSeconds), ...overrides });

  it('GIVEN a dependency whose run succeeded in this very sweep WHEN its held dependent is looked at THEN the dependent starts in the same sweep', async () => {
    // GIVEN step1 (no dependencies) ran and SUCCEEDED; step2 waits for it
    givenTracked(held(2, ['step1']), record(1, { input: graphInput(1, []) }));
    glueMock.on(GetJobRunCommand).resolves({ JobRun: { Id: 'jr_1', JobRunState: 'SUCCEEDED' } });
    // WHEN
    const result = await check();
    // THEN step1's result was kept before its success was reported, and step2 started
    const kept = ddbMock.commandCalls(PutCommand).map((c) => c.args[0].input.Item)
      .filter((i) => i?.pk === resultsPartition(PIPELINE_ID, EXECUTION_ID));
    // kept through a redrive: its token's life, Step Functions' 14-day redrive window and a day; the life is kept for a redrive to renew
    const life = 7200 + 14 * 86_400 + 86_400;
    expect(kept).toEqual([expect.objectContaining({ sk: 'step#step1', stepName: 'step1', expiresAt: T / 1000 + life, lifeSeconds: life })]);
    expect(glueMock).toHaveReceivedCommandWith(StartJobRunCommand, { JobName: 'job2' });
    expect(result.summary).toMatchObject({ succeeded: 1, started: 1, waiting: 0 });
    // in a graph no success readies a next task: every task was handed out at the start
    expect([...result.successorReady]).toEqual([]);
    expect(result.tracked.get(EXECUTION_ID)).toBe(1);
  });

  it('GIVEN a held step whose dependency has not succeeded WHEN checked outside a heartbeat round THEN nothing is sent and it stays tracked', async () => {
    // GIVEN
    givenRecentRound();
    givenTracked(held(2, ['step1'], 7200));
    // WHEN
    const result = await check();
    // THEN
    expect(sfnMock.calls()).toHaveLength(0);
    expect(glueMock.calls()).toHaveLength(0);
    expect(result.summary).toMatchObject({ waiting: 1 });
    expect([...result.occupied]).toEqual([EXECUTION_ID]);
    expect(result.tracked.get(EXECUTION_ID)).toBe(1);
  });

  it('GIVEN a held step whose dependency has not succeeded WHEN checked in a heartbeat round THEN its task is heartbeated', async () => {
    // GIVEN
    givenTracked(held(2, ['step1']));
    // WHEN
    const result = await check();
    // THEN
    expect(sfnMock).toHaveReceivedCommandWith(SendTaskHeartbeatCommand, { taskToken: 'token-2' });
    expect(glueMock).not.toHaveReceivedCommand(StartJobRunCommand);
    expect(result.summary).toMatchObject({ waiting: 1 });
  });

  it('GIVEN a held step whose task was closed (another branch failed) WHEN heartbeated in a round THEN its record is removed and nothing starts', async () => {
    // GIVEN
    givenTracked(held(2, ['step1']));
    sfnMock.on(SendTaskHeartbeatCommand).rejects(closed());
    // WHEN
    const result = await check();
    // THEN
    expect(deletedKeys()).toEqual([held(2, []).sk]);
    expect(result.summary).toMatchObject({ closed: 1, waiting: 0 });
    expect(result.tracked.has(EXECUTION_ID)).toBe(false);
  });

  it('GIVEN several held steps of one execution WHEN checked THEN the execution\'s results are read once', async () => {
    // GIVEN
    givenRecentRound();
    givenTracked(held(2, ['step1'], 7200), held(3, ['step1'], 7200), held(4, ['step2'], 7200));
    // WHEN
    const result = await check();
    // THEN
    const resultReads = ddbMock.commandCalls(QueryCommand).filter((c) => c.args[0].input.ExpressionAttributeValues?.[':pk'] === resultsPartition(PIPELINE_ID, EXECUTION_ID));
    expect(resultReads).toHaveLength(1);
    expect(result.tracked.get(EXECUTION_ID)).toBe(3);
  });

  // SUSPECTED BUG (reported, src not changed): runCheckPhase adds an execution to `ended` when
  // any step without a successor succeeds, and successorFollows is false for every graph step;
  // so the first success of a graph step marks its still-running execution as ended, and
  // pollPlanAfterSweep then expects none of its untaken tasks in this sweep. Flip to `it` once fixed.
  it.failing('GIVEN a graph step that is not the last to finish WHEN its run succeeded THEN its execution is not counted as ended', async () => {
    // GIVEN
    givenRecentRound();
    givenTracked(record(1, { input: graphInput(1, [], 7200) }), held(2, ['step1', 'step3'], 7200));
    glueMock.on(GetJobRunCommand).resolves({ JobRun: { Id: 'jr_1', JobRunState: 'SUCCEEDED' } });
    // WHEN
    const result = await check();
    // THEN
    expect(result.summary).toMatchObject({ succeeded: 1, waiting: 1 });
    expect(result.ended.has(EXECUTION_ID)).toBe(false);
  });
});

describe('check phase, records written before step kinds existed', () => {
  // SUSPECTED BUG (reported, src not changed): readRuns reads a record without `input` as a
  // Glue job (`r.input?.kind ?? 'glue-job'`), but observe() then reads `record.input.kind` and
  // throws a TypeError, so such a RUNNING record is an 'error' every sweep instead of being
  // reported as before. Flip to `it` once fixed.
  it.failing('GIVEN a RUNNING record without its task input whose run SUCCEEDED WHEN checked THEN the step is reported as before', async () => {
    // GIVEN
    givenTracked({ ...record(1), input: undefined } as unknown as TrackingRecord);
    glueMock.on(GetJobRunCommand).resolves({ JobRun: { Id: 'jr_1', JobRunState: 'SUCCEEDED' } });
    // WHEN
    const result = await check();
    // THEN
    expect(result.summary).toMatchObject({ succeeded: 1, error: 0 });
  });
});
