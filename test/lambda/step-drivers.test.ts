import {
  BatchStopJobRunCommand, ConcurrentRunsExceededException, CrawlerNotRunningException, CrawlerRunningException, EntityNotFoundException,
  GetJobRunCommand, GetJobRunsCommand, GetTriggerCommand, GetWorkflowRunCommand, GetWorkflowRunsCommand, GetWorkflowRunsCommandInput,
  IllegalWorkflowStateException, JobRun, ListCrawlsCommand, StartCrawlerCommand, StartJobRunCommand, StartTriggerCommand, StartWorkflowRunCommand,
  StopCrawlerCommand, StopWorkflowRunCommand, WorkflowRun,
} from '@aws-sdk/client-glue';
import { captureLogs, crawlHistory, glueMock, loggedLines, pagesInOrder, resetAwsMocks, serveCrawls } from './aws-mocks';
import { crawlerInput, NOW, stepInput, triggerInput, workflowInput } from './fixtures';
import { driverFor } from '../../src/lambda/kinds/driver-registry';
import { glueCrawlerDriver } from '../../src/lambda/kinds/glue-crawler/crawler-driver';
import { CLOCK_SKEW_MS, glueJobDriver } from '../../src/lambda/kinds/glue-job/job-driver';
import { glueTriggerDriver } from '../../src/lambda/kinds/glue-trigger/trigger-driver';
import { glueWorkflowDriver } from '../../src/lambda/kinds/glue-workflow/workflow-driver';
import { AFTER_SEND_MS, BEFORE_SEND_MS } from '../../src/lambda/kinds/start-window';
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
    await expect(glueJobDriver.observe(work)).resolves.toEqual({ kind: 'in-flight', state: 'RUNNING' });
    await glueJobDriver.stop(work);
    expect(glueMock).toHaveReceivedCommandWith(GetJobRunCommand, { JobName: 'job1', RunId: 'jr_1' });
    expect(glueMock).toHaveReceivedCommandWith(BatchStopJobRunCommand, { JobName: 'job1', JobRunIds: ['jr_1'] });
  });
});

