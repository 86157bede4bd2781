import {
  BatchStopJobRunCommand, ConcurrentRunsExceededException, CrawlerNotRunningException, CrawlerRunningException, EntityNotFoundException,
  GetCrawlerCommand, GetJobRunCommand, GetWorkflowRunCommand, GetWorkflowRunsCommand, IllegalWorkflowStateException,
  StartCrawlerCommand, StartJobRunCommand, StartTriggerCommand, StartWorkflowRunCommand, StopCrawlerCommand, StopWorkflowRunCommand, WorkflowRun,
} from '@aws-sdk/client-glue';
import { glueMock, resetAwsMocks } from './aws-mocks';
import { crawlerInput, NOW, stepInput, triggerInput, workflowInput } from './fixtures';
import { glueCrawlerDriver } from '../../src/lambda/steps/glue-crawler';
import { CLOCK_SKEW_MS, glueJobDriver } from '../../src/lambda/steps/glue-job';
import { glueTriggerDriver } from '../../src/lambda/steps/glue-trigger';
import { glueWorkflowDriver } from '../../src/lambda/steps/glue-workflow';
import { driverFor } from '../../src/lambda/steps/step-driver';
import { CORRELATION_RUN_PROPERTY, StepErrorNames, StepTaskInput } from '../../src/shared/contract';

const T = NOW.getTime();
const meta = { message: 'x', $metadata: { httpStatusCode: 400 } };

beforeEach(() => resetAwsMocks());

describe('driverFor', () => {
  it.each<[string, StepTaskInput, unknown]>([
    ['job', stepInput(1), glueJobDriver],
    ['crawler', crawlerInput(1), glueCrawlerDriver],
    ['trigger', triggerInput(1), glueTriggerDriver],
    ['workflow', workflowInput(1), glueWorkflowDriver],
  ])('GIVEN a %s step WHEN its driver is asked for THEN it is that kind\'s driver', (_kind, input, driver) => {
    expect(driverFor(input)).toBe(driver);
  });
});

describe('glue job driver', () => {
  it('GIVEN a job step WHEN started, observed and stopped THEN StartJobRun, GetJobRun and BatchStopJobRun are called for its job', async () => {
    // GIVEN
    glueMock.on(StartJobRunCommand).resolves({ JobRunId: 'jr_1' });
    glueMock.on(GetJobRunCommand).resolves({ JobRun: { Id: 'jr_1', JobRunState: 'RUNNING' } });
    glueMock.on(BatchStopJobRunCommand).resolves({ SuccessfulSubmissions: [{ JobName: 'job1', JobRunId: 'jr_1' }] });
    const input = stepInput(1);
    const work = { input, tokenId: 'tok1', runId: 'jr_1', createdAt: T };
    // WHEN / THEN
    await expect(glueJobDriver.start(input, 'tok1', T)).resolves.toBe('jr_1');
    await expect(glueJobDriver.observe(work)).resolves.toEqual({ kind: 'in-flight' });
    await glueJobDriver.stop(work);
    expect(glueMock).toHaveReceivedCommandWith(GetJobRunCommand, { JobName: 'job1', RunId: 'jr_1' });
    expect(glueMock).toHaveReceivedCommandWith(BatchStopJobRunCommand, { JobName: 'job1', JobRunIds: ['jr_1'] });
  });
});

