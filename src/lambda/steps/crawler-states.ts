import { Observation } from './observation';
import { StepErrorName, StepErrorNames } from '../../shared/contract';

/** A crawler as GetCrawler shows it: the fields the decision needs. */
export interface CrawlerView {
  /** READY | RUNNING | STOPPING */
  readonly state?: string;
  /** The last crawl that finished. */
  readonly lastCrawl?: {
    readonly status?: string;
    readonly startTime?: number;
    readonly errorMessage?: string;
    readonly logGroup?: string;
    readonly logStream?: string;
  };
}

/** How a finished crawl's status ends the step. Every value of Glue's `LastCrawl.Status`. */
export const CRAWL_STATUS_ENDINGS: Readonly<Record<'SUCCEEDED' | 'FAILED' | 'CANCELLED', 'succeed' | StepErrorName>> = {
  SUCCEEDED: 'succeed',
  FAILED: StepErrorNames.CRAWLER_FAILED,
  CANCELLED: StepErrorNames.CRAWLER_CANCELLED,
};

/**
 * Glue's and the runner's clocks may differ by this much: a last crawl that started this long
 * before the runner's StartCrawler still counts as the step's crawl.
 */
export const CRAWL_CLOCK_SKEW_MS = 60_000;

/**
 * What a crawler's state means for a step that started a crawl at `startedAt` (epoch ms). Pure.
 *
 * - RUNNING or STOPPING: the crawl is going on.
 * - READY with a last crawl that started no earlier than the step's start: the step's crawl
 *   ended; it succeeds only if that crawl SUCCEEDED.
 * - READY with an older last crawl (or none): Glue has not shown the step's crawl yet; wait.
 *   The state's timeout bounds that wait.
 * - A state or status Glue adds later: wait, bounded the same way, instead of guessing.
 */
export function observeCrawler(crawlerName: string, stepName: string, crawler: CrawlerView, startedAt: number): Observation {
  if (crawler.state !== 'READY') {
    return { kind: 'in-flight' };
  }
  const last = crawler.lastCrawl;
  if (!last || last.startTime === undefined || last.startTime < startedAt - CRAWL_CLOCK_SKEW_MS) {
    return { kind: 'in-flight' };
  }
  const ending = CRAWL_STATUS_ENDINGS[last.status as keyof typeof CRAWL_STATUS_ENDINGS];
  if (ending === undefined) {
    return { kind: 'in-flight' };
  }
  if (ending !== 'succeed') {
    return { kind: 'fail', error: ending, finalState: last.status!, message: last.errorMessage ?? '' };
  }
  return {
    kind: 'succeed',
    output: {
      stepName,
      crawlerName,
      state: 'SUCCEEDED',
      startedOn: new Date(last.startTime).toISOString(),
      logGroup: last.logGroup,
      logStream: last.logStream,
    },
  };
}

/** A crawl is going on now, or ended after `since`: what a runner that died after StartCrawler started. */
export function crawlStartedSince(crawler: CrawlerView, since: number): boolean {
  if (crawler.state === 'RUNNING' || crawler.state === 'STOPPING') {
    return true;
  }
  const start = crawler.lastCrawl?.startTime;
  return start !== undefined && start >= since - CRAWL_CLOCK_SKEW_MS;
}
