import {
  BatchStopJobRunCommand, ConcurrentRunsExceededException, EntityNotFoundException, GetJobRunCommand, GetJobRunsCommand, StartJobRunCommand,
} from '@aws-sdk/client-glue';
import { SendEmailCommand } from '@aws-sdk/client-ses';
import {
  GetActivityTaskCommand, ListExecutionsCommand, SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { captureLogs, ddbMock, glueMock, loggedLines, metricLines, resetAwsMocks, sesMock, sfnMock } from './aws-mocks';
import { fakeContext, PIPELINE_ID, record, setRunnerEnv, startingRecord, STATE_MACHINE_ARN, stepInput, taskInput } from './fixtures';
import { handler } from '../../src/lambda/runner.lambda';
import { tokenId } from '../../src/lambda/store/token-id';
import { CORRELATION_ARGUMENT, FAILURE_MAIL_NOT_SENT, RunnerEnv } from '../../src/shared/contract';

/** Looks like a real task token: long, base64-ish, and unlike anything else in a log line. */
const secret = (label: string) => `AAAAKgAAAAIAAAAAAAAAA${label}SeCrEtToKeN${'x'.repeat(600)}`;

/** The handler uses the real clock: a record that is live now. */
const liveRecord = (n: number, overrides: Parameters<typeof record>[1] = {}) =>
  record(n, { createdAt: new Date(Date.now() - 60_000).toISOString(), expiresAt: Math.floor(Date.now() / 1000) + 86_400, ...overrides });

let logs: ReturnType<typeof captureLogs>;

beforeEach(() => {
  setRunnerEnv();
  resetAwsMocks();
  // Three running executions with no task tracked, started long enough ago for their start events to have run:
  // the sweep expects up to three tasks, whichever executions they belong to.
  sfnMock.on(ListExecutionsCommand).resolves({
    executions: [1, 2, 3].map((n) => ({
      executionArn: `${STATE_MACHINE_ARN}:unmatched-${n}`, stateMachineArn: STATE_MACHINE_ARN, name: `unmatched-${n}`, status: 'RUNNING', startDate: new Date(Date.now() - 3_600_000),
    })),
  });
  logs = captureLogs();
});
afterEach(() => jest.restoreAllMocks());

describe('runner handler', () => {
  it('GIVEN a cycle that touches every path WHEN it runs THEN no task token appears in any log line', async () => {
    // GIVEN tracked runs that succeed, fail, and lost their task, and tasks that start, are refused for now, and are malformed
    const tokens = { ok: secret('ok'), failed: secret('failed'), lost: secret('lost'), start: secret('start'), refused: secret('refused'), bad: secret('bad') };
    ddbMock.on(QueryCommand).resolves({
      Items: [
        liveRecord(1, { taskToken: tokens.ok, tokenId: tokenId(tokens.ok) }),
        liveRecord(2, { taskToken: tokens.failed }),
        liveRecord(3, { taskToken: tokens.lost }),
      ],
    });
    glueMock.on(GetJobRunCommand, { RunId: 'jr_1' }).resolves({ JobRun: { JobRunState: 'SUCCEEDED' } });
    glueMock.on(GetJobRunCommand, { RunId: 'jr_2' }).resolves({ JobRun: { JobRunState: 'FAILED', ErrorMessage: 'disk full' } });
    glueMock.on(GetJobRunCommand, { RunId: 'jr_3' }).resolves({ JobRun: { JobRunState: 'RUNNING' } });
    sfnMock.on(SendTaskHeartbeatCommand, { taskToken: tokens.lost }).rejects(new TaskTimedOut({ message: 'x', $metadata: {} }));
    sfnMock.on(GetActivityTaskCommand)
      .resolvesOnce({ taskToken: tokens.start, input: JSON.stringify(taskInput({ jobName: 'good-job' })) })
      .resolvesOnce({ taskToken: tokens.refused, input: JSON.stringify(taskInput({ jobName: 'busy-job' })) })
      .resolvesOnce({ taskToken: tokens.bad, input: 'not json' })
      .resolves({});
    glueMock.on(StartJobRunCommand, { JobName: 'good-job' }).resolves({ JobRunId: 'jr_new' });
    glueMock.on(StartJobRunCommand, { JobName: 'busy-job' }).rejects(new ConcurrentRunsExceededException({ message: 'busy', $metadata: {} }));
    // WHEN
    const result = await handler({}, fakeContext(() => 300_000));
    // THEN every path was really taken...
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
    expect(glueMock).toHaveReceivedCommandTimes(BatchStopJobRunCommand, 1);
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskFailureCommand, 2);
    expect(result.start).toMatchObject({ polled: 3, started: 1, deferred: 1, failed: 1, skipped: 0, outOfTime: false });
    // ...and was logged, by token id only
    const lines = loggedLines(logs);
    const messages = lines.map((l) => JSON.parse(l).message);
    expect(new Set(messages)).toEqual(new Set([
      'step succeeded', 'step failed', 'task closed while its run is in flight; stopping the run', 'run started', 'start refused for now; retried later', 'cycle done',
    ]));
    expect(lines.some((l) => l.includes(tokenId(tokens.ok)))).toBe(true);
    for (const [name, token] of Object.entries(tokens)) {
      expect({ name, leaked: lines.filter((l) => l.includes(token.slice(0, 40))) }).toEqual({ name, leaked: [] });
    }
  });

  it('GIVEN a cycle that resumes, recovers and refuses starts WHEN it runs THEN no task token appears in any log line or any Glue call', async () => {
    // GIVEN STARTING records: one whose run Glue has, one waiting to retry, one whose task is gone;
    // and pending tasks: one whose job does not exist, one whose run cannot be tracked
    const tokens = { found: secret('found'), waiting: secret('waiting'), gone: secret('gone'), missing: secret('missing'), untracked: secret('untracked') };
    const starting = (n: number, token: string, overrides: Parameters<typeof record>[1] = {}) => startingRecord(n, {
      taskToken: token,
      tokenId: tokenId(token),
      createdAt: new Date(Date.now() - 60_000).toISOString(),
      expiresAt: Math.floor(Date.now() / 1000) + 86_400,
      input: stepInput(n),
      ...overrides,
    });
    ddbMock.on(QueryCommand).resolves({
      Items: [
        starting(1, tokens.found),
        starting(2, tokens.waiting, { startAttempts: 1, nextStartAt: Date.now() + 60_000 }),
        starting(3, tokens.gone),
      ],
    });
    const foundRun = { Id: 'jr_found', Arguments: { [CORRELATION_ARGUMENT]: tokenId(tokens.found) } };
    glueMock.on(GetJobRunsCommand, { JobName: 'job1' }).resolves({ JobRuns: [foundRun] });
    glueMock.on(GetJobRunsCommand, { JobName: 'job3' }).resolves({ JobRuns: [] });
    sfnMock.on(SendTaskHeartbeatCommand, { taskToken: tokens.gone }).rejects(new TaskTimedOut({ message: 'x', $metadata: {} }));
    sfnMock.on(GetActivityTaskCommand)
      .resolvesOnce({ taskToken: tokens.missing, input: JSON.stringify(taskInput({ jobName: 'no-such-job' })) })
      .resolvesOnce({ taskToken: tokens.untracked, input: JSON.stringify(taskInput({ jobName: 'good-job' })) })
      .resolves({});
    const noSuchJob = new EntityNotFoundException({ message: 'no job', $metadata: { httpStatusCode: 400 } });
    glueMock.on(StartJobRunCommand, { JobName: 'no-such-job' }).rejects(noSuchJob);
    glueMock.on(StartJobRunCommand, { JobName: 'good-job' }).resolves({ JobRunId: 'jr_untracked' });
    ddbMock.on(UpdateCommand).callsFake((input) => {
      if (input.ExpressionAttributeValues?.[':runId'] === 'jr_untracked') {
        throw new Error('InternalServerError');
      }
      return {};
    });
    // WHEN
    const result = await handler({}, fakeContext(() => 300_000));
    // THEN every path was really taken...
    expect(result.check).toMatchObject({ 'recovered': 1, 'waiting-to-start': 1, 'closed': 1, 'error': 0 });
    expect(result.start).toMatchObject({ polled: 2, failed: 2 });
    expect(glueMock).toHaveReceivedCommandWith(BatchStopJobRunCommand, { JobRunIds: ['jr_untracked'] });
    // ...and logged by token id only; Glue got the token id as correlation, never the token
    const lines = loggedLines(logs);
    expect(new Set(lines.map((l) => JSON.parse(l).message))).toEqual(new Set([
      'run found by its correlation; tracking it', 'task closed before its run started; record removed', 'step failed',
      'run started but not tracked; stopping it', 'cycle done',
    ]));
    const glueInputs = JSON.stringify(glueMock.calls().map((c) => c.args[0].input));
    for (const [name, token] of Object.entries(tokens)) {
      expect({ name, leaked: lines.filter((l) => l.includes(token.slice(0, 40))) }).toEqual({ name, leaked: [] });
      expect({ name, inGlue: glueInputs.includes(token.slice(0, 40)) }).toEqual({ name, inGlue: false });
    }
  });

  it('GIVEN tracked runs and pending tasks WHEN it runs THEN it checks first, then polls with the request id as worker name, and returns the summary it logs', async () => {
    // GIVEN
    const order: string[] = [];
    ddbMock.on(QueryCommand).callsFake(() => { order.push('query'); return { Items: [liveRecord(1)] }; });
    glueMock.on(GetJobRunCommand).resolves({ JobRun: { JobRunState: 'RUNNING' } });
    sfnMock.on(GetActivityTaskCommand).callsFake(() => { order.push('poll'); return {}; });
    // WHEN
    const result = await handler({}, fakeContext(() => 300_000, 'req-42'));
    // THEN
    expect(order).toEqual(['query', 'poll']);
    expect(sfnMock).toHaveReceivedCommandWith(GetActivityTaskCommand, { workerName: 'req-42' });
    expect(result).toMatchObject({ pipelineId: PIPELINE_ID, check: { pages: 1, heartbeat: 1 }, start: { polled: 0, outOfTime: false } });
    const done = loggedLines(logs).map((l) => JSON.parse(l)).find((l) => l.message === 'cycle done');
    expect(done).toMatchObject({ level: 'INFO', pipelineId: PIPELINE_ID, check: { heartbeat: 1 } });
  });

  it('GIVEN less than a long poll of time left WHEN it runs THEN it still checks tracked runs but does not poll', async () => {
    // GIVEN
    ddbMock.on(QueryCommand).resolves({ Items: [liveRecord(1)] });
    glueMock.on(GetJobRunCommand).resolves({ JobRun: { JobRunState: 'SUCCEEDED' } });
    // WHEN
    const result = await handler({}, fakeContext(() => 20_000));
    // THEN
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
    expect(sfnMock).not.toHaveReceivedCommand(GetActivityTaskCommand);
    expect(result.start.outOfTime).toBe(true);
  });

  it('GIVEN mail is not configured WHEN a tracked run failed THEN the task fails and no mail is sent', async () => {
    // GIVEN
    setRunnerEnv(false);
    ddbMock.on(QueryCommand).resolves({ Items: [liveRecord(1)] });
    glueMock.on(GetJobRunCommand).resolves({ JobRun: { JobRunState: 'FAILED', ErrorMessage: 'boom' } });
    sfnMock.on(GetActivityTaskCommand).resolves({});
    // WHEN
    await handler({}, fakeContext(() => 300_000));
    // THEN
    expect(sfnMock).toHaveReceivedCommandWith(SendTaskFailureCommand, { error: 'Glue.JobFailed' });
    expect(sesMock).not.toHaveReceivedCommand(SendEmailCommand);
  });

  it('GIVEN SES refuses the failure mail WHEN a tracked run failed THEN the task still fails, the refusal is an ERROR with a stable message, and the cycle summary counts it', async () => {
    // GIVEN
    ddbMock.on(QueryCommand).resolves({ Items: [liveRecord(1)] });
    glueMock.on(GetJobRunCommand).resolves({ JobRun: { JobRunState: 'FAILED', ErrorMessage: 'boom' } });
    sfnMock.on(GetActivityTaskCommand).resolves({});
    sesMock.on(SendEmailCommand).rejects(Object.assign(new Error('User is not authorized to perform ses:SendEmail'), { name: 'AccessDenied' }));
    // WHEN
    const result = await handler({}, fakeContext(() => 300_000));
    // THEN
    expect(sfnMock).toHaveReceivedCommandWith(SendTaskFailureCommand, { error: 'Glue.JobFailed' });
    expect(result.failureMailNotSent).toBe(1);
    const lines = loggedLines(logs).map((l) => JSON.parse(l));
    expect(lines.find((l) => l.message === FAILURE_MAIL_NOT_SENT)).toMatchObject({ level: 'ERROR', reason: expect.stringContaining('AccessDenied') });
    expect(lines.find((l) => l.message === 'cycle done')).toMatchObject({ failureMailNotSent: 1 });
  });

  it('GIVEN a configuration set WHEN failure mail is sent THEN SES is asked to use it, and a cycle without refusals counts none', async () => {
    // GIVEN
    process.env[RunnerEnv.NOTIFY_CONFIGURATION_SET] = 'pipeline-mail';
    ddbMock.on(QueryCommand).resolves({ Items: [liveRecord(1)] });
    glueMock.on(GetJobRunCommand).resolves({ JobRun: { JobRunState: 'FAILED', ErrorMessage: 'boom' } });
    sfnMock.on(GetActivityTaskCommand).resolves({});
    try {
      // WHEN
      const result = await handler({}, fakeContext(() => 300_000));
      // THEN
      expect(sesMock).toHaveReceivedCommandWith(SendEmailCommand, { ConfigurationSetName: 'pipeline-mail' });
      expect(result.failureMailNotSent).toBe(0);
    } finally {
      delete process.env[RunnerEnv.NOTIFY_CONFIGURATION_SET];
    }
  });

  it('GIVEN the tracking table variable is missing WHEN it runs THEN it fails naming the variable before calling AWS', async () => {
    // GIVEN
    delete process.env[RunnerEnv.TRACKING_TABLE];
    // WHEN / THEN
    await expect(handler({}, fakeContext(() => 300_000))).rejects.toThrow(RunnerEnv.TRACKING_TABLE);
    expect(ddbMock.calls()).toHaveLength(0);
    expect(sfnMock.calls()).toHaveLength(0);
  });

  it('GIVEN the sweep cannot read the tracking table WHEN it runs THEN the invocation fails as before, with one RunnerErrors line for the cycle', async () => {
    // GIVEN
    ddbMock.on(QueryCommand).rejects(new Error('table unreachable'));
    // WHEN / THEN
    await expect(handler({}, fakeContext(() => 300_000))).rejects.toThrow('table unreachable');
    expect(metricLines(logs)).toEqual([expect.objectContaining({ Pipeline: PIPELINE_ID, RunnerErrors: 1, message: 'cycle failed' })]);
  });
});
