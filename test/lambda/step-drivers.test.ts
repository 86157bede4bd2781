import {
  BatchStopJobRunCommand, ConcurrentRunsExceededException, CrawlerNotRunningException, CrawlerRunningException, EntityNotFoundException,
  GetJobRunCommand, GetJobRunsCommand, GetTriggerCommand, GetWorkflowRunCommand, GetWorkflowRunsCommand, IllegalWorkflowStateException, JobRun,
  ListCrawlsCommand, StartCrawlerCommand, StartJobRunCommand, StartTriggerCommand, StartWorkflowRunCommand, StopCrawlerCommand,
  StopWorkflowRunCommand, WorkflowRun,
} from '@aws-sdk/client-glue';
import { captureLogs, crawlHistory, glueMock, loggedLines, resetAwsMocks, serveCrawls } from './aws-mocks';
import { crawlerInput, NOW, stepInput, triggerInput, workflowInput } from './fixtures';
import { driverFor } from '../../src/lambda/kinds/driver-registry';
import { glueCrawlerDriver } from '../../src/lambda/kinds/glue-crawler/crawler-driver';
import { CRAWL_CLOCK_SKEW_MS, REFUSAL_MARGIN_MS } from '../../src/lambda/kinds/glue-crawler/crawler-states';
import { CLOCK_SKEW_MS, glueJobDriver } from '../../src/lambda/kinds/glue-job/job-driver';
import { glueTriggerDriver } from '../../src/lambda/kinds/glue-trigger/trigger-driver';
import { glueWorkflowDriver } from '../../src/lambda/kinds/glue-workflow/workflow-driver';
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
  const CRAWL = 'c0ffee00-0000-4000-8000-000000000001';
  const startedSince = (ms: number) => [{ FieldName: 'START_TIME', FilterOperator: 'GE', FieldValue: String(ms) }];
  const byId = (id: string) => [{ FieldName: 'CRAWL_ID', FilterOperator: 'EQ', FieldValue: id }];

  it('GIVEN a crawler step WHEN started THEN StartCrawler is sent for its crawler and the id of the crawler\'s RUNNING crawl is returned', async () => {
    // GIVEN a crawl that ended in the skew before the start, and the one StartCrawler began
    glueMock.on(StartCrawlerCommand).resolves({});
    serveCrawls([crawlHistory('earlier', 'COMPLETED', T - 50_000, T - 10_000), crawlHistory(CRAWL, 'RUNNING', T + 1_000)]);
    // WHEN
    const runId = await glueCrawlerDriver.start(input, 'tok1', T);
    // THEN
    expect(runId).toBe(CRAWL);
    expect(glueMock).toHaveReceivedCommandWith(StartCrawlerCommand, { Name: 'crawler1' });
    expect(glueMock).toHaveReceivedCommandWith(ListCrawlsCommand, { CrawlerName: 'crawler1', Filters: startedSince(T - CRAWL_CLOCK_SKEW_MS), MaxResults: 100 });
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
    serveCrawls([crawlHistory('earlier', 'COMPLETED', T - 50_000, T - 10_000)]);
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
    await expect(glueCrawlerDriver.observe(work(CRAWL))).resolves.toEqual({ kind: 'in-flight' });
  });

  it('GIVEN a step tracked by its start time WHEN observed THEN its crawl is the first begun since then, and the step succeeds with that crawl\'s id', async () => {
    // GIVEN the crawl before the step ended before it; the step's own ended; a later one runs
    serveCrawls([
      crawlHistory('before', 'FAILED', T - 50_000, T - 5_000),
      crawlHistory(CRAWL, 'COMPLETED', T + 2_000, T + 60_000),
      crawlHistory('after', 'RUNNING', T + 70_000),
    ]);
    // WHEN
    const observed = await glueCrawlerDriver.observe(work(NOW.toISOString()));
    // THEN
    expect(glueMock).toHaveReceivedCommandWith(ListCrawlsCommand, { CrawlerName: 'crawler1', Filters: startedSince(T - CRAWL_CLOCK_SKEW_MS) });
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

  it.each<[string, ReturnType<typeof crawlHistory>[], string | undefined]>([
    ['a crawl running, begun after the record', [crawlHistory(CRAWL, 'RUNNING', T + 1_000)], CRAWL],
    ['a crawl ended, begun after the record', [crawlHistory(CRAWL, 'COMPLETED', T + 1_000, T + 9_000)], CRAWL],
    ['two crawls begun after the record', [crawlHistory('second', 'RUNNING', T + 20_000), crawlHistory(CRAWL, 'COMPLETED', T + 1_000, T + 9_000)], CRAWL],
    ['a crawl begun in the skew before the record, still running', [crawlHistory(CRAWL, 'RUNNING', T - 30_000)], CRAWL],
    ['a crawl begun in the skew before the record that ended before it', [crawlHistory('before', 'COMPLETED', T - 30_000, T - 1_000)], undefined],
    ['a crawl begun an hour before the record, still running', [crawlHistory('old', 'RUNNING', T - 3_600_000)], undefined],
    ['no crawl at all', [], undefined],
  ])('GIVEN %s WHEN a start of the record is looked for THEN it is %p', async (_label, crawls, expected) => {
    // GIVEN
    serveCrawls(crawls);
    // WHEN / THEN
    await expect(glueCrawlerDriver.findStarted({ input, tokenId: 'tok1', createdAt: T }, T)).resolves.toBe(expected);
    expect(glueMock).toHaveReceivedCommandWith(ListCrawlsCommand, { CrawlerName: 'crawler1', Filters: startedSince(T - CRAWL_CLOCK_SKEW_MS) });
  });

  it.each<[string, ReturnType<typeof crawlHistory>[], string | undefined]>([
    ['the crawl that refused the start, still running', [crawlHistory('refusing', 'RUNNING', T - 60_000)], undefined],
    ['the crawl that refused the start, ended since', [crawlHistory('refusing', 'COMPLETED', T - 60_000, T + 10_000)], undefined],
    ['a crawl begun once the start could be tried again', [crawlHistory('refusing', 'COMPLETED', T - 60_000, T + 10_000), crawlHistory(CRAWL, 'RUNNING', T + 30_000)], CRAWL],
  ])('GIVEN a start refused 30 s ago and tried again from now, and %s WHEN a start of the record is looked for THEN it is %p', async (_label, crawls, expected) => {
    // GIVEN the record was created a minute ago; its start was refused at T, to be tried again from T + 30 s
    serveCrawls(crawls);
    // WHEN / THEN
    await expect(glueCrawlerDriver.findStarted({ input, tokenId: 'tok1', createdAt: T - 60_000, retryAt: T + 30_000 }, T + 30_000)).resolves.toBe(expected);
    expect(glueMock).toHaveReceivedCommandWith(ListCrawlsCommand, { Filters: startedSince(T + 30_000 - REFUSAL_MARGIN_MS) });
  });

  it.each<[string, ReturnType<typeof crawlHistory>[], string | undefined]>([
    ['the crawl that start began, going on', [crawlHistory(CRAWL, 'RUNNING', T + 1_000)], CRAWL],
    ['the crawl that start began, already ended', [crawlHistory(CRAWL, 'COMPLETED', T + 1_000, T + 20_000)], CRAWL],
    ['no crawl begun since it was sent', [crawlHistory('old', 'COMPLETED', T - 600_000, T - 500_000)], undefined],
  ])('GIVEN a start whose answer was lost (sent at T, retried from T + 30 s), and %s WHEN a start of the record is looked for THEN it is %p', async (_label, crawls, expected) => {
    // GIVEN the record was created a minute ago; the start sent at T may have taken effect
    serveCrawls(crawls);
    // WHEN / THEN
    await expect(glueCrawlerDriver.findStarted({ input, tokenId: 'tok1', createdAt: T - 60_000, retryAt: T + 30_000, unknownStartAt: T }, T + 30_000))
      .resolves.toBe(expected);
    expect(glueMock).toHaveReceivedCommandWith(ListCrawlsCommand, { Filters: startedSince(T - REFUSAL_MARGIN_MS) });
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
    ['not listed, another crawl RUNNING', [crawlHistory('other', 'RUNNING', T + 3_000)]],
  ])('GIVEN the step\'s crawl %s WHEN stopped THEN StopCrawler is not sent: it would stop whatever crawl runs now', async (_label, crawls) => {
    // GIVEN
    serveCrawls(crawls);
    // WHEN
    await glueCrawlerDriver.stop(work(CRAWL));
    // THEN
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

  it('GIVEN a trigger step WHEN stopped THEN nothing is called: a firing cannot be undone', async () => {
    // WHEN / THEN
    await expect(glueTriggerDriver.stop(work)).resolves.toBeUndefined();
    expect(glueMock.calls()).toHaveLength(0);
  });

  /** A run of job1 begun at `startedAt`, started by the named trigger (undefined: by hand). */
  const jobRun = (id: string, triggerName: string | undefined, startedAt: number): JobRun =>
    ({ Id: id, TriggerName: triggerName, StartedOn: new Date(startedAt) });

  it.each<[string, JobRun[], string | undefined]>([
    ['a run the trigger started after the record', [jobRun('jr_1', 'trigger1', T + 5_000)], new Date(T + 5_000).toISOString()],
    ['a run the trigger started in the skew before the record', [jobRun('jr_1', 'trigger1', T - 30_000)], new Date(T - 30_000).toISOString()],
    ['a newer run of another trigger, then the trigger\'s own', [jobRun('jr_2', 'trigger2', T + 9_000), jobRun('jr_1', 'trigger1', T + 5_000)], new Date(T + 5_000).toISOString()],
    ['only a run of another trigger', [jobRun('jr_2', 'trigger2', T + 5_000)], undefined],
    ['only a run started by hand (no trigger)', [jobRun('jr_2', undefined, T + 5_000)], undefined],
    ['only a run of the trigger older than the window', [jobRun('jr_0', 'trigger1', T - CRAWL_CLOCK_SKEW_MS - 1)], undefined],
    ['no run at all', [], undefined],
  ])('GIVEN a trigger that starts a job, and %s WHEN a start of the record is looked for THEN it is %p', async (_label, runs, expected) => {
    // GIVEN
    glueMock.on(GetTriggerCommand).resolves({ Trigger: { Name: 'trigger1', Actions: [{ JobName: 'job1' }] } });
    glueMock.on(GetJobRunsCommand).resolves({ JobRuns: runs });
    // WHEN / THEN
    await expect(glueTriggerDriver.findStarted({ input, tokenId: 'tok1', createdAt: T }, T)).resolves.toBe(expected);
    expect(glueMock).toHaveReceivedCommandWith(GetTriggerCommand, { Name: 'trigger1' });
    expect(glueMock).toHaveReceivedCommandWith(GetJobRunsCommand, { JobName: 'job1' });
  });

  it.each<[string, ReturnType<typeof crawlHistory>[], string | undefined]>([
    ['a crawl begun after the record', [crawlHistory('crawl-1', 'RUNNING', T + 5_000)], new Date(T + 5_000).toISOString()],
    ['a crawl that ended before the record', [crawlHistory('crawl-0', 'COMPLETED', T - 30_000, T - 1_000)], undefined],
    ['only a crawl begun an hour before the record', [crawlHistory('crawl-0', 'RUNNING', T - 3_600_000)], undefined],
  ])('GIVEN a trigger that starts a crawler, and %s WHEN a start of the record is looked for THEN it is %p', async (_label, crawls, expected) => {
    // GIVEN
    glueMock.on(GetTriggerCommand).resolves({ Trigger: { Name: 'trigger1', Actions: [{ CrawlerName: 'crawler1' }] } });
    serveCrawls(crawls);
    // WHEN / THEN
    await expect(glueTriggerDriver.findStarted({ input, tokenId: 'tok1', createdAt: T }, T)).resolves.toBe(expected);
    expect(glueMock).toHaveReceivedCommandWith(ListCrawlsCommand, {
      CrawlerName: 'crawler1', Filters: [{ FieldName: 'START_TIME', FilterOperator: 'GE', FieldValue: String(T - CRAWL_CLOCK_SKEW_MS) }],
    });
  });

  it('GIVEN a trigger of a job and a crawler, whose job shows no firing WHEN a start of the record is looked for THEN the crawler\'s crawl is found', async () => {
    // GIVEN
    glueMock.on(GetTriggerCommand).resolves({ Trigger: { Name: 'trigger1', Actions: [{ JobName: 'job1' }, { CrawlerName: 'crawler1' }] } });
    glueMock.on(GetJobRunsCommand).resolves({ JobRuns: [jobRun('jr_2', 'trigger2', T + 5_000)] });
    serveCrawls([crawlHistory('crawl-1', 'COMPLETED', T + 6_000, T + 9_000)]);
    // WHEN / THEN
    await expect(glueTriggerDriver.findStarted({ input, tokenId: 'tok1', createdAt: T }, T)).resolves.toBe(new Date(T + 6_000).toISOString());
  });

  it('GIVEN a firing whose answer was lost at T, retried from T + 30 s WHEN a start of the record is looked for THEN runs are looked for from the time it was sent', async () => {
    // GIVEN the record was created ten minutes before; the firing's run began right after T
    glueMock.on(GetTriggerCommand).resolves({ Trigger: { Name: 'trigger1', Actions: [{ JobName: 'job1' }] } });
    glueMock.on(GetJobRunsCommand).resolves({ JobRuns: [jobRun('jr_1', 'trigger1', T + 1_000), jobRun('jr_0', 'trigger1', T - 300_000)] });
    // WHEN / THEN
    await expect(glueTriggerDriver.findStarted({ input, tokenId: 'tok1', createdAt: T - 600_000, retryAt: T + 30_000, unknownStartAt: T }, T + 30_000))
      .resolves.toBe(new Date(T + 1_000).toISOString());
  });

  it('GIVEN a start refused at T and tried again from T + 30 s, and only the trigger\'s run from before the refusal WHEN a start of the record is looked for THEN nothing is found', async () => {
    // GIVEN
    glueMock.on(GetTriggerCommand).resolves({ Trigger: { Name: 'trigger1', Actions: [{ JobName: 'job1' }] } });
    glueMock.on(GetJobRunsCommand).resolves({ JobRuns: [jobRun('jr_0', 'trigger1', T - 1_000)] });
    // WHEN / THEN
    await expect(glueTriggerDriver.findStarted({ input, tokenId: 'tok1', createdAt: T - 600_000, retryAt: T + 30_000 }, T + 30_000)).resolves.toBeUndefined();
  });

  it('GIVEN a trigger without actions WHEN a start of the record is looked for THEN nothing is found and no run is read', async () => {
    // GIVEN
    glueMock.on(GetTriggerCommand).resolves({ Trigger: { Name: 'trigger1', Actions: [] } });
    // WHEN / THEN
    await expect(glueTriggerDriver.findStarted({ input, tokenId: 'tok1', createdAt: T }, T)).resolves.toBeUndefined();
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
    expect(await reads.get('jr_1')!(T)).toEqual({ kind: 'in-flight' });
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