describe('glue crawler driver', () => {
  const input = crawlerInput(1);
  const work = (runId: string) => ({ input, tokenId: 'tok1', runId, createdAt: T });

  it('GIVEN a crawler step WHEN started THEN StartCrawler is sent for its crawler and the start time is returned as ISO text', async () => {
    // GIVEN
    glueMock.on(StartCrawlerCommand).resolves({});
    // WHEN
    const runId = await glueCrawlerDriver.start(input, 'tok1', T);
    // THEN
    expect(runId).toBe(NOW.toISOString());
    expect(glueMock).toHaveReceivedCommandWith(StartCrawlerCommand, { Name: 'crawler1' });
  });

  it('GIVEN the crawler is already running WHEN started THEN the CrawlerRunningException reaches the caller (which defers the start)', async () => {
    // GIVEN
    glueMock.on(StartCrawlerCommand).rejects(new CrawlerRunningException(meta));
    // WHEN / THEN
    await expect(glueCrawlerDriver.start(input, 'tok1', T)).rejects.toMatchObject({ name: 'CrawlerRunningException' });
  });

  it('GIVEN a crawl that started after the step and SUCCEEDED WHEN observed THEN GetCrawler is read and the step succeeds with the crawl\'s details', async () => {
    // GIVEN
    glueMock.on(GetCrawlerCommand).resolves({
      Crawler: {
        Name: 'crawler1',
        State: 'READY',
        LastCrawl: { Status: 'SUCCEEDED', StartTime: new Date(T + 5_000), LogGroup: '/aws-glue/crawlers', LogStream: 'crawler1' },
      },
    });
    // WHEN
    const observed = await glueCrawlerDriver.observe(work(NOW.toISOString()));
    // THEN
    expect(glueMock).toHaveReceivedCommandWith(GetCrawlerCommand, { Name: 'crawler1' });
    expect(observed).toEqual({
      kind: 'succeed',
      output: {
        stepName: 'step1', crawlerName: 'crawler1', state: 'SUCCEEDED', startedOn: new Date(T + 5_000).toISOString(), logGroup: '/aws-glue/crawlers', logStream: 'crawler1',
      },
    });
  });

  it('GIVEN the crawl FAILED WHEN observed THEN the step fails with Glue.CrawlerFailed and Glue\'s message', async () => {
    // GIVEN
    glueMock.on(GetCrawlerCommand).resolves({
      Crawler: { State: 'READY', LastCrawl: { Status: 'FAILED', StartTime: new Date(T + 5_000), ErrorMessage: 'access denied to s3://raw' } },
    });
    // WHEN / THEN
    await expect(glueCrawlerDriver.observe(work(NOW.toISOString()))).resolves.toEqual({
      kind: 'fail', error: StepErrorNames.CRAWLER_FAILED, finalState: 'FAILED', message: 'access denied to s3://raw',
    });
  });

  it('GIVEN the crawler is gone WHEN observed THEN EntityNotFoundException reaches the caller', async () => {
    // GIVEN
    glueMock.on(GetCrawlerCommand).rejects(new EntityNotFoundException(meta));
    // WHEN / THEN
    await expect(glueCrawlerDriver.observe(work(NOW.toISOString()))).rejects.toMatchObject({ name: 'EntityNotFoundException' });
  });

  it.each<[string, object, string | undefined]>([
    ['running a crawl that began after the record', { State: 'RUNNING', CrawlElapsedTime: 0 }, NOW.toISOString()],
    ['running a crawl that began an hour before the record', { State: 'RUNNING', CrawlElapsedTime: 3_600_000 }, undefined],
    ['running, with no elapsed time', { State: 'RUNNING' }, NOW.toISOString()],
    ['ready with a crawl that started after the record', { State: 'READY', LastCrawl: { Status: 'SUCCEEDED', StartTime: new Date(T + 1_000) } }, NOW.toISOString()],
    ['ready with an older crawl', { State: 'READY', LastCrawl: { Status: 'SUCCEEDED', StartTime: new Date(T - 3_600_000) } }, undefined],
    ['ready, never crawled', { State: 'READY' }, undefined],
  ])('GIVEN a crawler %s WHEN a start of the record is looked for THEN it is %p (the record\'s creation time)', async (_label, crawler, expected) => {
    // GIVEN
    glueMock.on(GetCrawlerCommand).resolves({ Crawler: crawler });
    // WHEN / THEN
    await expect(glueCrawlerDriver.findStarted({ input, tokenId: 'tok1', createdAt: T }, T)).resolves.toBe(expected);
  });

  it.each<[string, object, string | undefined]>([
    ['running the crawl that refused the start', { State: 'RUNNING', CrawlElapsedTime: 60_000 }, undefined],
    ['running a crawl begun after the refusal', { State: 'RUNNING', CrawlElapsedTime: 0 }, new Date(T + 30_000).toISOString()],
    ['ready, its last crawl the one that refused the start', { State: 'READY', LastCrawl: { Status: 'SUCCEEDED', StartTime: new Date(T - 60_000) } }, undefined],
    ['ready, its last crawl begun once the start could be tried again', { State: 'READY', LastCrawl: { Status: 'SUCCEEDED', StartTime: new Date(T + 30_000) } }, new Date(T + 30_000).toISOString()],
  ])('GIVEN a start refused 30 s ago and tried again from now, and a crawler %s WHEN a start of the record is looked for THEN it is %p', async (_label, crawler, expected) => {
    // GIVEN the record was created a minute ago; its start was refused at T, to be tried again from T + 30 s
    glueMock.on(GetCrawlerCommand).resolves({ Crawler: crawler });
    // WHEN / THEN
    await expect(glueCrawlerDriver.findStarted({ input, tokenId: 'tok1', createdAt: T - 60_000, retryAt: T + 30_000 }, T + 30_000)).resolves.toBe(expected);
  });

  it('GIVEN a running crawl WHEN stopped THEN StopCrawler is sent for the crawler', async () => {
    // GIVEN
    glueMock.on(StopCrawlerCommand).resolves({});
    // WHEN
    await glueCrawlerDriver.stop(work(NOW.toISOString()));
    // THEN
    expect(glueMock).toHaveReceivedCommandWith(StopCrawlerCommand, { Name: 'crawler1' });
  });

  it('GIVEN the crawl already ended WHEN stopped THEN CrawlerNotRunningException is ignored: nothing to stop', async () => {
    // GIVEN
    glueMock.on(StopCrawlerCommand).rejects(new CrawlerNotRunningException(meta));
    // WHEN / THEN
    await expect(glueCrawlerDriver.stop(work(NOW.toISOString()))).resolves.toBeUndefined();
  });

  it('GIVEN StopCrawler fails otherwise WHEN stopped THEN the error reaches the caller', async () => {
    // GIVEN
    glueMock.on(StopCrawlerCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    // WHEN / THEN
    await expect(glueCrawlerDriver.stop(work(NOW.toISOString()))).rejects.toMatchObject({ name: 'ThrottlingException' });
  });
});

describe('glue workflow driver', () => {
  const input = workflowInput(1, { runProperties: { day: '2025-03-01', [CORRELATION_RUN_PROPERTY]: 'someone-else' } });
  const work = { input, tokenId: 'tok1', runId: 'wr_1', createdAt: T };
  const tagged = (id: string, tokenId: string | undefined, startedOn: Date): WorkflowRun => ({
    WorkflowRunId: id, StartedOn: startedOn, WorkflowRunProperties: tokenId === undefined ? undefined : { [CORRELATION_RUN_PROPERTY]: tokenId },
  });

  it('GIVEN a workflow step WHEN started THEN StartWorkflowRun carries its run properties plus the task\'s correlation property, which wins over a declared one', async () => {
    // GIVEN
    glueMock.on(StartWorkflowRunCommand).resolves({ RunId: 'wr_1' });
    // WHEN
    const runId = await glueWorkflowDriver.start(input, 'tok1', T);
    // THEN
    expect(runId).toBe('wr_1');
    expect(glueMock).toHaveReceivedCommandWith(StartWorkflowRunCommand, {
      Name: 'workflow1', RunProperties: { day: '2025-03-01', [CORRELATION_RUN_PROPERTY]: 'tok1' },
    });
  });

  it('GIVEN StartWorkflowRun answers without a run id WHEN started THEN it throws MissingJobRunIdError (transient: the run is looked up next time)', async () => {
    // GIVEN
    glueMock.on(StartWorkflowRunCommand).resolves({});
    // WHEN / THEN
    await expect(glueWorkflowDriver.start(input, 'tok1', T)).rejects.toMatchObject({ name: 'MissingJobRunIdError' });
  });

  it('GIVEN the workflow is at its concurrency limit WHEN started THEN Glue\'s error reaches the caller', async () => {
    // GIVEN
    glueMock.on(StartWorkflowRunCommand).rejects(new ConcurrentRunsExceededException(meta));
    // WHEN / THEN
    await expect(glueWorkflowDriver.start(input, 'tok1', T)).rejects.toMatchObject({ name: 'ConcurrentRunsExceededException' });
  });

  it('GIVEN a COMPLETED run WHEN observed THEN GetWorkflowRun is read without the graph and the step succeeds', async () => {
    // GIVEN
    glueMock.on(GetWorkflowRunCommand).resolves({
      Run: { WorkflowRunId: 'wr_1', Status: 'COMPLETED', StartedOn: new Date(T), CompletedOn: new Date(T + 60_000), Statistics: { TotalActions: 2, SucceededActions: 2 } },
    });
    // WHEN
    const observed = await glueWorkflowDriver.observe(work);
    // THEN
    expect(glueMock).toHaveReceivedCommandWith(GetWorkflowRunCommand, { Name: 'workflow1', RunId: 'wr_1', IncludeGraph: false });
    expect(observed).toEqual({
      kind: 'succeed',
      output: {
        stepName: 'step1',
        workflowName: 'workflow1',
        workflowRunId: 'wr_1',
        state: 'COMPLETED',
        startedOn: NOW.toISOString(),
        completedOn: new Date(T + 60_000).toISOString(),
        succeededActions: 2,
      },
    });
  });

  it('GIVEN a COMPLETED run with a failed action WHEN observed THEN the step fails with Glue.WorkflowActionsFailed', async () => {
    // GIVEN
    glueMock.on(GetWorkflowRunCommand).resolves({ Run: { Status: 'COMPLETED', Statistics: { TotalActions: 2, SucceededActions: 1, FailedActions: 1 } } });
    // WHEN / THEN
    await expect(glueWorkflowDriver.observe(work)).resolves.toMatchObject({ kind: 'fail', error: StepErrorNames.WORKFLOW_ACTIONS_FAILED });
  });

  it('GIVEN the run is on the second page WHEN a start of the record is looked for THEN GetWorkflowRuns is paged with its NextToken until the run is found', async () => {
    // GIVEN
    glueMock.on(GetWorkflowRunsCommand)
      .resolvesOnce({ Runs: [tagged('wr_other', 'other', new Date(T)), tagged('wr_untagged', undefined, new Date(T))], NextToken: 'p2' })
      .resolvesOnce({ Runs: [tagged('wr_mine', 'tok1', new Date(T - 1_000))], NextToken: 'p3' });
    // WHEN
    const found = await glueWorkflowDriver.findStarted({ input, tokenId: 'tok1', createdAt: T }, T);
    // THEN
    expect(found).toBe('wr_mine');
    const calls = glueMock.commandCalls(GetWorkflowRunsCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.NextToken)).toEqual([undefined, 'p2']);
    expect(calls[0]).toMatchObject({ Name: 'workflow1', IncludeGraph: false });
  });

  it('GIVEN runs listed oldest first, the record\'s run on a later page WHEN a start is looked for THEN every page is read until it is found (GetWorkflowRuns promises no order)', async () => {
    // GIVEN
    glueMock.on(GetWorkflowRunsCommand)
      .resolvesOnce({ Runs: [tagged('wr_old', 'other', new Date(0)), tagged('wr_older_untagged', undefined, new Date(T - CLOCK_SKEW_MS - 1))], NextToken: 'p2' })
      .resolvesOnce({ Runs: [tagged('wr_mine', 'tok1', new Date(T)), tagged('wr_new', 'other', new Date(T + 1_000))] });
    // WHEN / THEN
    await expect(glueWorkflowDriver.findStarted({ input, tokenId: 'tok1', createdAt: T }, T)).resolves.toBe('wr_mine');
    expect(glueMock).toHaveReceivedCommandTimes(GetWorkflowRunsCommand, 2);
  });

  it('GIVEN no run carries the token id and the pages run out WHEN a start is looked for THEN nothing is found', async () => {
    // GIVEN
    glueMock.on(GetWorkflowRunsCommand).resolvesOnce({ Runs: [tagged('wr_other', 'other', new Date(T))], NextToken: 'p2' }).resolvesOnce({});
    // WHEN / THEN
    await expect(glueWorkflowDriver.findStarted({ input, tokenId: 'tok1', createdAt: T }, T)).resolves.toBeUndefined();
    expect(glueMock).toHaveReceivedCommandTimes(GetWorkflowRunsCommand, 2);
  });

  it('GIVEN a running workflow run WHEN stopped THEN StopWorkflowRun is sent for it', async () => {
    // GIVEN
    glueMock.on(StopWorkflowRunCommand).resolves({});
    // WHEN
    await glueWorkflowDriver.stop(work);
    // THEN
    expect(glueMock).toHaveReceivedCommandWith(StopWorkflowRunCommand, { Name: 'workflow1', RunId: 'wr_1' });
  });

  it('GIVEN the run already ended WHEN stopped THEN IllegalWorkflowStateException is ignored, and any other error is not', async () => {
    // GIVEN / WHEN / THEN
    glueMock.on(StopWorkflowRunCommand).rejects(new IllegalWorkflowStateException(meta));
    await expect(glueWorkflowDriver.stop(work)).resolves.toBeUndefined();
    glueMock.on(StopWorkflowRunCommand).rejects(new EntityNotFoundException(meta));
    await expect(glueWorkflowDriver.stop(work)).rejects.toMatchObject({ name: 'EntityNotFoundException' });
  });
});