describe('glue crawler driver', () => {
  const input = crawlerInput(1);
  const work = (runId: string) => ({ input, tokenId: 'tok1', runId, createdAt: T });
  const CRAWL = 'c0ffee00-0000-4000-8000-000000000001';
  const startedSince = (ms: number) => [{ FieldName: 'START_TIME', FilterOperator: 'GE', FieldValue: String(ms) }];
  const byId = (id: string) => [{ FieldName: 'CRAWL_ID', FilterOperator: 'EQ', FieldValue: id }];

  it('GIVEN a crawler step WHEN started THEN StartCrawler is sent for its crawler and the id of the crawler\'s RUNNING crawl is returned', async () => {
    // GIVEN a crawl begun in the margin before the start that ended before it, and the one StartCrawler began
    glueMock.on(StartCrawlerCommand).resolves({});
    serveCrawls([crawlHistory('earlier', 'COMPLETED', T - 14_000, T - 10_000), crawlHistory(CRAWL, 'RUNNING', T + 1_000)]);
    // WHEN
    const runId = await glueCrawlerDriver.start(input, 'tok1', T);
    // THEN
    expect(runId).toBe(CRAWL);
    expect(glueMock).toHaveReceivedCommandWith(StartCrawlerCommand, { Name: 'crawler1' });
    expect(glueMock).toHaveReceivedCommandWith(ListCrawlsCommand, { CrawlerName: 'crawler1', Filters: startedSince(T - BEFORE_SEND_MS), MaxResults: 100 });
  });

  it('GIVEN ListCrawls fails right after StartCrawler WHEN started THEN the crawl is tracked by its start time (ISO text), not started again', async () => {
    // GIVEN
    const logs = captureLogs();
    glueMock.on(StartCrawlerCommand).resolves({});
    glueMock.on(ListCrawlsCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    // WHEN
    const runId = await glueCrawlerDriver.start(input, 'tok1', T);
    // THEN
    expect(runId).toBe(NOW.toISOString());
    expect(glueMock).toHaveReceivedCommandTimes(StartCrawlerCommand, 1);
    expect(loggedLines(logs).join('\n')).toContain('tracked by its start time');
  });

  it('GIVEN Glue does not list a RUNNING crawl yet right after StartCrawler WHEN started THEN the crawl is tracked by its start time (ISO text)', async () => {
    // GIVEN
    glueMock.on(StartCrawlerCommand).resolves({});
    serveCrawls([crawlHistory('earlier', 'COMPLETED', T - 14_000, T - 10_000)]);
    // WHEN / THEN
    await expect(glueCrawlerDriver.start(input, 'tok1', T)).resolves.toBe(NOW.toISOString());
  });

  it('GIVEN the crawler is already running WHEN started THEN the CrawlerRunningException reaches the caller (which defers the start), and no crawl is looked for', async () => {
    // GIVEN
    glueMock.on(StartCrawlerCommand).rejects(new CrawlerRunningException(meta));
    // WHEN / THEN
    await expect(glueCrawlerDriver.start(input, 'tok1', T)).rejects.toMatchObject({ name: 'CrawlerRunningException' });
    expect(glueMock).not.toHaveReceivedCommand(ListCrawlsCommand);
  });

  it('GIVEN the step\'s crawl COMPLETED WHEN observed THEN it is read by its id and the step succeeds with the crawl\'s details', async () => {
    // GIVEN
    serveCrawls([
      crawlHistory(CRAWL, 'COMPLETED', T + 5_000, T + 65_000, { LogGroup: '/aws-glue/crawlers', LogStream: 'crawler1' }),
      crawlHistory('later', 'RUNNING', T + 70_000),
    ]);
    // WHEN
    const observed = await glueCrawlerDriver.observe(work(CRAWL));
    // THEN
    expect(glueMock).toHaveReceivedCommandWith(ListCrawlsCommand, { CrawlerName: 'crawler1', Filters: byId(CRAWL) });
    expect(observed).toEqual({
      kind: 'succeed',
      output: {
        stepName: 'step1',
        crawlerName: 'crawler1',
        crawlId: CRAWL,
        state: 'SUCCEEDED',
        startedOn: new Date(T + 5_000).toISOString(),
        completedOn: new Date(T + 65_000).toISOString(),
        logGroup: '/aws-glue/crawlers',
        logStream: 'crawler1',
      },
    });
  });

  it.each<[string, string, string, string]>([
    ['FAILED', 'FAILED', StepErrorNames.CRAWLER_FAILED, 'access denied to s3://raw'],
    ['STOPPED', 'STOPPED', StepErrorNames.CRAWLER_CANCELLED, 'stopped by a user'],
  ])('GIVEN the step\'s crawl %s WHEN observed THEN the step fails with its error and Glue\'s message', async (_label, state, error, message) => {
    // GIVEN
    serveCrawls([crawlHistory(CRAWL, state, T + 5_000, T + 65_000, { ErrorMessage: message })]);
    // WHEN / THEN
    await expect(glueCrawlerDriver.observe(work(CRAWL))).resolves.toEqual({ kind: 'fail', error, finalState: state, message });
  });

  it.each<[string, ReturnType<typeof crawlHistory>[]]>([
    ['still RUNNING', [crawlHistory(CRAWL, 'RUNNING', T + 5_000)]],
    ['not listed yet', [crawlHistory('other', 'COMPLETED', T + 5_000, T + 6_000)]],
  ])('GIVEN the step\'s crawl %s WHEN observed THEN the step stays in flight', async (_label, crawls) => {
    // GIVEN
    serveCrawls(crawls);
    // WHEN / THEN
    await expect(glueCrawlerDriver.observe(work(CRAWL))).resolves.toMatchObject({ kind: 'in-flight' });
  });

  it('GIVEN a step tracked by its start time WHEN observed THEN its crawl is the first begun in the start\'s window, and the step succeeds with that crawl\'s id', async () => {
    // GIVEN a crawl begun in the margin before the step ended before it; the step's own ended; a later one runs
    serveCrawls([
      crawlHistory('before', 'FAILED', T - 12_000, T - 5_000),
      crawlHistory(CRAWL, 'COMPLETED', T + 2_000, T + 60_000),
      crawlHistory('after', 'RUNNING', T + 70_000),
    ]);
    // WHEN
    const observed = await glueCrawlerDriver.observe(work(NOW.toISOString()));
    // THEN
    expect(glueMock).toHaveReceivedCommandWith(ListCrawlsCommand, { CrawlerName: 'crawler1', Filters: startedSince(T - BEFORE_SEND_MS) });
    expect(observed).toMatchObject({ kind: 'succeed', output: { crawlId: CRAWL, startedOn: new Date(T + 2_000).toISOString() } });
  });

  it('GIVEN the crawls span several pages WHEN observed THEN every page is read with its NextToken', async () => {
    // GIVEN 150 crawls since the step started: the step's own, the oldest, on the second page
    serveCrawls([
      crawlHistory(CRAWL, 'COMPLETED', T + 1_000, T + 1_500),
      ...Array.from({ length: 149 }, (_, i) => crawlHistory(`later-${i}`, 'COMPLETED', T + 2_000 + i * 1_000, T + 2_500 + i * 1_000)),
    ]);
    // WHEN
    const observed = await glueCrawlerDriver.observe(work(NOW.toISOString()));
    // THEN
    expect(glueMock.commandCalls(ListCrawlsCommand).map((c) => c.args[0].input.NextToken)).toEqual([undefined, '100']);
    expect(observed).toMatchObject({ kind: 'succeed', output: { crawlId: CRAWL } });
  });

  it('GIVEN the crawler is gone WHEN observed THEN EntityNotFoundException reaches the caller', async () => {
    // GIVEN
    glueMock.on(ListCrawlsCommand).rejects(new EntityNotFoundException(meta));
    // WHEN / THEN
    await expect(glueCrawlerDriver.observe(work(CRAWL))).rejects.toMatchObject({ name: 'EntityNotFoundException' });
  });

  it('GIVEN no start of the record can have taken effect (no startSentAt) WHEN a start is looked for THEN nothing is found and Glue is not asked', async () => {
    // GIVEN a crawl running that began right after the record: someone else's
    serveCrawls([crawlHistory(CRAWL, 'RUNNING', T + 1_000)]);
    // WHEN / THEN
    await expect(glueCrawlerDriver.findStarted({ input, tokenId: 'tok1', createdAt: T }, T + 30_000)).resolves.toBeUndefined();
    expect(glueMock.calls()).toHaveLength(0);
  });

  it.each<[string, ReturnType<typeof crawlHistory>[], string | undefined]>([
    ['a crawl running, begun after the send', [crawlHistory(CRAWL, 'RUNNING', T + 1_000)], CRAWL],
    ['a crawl ended, begun after the send', [crawlHistory(CRAWL, 'COMPLETED', T + 1_000, T + 9_000)], CRAWL],
    ['two crawls begun after the send', [crawlHistory('second', 'RUNNING', T + 20_000), crawlHistory(CRAWL, 'COMPLETED', T + 1_000, T + 9_000)], CRAWL],
    ['a crawl begun in the margin before the send, still running', [crawlHistory(CRAWL, 'RUNNING', T - 10_000)], CRAWL],
    ['a crawl begun in the margin before the send that ended before it', [crawlHistory('before', 'COMPLETED', T - 10_000, T - 1_000)], undefined],
    ['a crawl begun 1 ms before the margin, still running (the one that refused an earlier try)', [crawlHistory('refusing', 'RUNNING', T - BEFORE_SEND_MS - 1)], undefined],
    ['a crawl begun an hour before the send, still running', [crawlHistory('old', 'RUNNING', T - 3_600_000)], undefined],
    ['only a crawl begun 1 ms after the window closed', [crawlHistory('later', 'RUNNING', T + AFTER_SEND_MS + 1)], undefined],
    ['no crawl at all', [], undefined],
  ])('GIVEN a start sent at T that may have taken effect, and %s WHEN it is looked for at T + 30 s THEN it is %p', async (_label, crawls, expected) => {
    // GIVEN the record was created a minute before the send
    serveCrawls(crawls);
    // WHEN / THEN
    await expect(glueCrawlerDriver.findStarted({ input, tokenId: 'tok1', createdAt: T - 60_000, startSentAt: T }, T + 30_000)).resolves.toBe(expected);
    expect(glueMock).toHaveReceivedCommandWith(ListCrawlsCommand, { CrawlerName: 'crawler1', Filters: startedSince(T - BEFORE_SEND_MS) });
  });

  it('GIVEN the step\'s crawl is RUNNING WHEN stopped THEN StopCrawler is sent for the crawler', async () => {
    // GIVEN
    serveCrawls([crawlHistory(CRAWL, 'RUNNING', T + 1_000)]);
    glueMock.on(StopCrawlerCommand).resolves({});
    // WHEN
    await glueCrawlerDriver.stop(work(CRAWL));
    // THEN
    expect(glueMock).toHaveReceivedCommandWith(StopCrawlerCommand, { Name: 'crawler1' });
  });

  it.each<[string, ReturnType<typeof crawlHistory>[]]>([
    ['COMPLETED, another crawl RUNNING', [crawlHistory(CRAWL, 'COMPLETED', T + 1_000, T + 2_000), crawlHistory('other', 'RUNNING', T + 3_000)]],
    ['STOPPED', [crawlHistory(CRAWL, 'STOPPED', T + 1_000, T + 2_000)]],
  ])('GIVEN the step\'s crawl %s WHEN stopped THEN StopCrawler is not sent: it would stop whatever crawl runs now', async (_label, crawls) => {
    // GIVEN
    serveCrawls(crawls);
    // WHEN
    await glueCrawlerDriver.stop(work(CRAWL));
    // THEN
    expect(glueMock).not.toHaveReceivedCommand(StopCrawlerCommand);
  });

  it.each<[string, string, ReturnType<typeof crawlHistory>[]]>([
    ['tracked by its id, another crawl RUNNING', CRAWL, [crawlHistory('other', 'RUNNING', T + 3_000)]],
    ['tracked by its start time, no crawl begun in its window', NOW.toISOString(), [crawlHistory('other', 'COMPLETED', T - 600_000, T - 500_000)]],
  ])('GIVEN a step %s, its crawl not listed yet WHEN stopped THEN it throws without StopCrawler, so the record stays for a later cycle', async (_label, runId, crawls) => {
    // GIVEN
    serveCrawls(crawls);
    // WHEN / THEN
    await expect(glueCrawlerDriver.stop(work(runId))).rejects.toThrow('not listed yet');
    expect(glueMock).not.toHaveReceivedCommand(StopCrawlerCommand);
  });

  it('GIVEN a step tracked by its start time whose crawl is RUNNING WHEN stopped THEN StopCrawler is sent', async () => {
    // GIVEN
    serveCrawls([crawlHistory(CRAWL, 'RUNNING', T + 1_000)]);
    glueMock.on(StopCrawlerCommand).resolves({});
    // WHEN
    await glueCrawlerDriver.stop(work(NOW.toISOString()));
    // THEN
    expect(glueMock).toHaveReceivedCommandWith(StopCrawlerCommand, { Name: 'crawler1' });
  });

  it('GIVEN the crawl ends between the read and StopCrawler WHEN stopped THEN CrawlerNotRunningException is ignored: nothing to stop', async () => {
    // GIVEN
    serveCrawls([crawlHistory(CRAWL, 'RUNNING', T + 1_000)]);
    glueMock.on(StopCrawlerCommand).rejects(new CrawlerNotRunningException(meta));
    // WHEN / THEN
    await expect(glueCrawlerDriver.stop(work(CRAWL))).resolves.toBeUndefined();
  });

  it('GIVEN StopCrawler fails otherwise WHEN stopped THEN the error reaches the caller', async () => {
    // GIVEN
    serveCrawls([crawlHistory(CRAWL, 'RUNNING', T + 1_000)]);
    glueMock.on(StopCrawlerCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    // WHEN / THEN
    await expect(glueCrawlerDriver.stop(work(CRAWL))).rejects.toMatchObject({ name: 'ThrottlingException' });
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
    const pages = pagesInOrder<GetWorkflowRunsCommandInput>([
      { Runs: [tagged('wr_other', 'other', new Date(T)), tagged('wr_untagged', undefined, new Date(T))], NextToken: 'p2' },
      { Runs: [tagged('wr_mine', 'tok1', new Date(T - 1_000))], NextToken: 'p3' },
    ]);
    glueMock.on(GetWorkflowRunsCommand).callsFake(pages.answer);
    // WHEN
    const found = await glueWorkflowDriver.findStarted({ input, tokenId: 'tok1', createdAt: T }, T);
    // THEN
    expect(found).toBe('wr_mine');
    const calls = pages.sent;
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

  it('GIVEN a trigger step WHEN stopped THEN nothing is called: a firing cannot be undone', async () => {
    // WHEN / THEN
    await expect(glueTriggerDriver.stop(work)).resolves.toBeUndefined();
    expect(glueMock.calls()).toHaveLength(0);
  });

  /** A run of job1 begun at `startedAt`, started by the named trigger (undefined: by hand). */
  const jobRun = (id: string, triggerName: string | undefined, startedAt: number): JobRun =>
    ({ Id: id, TriggerName: triggerName, StartedOn: new Date(startedAt) });

  /** The record's work as findStarted gets it: its last start sent at T, which may have taken effect. */
  const sentAtT = { input, tokenId: 'tok1', createdAt: T - 600_000, startSentAt: T };
  const notFound = () => new EntityNotFoundException(meta);

  it('GIVEN no start of the record can have taken effect (no startSentAt) WHEN a start is looked for THEN nothing is found and Glue is not asked', async () => {
    // GIVEN a run the trigger started right after the record: another firing
    glueMock.on(GetTriggerCommand).resolves({ Trigger: { Name: 'trigger1', Actions: [{ JobName: 'job1' }] } });
    glueMock.on(GetJobRunsCommand).resolves({ JobRuns: [jobRun('jr_1', 'trigger1', T + 5_000)] });
    // WHEN / THEN
    await expect(glueTriggerDriver.findStarted({ input, tokenId: 'tok1', createdAt: T }, T + 30_000)).resolves.toBeUndefined();
    expect(glueMock.calls()).toHaveLength(0);
  });

  it.each<[string, JobRun[], string | undefined]>([
    ['a run the trigger started after the send', [jobRun('jr_1', 'trigger1', T + 5_000)], new Date(T + 5_000).toISOString()],
    ['a run the trigger started in the margin before the send', [jobRun('jr_1', 'trigger1', T - 10_000)], new Date(T - 10_000).toISOString()],
    ['a run the trigger started exactly BEFORE_SEND_MS before the send', [jobRun('jr_1', 'trigger1', T - BEFORE_SEND_MS)], new Date(T - BEFORE_SEND_MS).toISOString()],
    ['a run the trigger started exactly AFTER_SEND_MS after the send', [jobRun('jr_1', 'trigger1', T + AFTER_SEND_MS)], new Date(T + AFTER_SEND_MS).toISOString()],
    ['a newer run of another trigger, then the trigger\'s own', [jobRun('jr_2', 'trigger2', T + 9_000), jobRun('jr_1', 'trigger1', T + 5_000)], new Date(T + 5_000).toISOString()],
    ['the firing\'s run, then an older one of the trigger', [jobRun('jr_1', 'trigger1', T + 1_000), jobRun('jr_0', 'trigger1', T - 300_000)], new Date(T + 1_000).toISOString()],
    ['only a run of another trigger', [jobRun('jr_2', 'trigger2', T + 5_000)], undefined],
    ['only a run started by hand (no trigger)', [jobRun('jr_2', undefined, T + 5_000)], undefined],
    ['only a run of the trigger begun 1 ms before the window (the one that refused an earlier try)', [jobRun('jr_0', 'trigger1', T - BEFORE_SEND_MS - 1)], undefined],
    ['only a run of the trigger begun 1 ms after the window (a later firing)', [jobRun('jr_3', 'trigger1', T + AFTER_SEND_MS + 1)], undefined],
    ['no run at all', [], undefined],
  ])('GIVEN a trigger that starts a job, fired at T with its answer lost, and %s WHEN the firing is looked for THEN it is %p', async (_label, runs, expected) => {
    // GIVEN
    glueMock.on(GetTriggerCommand).resolves({ Trigger: { Name: 'trigger1', Actions: [{ JobName: 'job1' }] } });
    glueMock.on(GetJobRunsCommand).resolves({ JobRuns: runs });
    // WHEN / THEN
    await expect(glueTriggerDriver.findStarted(sentAtT, T + 30_000)).resolves.toBe(expected);
    expect(glueMock).toHaveReceivedCommandWith(GetTriggerCommand, { Name: 'trigger1' });
    expect(glueMock).toHaveReceivedCommandWith(GetJobRunsCommand, { JobName: 'job1' });
  });

  it.each<[string, ReturnType<typeof crawlHistory>[], string | undefined]>([
    ['a crawl begun after the send', [crawlHistory('crawl-1', 'RUNNING', T + 5_000)], new Date(T + 5_000).toISOString()],
    ['a crawl begun in the margin before the send that ended before it', [crawlHistory('crawl-0', 'COMPLETED', T - 10_000, T - 1_000)], undefined],
    ['only a crawl begun an hour before the send', [crawlHistory('crawl-0', 'RUNNING', T - 3_600_000)], undefined],
    ['only a crawl begun 1 ms after the window', [crawlHistory('crawl-2', 'RUNNING', T + AFTER_SEND_MS + 1)], undefined],
  ])('GIVEN a trigger that starts a crawler, fired at T with its answer lost, and %s WHEN the firing is looked for THEN it is %p', async (_label, crawls, expected) => {
    // GIVEN
    glueMock.on(GetTriggerCommand).resolves({ Trigger: { Name: 'trigger1', Actions: [{ CrawlerName: 'crawler1' }] } });
    serveCrawls(crawls);
    // WHEN / THEN
    await expect(glueTriggerDriver.findStarted(sentAtT, T + 30_000)).resolves.toBe(expected);
    expect(glueMock).toHaveReceivedCommandWith(ListCrawlsCommand, {
      CrawlerName: 'crawler1', Filters: [{ FieldName: 'START_TIME', FilterOperator: 'GE', FieldValue: String(T - BEFORE_SEND_MS) }],
    });
  });

  it('GIVEN a trigger of a job and a crawler, whose job shows no firing WHEN the firing is looked for THEN the crawler\'s crawl is found', async () => {
    // GIVEN
    glueMock.on(GetTriggerCommand).resolves({ Trigger: { Name: 'trigger1', Actions: [{ JobName: 'job1' }, { CrawlerName: 'crawler1' }] } });
    glueMock.on(GetJobRunsCommand).resolves({ JobRuns: [jobRun('jr_2', 'trigger2', T + 5_000)] });
    serveCrawls([crawlHistory('crawl-1', 'COMPLETED', T + 6_000, T + 9_000)]);
    // WHEN / THEN
    await expect(glueTriggerDriver.findStarted(sentAtT, T + 30_000)).resolves.toBe(new Date(T + 6_000).toISOString());
  });

  it('GIVEN a trigger whose first action\'s job is gone (EntityNotFoundException) WHEN the firing is looked for THEN that action is skipped and the next one\'s run is found', async () => {
    // GIVEN
    glueMock.on(GetTriggerCommand).resolves({ Trigger: { Name: 'trigger1', Actions: [{ JobName: 'gone' }, { JobName: 'job1' }] } });
    glueMock.on(GetJobRunsCommand, { JobName: 'gone' }).rejects(notFound());
    glueMock.on(GetJobRunsCommand, { JobName: 'job1' }).resolves({ JobRuns: [jobRun('jr_1', 'trigger1', T + 2_000)] });
    // WHEN / THEN
    await expect(glueTriggerDriver.findStarted(sentAtT, T + 30_000)).resolves.toBe(new Date(T + 2_000).toISOString());
    expect(glueMock).toHaveReceivedCommandWith(GetJobRunsCommand, { JobName: 'gone' });
  });

  it('GIVEN a trigger whose only action\'s job is gone WHEN the firing is looked for THEN nothing is found, and the missing job is not an error', async () => {
    // GIVEN
    glueMock.on(GetTriggerCommand).resolves({ Trigger: { Name: 'trigger1', Actions: [{ JobName: 'gone' }] } });
    glueMock.on(GetJobRunsCommand).rejects(notFound());
    // WHEN / THEN
    await expect(glueTriggerDriver.findStarted(sentAtT, T + 30_000)).resolves.toBeUndefined();
  });

  it('GIVEN a trigger whose crawler action\'s crawler is gone WHEN the firing is looked for THEN nothing is found, and the missing crawler is not an error', async () => {
    // GIVEN
    glueMock.on(GetTriggerCommand).resolves({ Trigger: { Name: 'trigger1', Actions: [{ CrawlerName: 'gone' }] } });
    glueMock.on(ListCrawlsCommand).rejects(notFound());
    // WHEN / THEN
    await expect(glueTriggerDriver.findStarted(sentAtT, T + 30_000)).resolves.toBeUndefined();
  });

  it('GIVEN the trigger itself is gone (EntityNotFoundException) WHEN the firing is looked for THEN nothing is found and no run is read', async () => {
    // GIVEN
    glueMock.on(GetTriggerCommand).rejects(notFound());
    // WHEN / THEN
    await expect(glueTriggerDriver.findStarted(sentAtT, T + 30_000)).resolves.toBeUndefined();
    expect(glueMock).not.toHaveReceivedCommand(GetJobRunsCommand);
    expect(glueMock).not.toHaveReceivedCommand(ListCrawlsCommand);
  });

  it('GIVEN reading an action\'s runs fails otherwise (throttled) WHEN the firing is looked for THEN the error reaches the caller: nothing is taken as not fired', async () => {
    // GIVEN
    glueMock.on(GetTriggerCommand).resolves({ Trigger: { Name: 'trigger1', Actions: [{ JobName: 'job1' }] } });
    glueMock.on(GetJobRunsCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    // WHEN / THEN
    await expect(glueTriggerDriver.findStarted(sentAtT, T + 30_000)).rejects.toMatchObject({ name: 'ThrottlingException' });
  });

  it('GIVEN a trigger without actions WHEN the firing is looked for THEN nothing is found and no run is read', async () => {
    // GIVEN
    glueMock.on(GetTriggerCommand).resolves({ Trigger: { Name: 'trigger1', Actions: [] } });
    // WHEN / THEN
    await expect(glueTriggerDriver.findStarted(sentAtT, T + 30_000)).resolves.toBeUndefined();
    expect(glueMock).not.toHaveReceivedCommand(GetJobRunsCommand);
    expect(glueMock).not.toHaveReceivedCommand(ListCrawlsCommand);
  });

  it('GIVEN StartTrigger is refused WHEN started THEN Glue\'s error reaches the caller', async () => {
    // GIVEN
    glueMock.on(StartTriggerCommand).rejects(new EntityNotFoundException(meta));
    // WHEN / THEN
    await expect(glueTriggerDriver.start(input, 'tok1', T)).rejects.toMatchObject({ name: 'EntityNotFoundException' });
  });
});

describe('observeMany', () => {
  it('GIVEN two tracked runs of one job WHEN the job driver reads them together THEN one GetJobRuns page serves both', async () => {
    // GIVEN
    glueMock.on(GetJobRunsCommand).resolves({
      JobRuns: [{ Id: 'jr_1', JobRunState: 'RUNNING', StartedOn: NOW }, { Id: 'jr_2', JobRunState: 'SUCCEEDED', StartedOn: NOW }],
    });
    const works = [1, 2].map((i) => ({ input: stepInput(1), tokenId: `tok${i}`, runId: `jr_${i}`, createdAt: T }));
    // WHEN
    const reads = await glueJobDriver.observeMany!(works, 16);
    // THEN
    expect(await reads.get('jr_1')!(T)).toEqual({ kind: 'in-flight', state: 'RUNNING' });
    expect(await reads.get('jr_2')!(T)).toMatchObject({ kind: 'succeed', output: { jobRunId: 'jr_2' } });
    expect(glueMock.commandCalls(GetJobRunsCommand)).toHaveLength(1);
    expect(glueMock.commandCalls(GetJobRunCommand)).toHaveLength(0);
  });

  it('GIVEN a run Glue does not know WHEN observed from the read THEN the read\'s error is thrown', async () => {
    // GIVEN
    glueMock.on(GetJobRunCommand).rejects(new EntityNotFoundException(meta));
    const reads = await glueJobDriver.observeMany!([{ input: stepInput(1), tokenId: 'tok1', runId: 'jr_1', createdAt: T }], 16);
    // WHEN / THEN
    await expect(reads.get('jr_1')!(T)).rejects.toMatchObject({ name: 'EntityNotFoundException' });
  });

  it.each<[string, unknown]>([
    ['crawler', glueCrawlerDriver.observeMany],
    ['trigger', glueTriggerDriver.observeMany],
    ['workflow', glueWorkflowDriver.observeMany],
  ])('GIVEN a %s step WHEN the sweep reads runs together THEN its driver reads each alone', (_kind, observeMany) => {
    expect(observeMany).toBeUndefined();
  });
});
