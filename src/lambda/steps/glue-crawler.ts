import { GetCrawlerCommand, StartCrawlerCommand, StopCrawlerCommand } from '@aws-sdk/client-glue';
import { CrawlerView, crawlStartedSince, crawlWindow, observeCrawler } from './crawler-states';
import type { StepDriver } from './step-driver';
import { GlueCrawlerTaskInput } from '../../shared/contract';
import { glue } from '../clients';

/**
 * A crawler step: one crawl. Glue gives a crawl no id, so the step tracks the time it started
 * the crawl and takes the crawler's last crawl as its own once that crawl started no earlier.
 * A crawler already running refuses StartCrawler (CrawlerRunningException); the runner treats
 * that as transient, so the step waits for the other crawl to end and then runs its own.
 */
export const glueCrawlerDriver: StepDriver<GlueCrawlerTaskInput> = {
  startCall: 'StartCrawler',
  doneWhenStarted: false,
  start: async (input, _tokenId, now) => {
    await glue.send(new StartCrawlerCommand({ Name: input.crawlerName }));
    return new Date(now).toISOString();
  },
  observe: async (work) =>
    observeCrawler(work.input.crawlerName, work.input.stepName, await getCrawler(work.input.crawlerName), Date.parse(work.runId)),
  // Tracked from the window's start: the crawl found began no earlier (up to the margins).
  findStarted: async (work, now) => {
    const window = crawlWindow(work.createdAt, work.retryAt);
    const crawler = await getCrawler(work.input.crawlerName, now);
    return crawlStartedSince(crawler, window) ? new Date(window.from).toISOString() : undefined;
  },
  stop: async (work) => {
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

/** The crawler as of `readAt` (epoch ms, runner's clock; now when not given). */
async function getCrawler(name: string, readAt = Date.now()): Promise<CrawlerView> {
  const res = await glue.send(new GetCrawlerCommand({ Name: name }));
  const crawler = res.Crawler;
  const last = crawler?.LastCrawl;
  const elapsed = crawler?.CrawlElapsedTime;
  return {
    state: crawler?.State,
    runningSince: crawler?.State !== 'READY' && elapsed !== undefined ? readAt - elapsed : undefined,
    lastCrawl: last && {
      status: last.Status,
      startTime: last.StartTime?.getTime(),
      errorMessage: last.ErrorMessage,
      logGroup: last.LogGroup,
      logStream: last.LogStream,
    },
  };
}