describe('glue trigger driver', () => {
  const input = triggerInput(1);
  const work = { input, tokenId: 'tok1', runId: NOW.toISOString(), createdAt: T };

  it('GIVEN a trigger step WHEN started THEN StartTrigger is sent for its trigger and the firing time is returned as ISO text', async () => {
    // GIVEN
    glueMock.on(StartTriggerCommand).resolves({ Name: 'trigger1' });
    // WHEN
    const runId = await glueTriggerDriver.start(input, 'tok1', T);
    // THEN
    expect(runId).toBe(NOW.toISOString());
    expect(glueMock).toHaveReceivedCommandWith(StartTriggerCommand, { Name: 'trigger1' });
  });

  it('GIVEN a fired trigger WHEN observed THEN it succeeds at once, without asking Glue', async () => {
    // WHEN
    const observed = await glueTriggerDriver.observe(work);
    // THEN
    expect(observed).toEqual({ kind: 'succeed', output: { stepName: 'step1', triggerName: 'trigger1', state: 'SUCCEEDED', startedOn: NOW.toISOString() } });
    expect(glueMock.calls()).toHaveLength(0);
  });

  it('GIVEN a trigger step WHEN a start is looked for or it is stopped THEN nothing is found and nothing is called: a firing leaves no trace', async () => {
    // WHEN / THEN
    await expect(glueTriggerDriver.findStarted({ input, tokenId: 'tok1', createdAt: T }, T)).resolves.toBeUndefined();
    await expect(glueTriggerDriver.stop(work)).resolves.toBeUndefined();
    expect(glueMock.calls()).toHaveLength(0);
  });

  it('GIVEN StartTrigger is refused WHEN started THEN Glue\'s error reaches the caller', async () => {
    // GIVEN
    glueMock.on(StartTriggerCommand).rejects(new EntityNotFoundException(meta));
    // WHEN / THEN
    await expect(glueTriggerDriver.start(input, 'tok1', T)).rejects.toMatchObject({ name: 'EntityNotFoundException' });
  });
});
