import { CrawlerHistory, CrawlsFilter, ListCrawlsCommand, StartCrawlerCommand, StopCrawlerCommand } from '@aws-sdk/client-glue';
import { crawlRefOf, CrawlView, observeCrawl, ownCrawl } from './crawler-states';
import { GlueCrawlerTaskInput } from '../../../shared/contract';
import { glue, glueStart } from '../../aws/clients';
import { describeError, log } from '../../entry/log';
import { BEFORE_SEND_MS, startWindow } from '../start-window';
import type { StepDriver } from '../step-driver';

/**
 * A crawler step: one crawl, tracked by its `CrawlId` (Glue's ListCrawls). StartCrawler returns
 * no id, so right after it the step takes the crawler's running crawl as its own (a crawler
 * runs one crawl at a time, and Glue just accepted this one). A crawl whose start answer was
 * lost, or whose runner died before saving it, is found again in the window of the time its
 * start was sent, which the runner records before it sends (start-window.ts).
 * A crawler already running refuses StartCrawler (CrawlerRunningException); the runner treats
 * that as transient, so the step waits for the other crawl to end and then runs its own.
 */
export const glueCrawlerDriver: StepDriver<GlueCrawlerTaskInput> = {
  startCall: 'StartCrawler',
  doneWhenStarted: false,
  marksStart: true,
  start: async (input, _tokenId, now) => {
    await glueStart.send(new StartCrawlerCommand({ Name: input.crawlerName }));
    try {
      const running = (await listCrawls(input.crawlerName, [startedSince(now - BEFORE_SEND_MS)])).find((c) => c.state === 'RUNNING');
      if (running?.id) {
        return running.id;
      }
    } catch (err) {
      // The crawl started; it is found by the time of its start instead.
      log.warn('crawl started, but not listed; tracked by its start time', { crawlerName: input.crawlerName, reason: describeError(err) });
    }
    return new Date(now).toISOString();
  },
  observe: async (work) => observeCrawl(work.input.crawlerName, work.input.stepName, await crawlOf(work.input.crawlerName, work.runId)),
  findStarted: async (work) => {
    if (work.startSentAt === undefined) {
      return undefined;
    }
    const window = startWindow(work.startSentAt);
    return ownCrawl(await listCrawls(work.input.crawlerName, [startedSince(window.from)]), window)?.id;
  },
  stop: async (work) => {
    // StopCrawler stops whatever crawl runs now: only the step's own may be stopped.
    const crawl = await crawlOf(work.input.crawlerName, work.runId);
    if (crawl === undefined) {
      // Not listed yet: it may be going on. The record stays, and a later cycle stops it.
      throw new Error(`the crawl of ${work.input.crawlerName} started at ${work.runId} is not listed yet, so it cannot be told apart to stop`);
    }
    if (crawl.state !== 'RUNNING') {
      return;
    }
    try {
      await glue.send(new StopCrawlerCommand({ Name: work.input.crawlerName }));
    } catch (err) {
      // Already over: nothing to stop.
      if (!(err instanceof Error && err.name === 'CrawlerNotRunningException')) {
        throw err;
      }
    }
  },
};

/** The step's crawl, by its id, or by the time the step started it; undefined while Glue does not list it. */
async function crawlOf(crawlerName: string, runId: string): Promise<CrawlView | undefined> {
  const ref = crawlRefOf(runId);
  if ('crawlId' in ref) {
    return (await listCrawls(crawlerName, [{ FieldName: 'CRAWL_ID', FilterOperator: 'EQ', FieldValue: ref.crawlId }]))
      .find((c) => c.id === ref.crawlId);
  }
  const window = startWindow(ref.startedAt);
  return ownCrawl(await listCrawls(crawlerName, [startedSince(window.from)]), window);
}

export function startedSince(epochMs: number): CrawlsFilter {
  return { FieldName: 'START_TIME', FilterOperator: 'GE', FieldValue: String(Math.floor(epochMs)) };
}

/** ListCrawls pages size: Glue's maximum. */
const CRAWLS_PAGE_SIZE = 100;

/** Every crawl of the crawler that passes the filters, on every page, in no particular order. */
export async function listCrawls(crawlerName: string, filters: CrawlsFilter[]): Promise<CrawlView[]> {
  const crawls: CrawlView[] = [];
  // Hand-written: @aws-sdk/client-glue offers no paginator for ListCrawls (no paginateListCrawls).
  let nextToken: string | undefined;
  do {
    const res = await glue.send(new ListCrawlsCommand({
      CrawlerName: crawlerName, Filters: filters, MaxResults: CRAWLS_PAGE_SIZE, NextToken: nextToken,
    }));
    crawls.push(...(res.Crawls ?? []).map(viewOf));
    nextToken = res.NextToken;
  } while (nextToken);
  return crawls;
}

function viewOf(crawl: CrawlerHistory): CrawlView {
  return {
    id: crawl.CrawlId,
    state: crawl.State,
    startTime: crawl.StartTime?.getTime(),
    endTime: crawl.EndTime?.getTime(),
    errorMessage: crawl.ErrorMessage,
    logGroup: crawl.LogGroup,
    logStream: crawl.LogStream,
  };
}
