/**
 * Mocks of the SDK clients the runner uses. `mockClient(Class)` stubs the class's `send`,
 * so the module-scope clients in src/lambda/aws/clients.ts are covered too.
 */
// Sets the runner's environment (region, dummy credentials, GOP_* variables) before any SDK module loads.
import './fixtures';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { BatchStopJobRunCommand, CrawlerHistory, CrawlsFilter, GetJobCommand, GlueClient, ListCrawlsCommand, ListCrawlsCommandInput } from '@aws-sdk/client-glue';
import { SendEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';

export const sfnMock = mockClient(SFNClient);
export const glueMock = mockClient(GlueClient);
export const ddbMock = mockClient(DynamoDBDocumentClient);
export const sesMock = mockClient(SESClient);
export const eventsMock = mockClient(EventBridgeClient);

/** Resets every mock and makes the calls that return nothing interesting succeed. */
export function resetAwsMocks(): void {
  sfnMock.reset();
  glueMock.reset();
  ddbMock.reset();
  sesMock.reset();
  eventsMock.reset();
  sfnMock.on(SendTaskHeartbeatCommand).resolves({});
  sfnMock.on(SendTaskSuccessCommand).resolves({});
  sfnMock.on(SendTaskFailureCommand).resolves({});
  glueMock.on(BatchStopJobRunCommand).resolves({ SuccessfulSubmissions: [], Errors: [] });
  // Jobs have no MaxRetries unless a test gives them some: a failed run is the step's end.
  glueMock.on(GetJobCommand).resolves({ Job: { Name: 'job', MaxRetries: 0 } });
  ddbMock.on(PutCommand).resolves({});
  ddbMock.on(UpdateCommand).resolves({});
  ddbMock.on(DeleteCommand).resolves({});
  // No heartbeat round recorded yet: every check is a round, and heartbeats every task in flight.
  ddbMock.on(GetCommand).resolves({});
  sesMock.on(SendEmailCommand).resolves({ MessageId: 'mail-1' });
  eventsMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'event-1' }] });
}

/**
 * One crawl as Glue's ListCrawls shows it (`CrawlerHistory`): begun at `startedAt`, ended at
 * `endedAt` (epoch ms) unless it is RUNNING.
 */
export function crawlHistory(id: string, state: string, startedAt: number, endedAt?: number, extra: Partial<CrawlerHistory> = {}): CrawlerHistory {
  return {
    CrawlId: id,
    State: state as CrawlerHistory['State'],
    StartTime: new Date(startedAt),
    EndTime: endedAt === undefined ? undefined : new Date(endedAt),
    ...extra,
  };
}

/**
 * ListCrawls as Glue answers it for these crawls: only those of the named crawler (every crawl
 * here is `crawler`'s), passing the CRAWL_ID EQ and START_TIME GE filters (START_TIME in epoch
 * ms, as Glue documents), newest first, `MaxResults` a page.
 */
export function serveCrawls(crawls: readonly CrawlerHistory[], crawler = 'crawler1'): void {
  const passes = (c: CrawlerHistory, f: CrawlsFilter) => {
    if (f.FieldName === 'CRAWL_ID' && f.FilterOperator === 'EQ') {
      return c.CrawlId === f.FieldValue;
    }
    if (f.FieldName === 'START_TIME' && f.FilterOperator === 'GE') {
      return c.StartTime !== undefined && c.StartTime.getTime() >= Number(f.FieldValue);
    }
    throw new Error(`filter not served: ${JSON.stringify(f)}`);
  };
  glueMock.on(ListCrawlsCommand).callsFake((input: ListCrawlsCommandInput) => {
    const all = input.CrawlerName !== crawler ? [] : crawls
      .filter((c) => (input.Filters ?? []).every((f) => passes(c, f)))
      .sort((a, b) => (b.StartTime?.getTime() ?? 0) - (a.StartTime?.getTime() ?? 0));
    const from = Number(input.NextToken ?? 0);
    const size = input.MaxResults ?? 20;
    return { Crawls: all.slice(from, from + size), NextToken: from + size < all.length ? String(from + size) : undefined };
  });
}

/**
 * Answers a paged call with `pages`, one a call in order (nothing after the last), and keeps a
 * copy of each input as it was sent. An SDK paginator (paginateGetJobRuns, paginateQuery...)
 * sends every page with one input object and sets its token on it before each send, so the
 * inputs `commandCalls()` holds all show the last page's token by the time a test reads them.
 * Use: `mock.on(Command).callsFake(paged.answer)`, then read `paged.sent`.
 */
export function pagesInOrder<TInput extends object>(pages: readonly object[]) {
  const sent: TInput[] = [];
  const answer = (input: TInput) => {
    sent.push({ ...input });
    return pages[sent.length - 1];
  };
  return { sent, answer };
}

/** Silences the runner's JSON log lines and returns the spies, to read what was logged. */
export function captureLogs() {
  return {
    log: jest.spyOn(console, 'log').mockImplementation(() => undefined),
    error: jest.spyOn(console, 'error').mockImplementation(() => undefined),
    // Metric lines (EMF) go to stdout on their own, not through console.log.
    stdout: jest.spyOn(process.stdout, 'write').mockImplementation(() => true),
  };
}

/** The EMF documents written to stdout since the spies were made (`captureLogs`), parsed. */
export function metricLines(spies: ReturnType<typeof captureLogs>): Record<string, any>[] {
  return spies.stdout.mock.calls
    .flatMap((args) => String(args[0]).split('\n'))
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line))
    .filter((doc) => doc !== null && typeof doc === 'object' && '_aws' in doc);
}

/** Every line written through console.log / console.error since the spies were made. */
export function loggedLines(spies: ReturnType<typeof captureLogs>): string[] {
  return [...spies.log.mock.calls, ...spies.error.mock.calls].map((args) => args.map(String).join(' '));
}
