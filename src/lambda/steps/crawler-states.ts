import { Observation } from './observation';
import { StepErrorName, StepErrorNames } from '../../shared/contract';

/** A crawler as GetCrawler shows it: the fields the decision needs. */
export interface CrawlerView {
  /** READY | RUNNING | STOPPING */
  readonly state?: string;
  /**
   * While a crawl goes on: when it began, epoch ms on the runner's clock (the time of the read
   * less Glue's `CrawlElapsedTime`, so no skew between the clocks distorts it).
   */
  readonly runningSince?: number;
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

/** How late a going crawl's begin, read from its elapsed time, may look: the read's latency. */
export const ELAPSED_MARGIN_MS = 5_000;

/**
 * After a refused start, a crawl counts as the task's only if it began at most this long before
 * the time the start could be tried again: half the shortest wait between tries (30 s), so the
 * crawl that refused the start, which began before the refusal, never does.
 */
export const REFUSAL_MARGIN_MS = 15_000;

/** When the task's own crawl can have begun at the earliest, and how far Glue's clock may be off. */
export interface CrawlWindow {
  /** Epoch ms, runner's clock. */
  readonly from: number;
  /** How much earlier a finished crawl's `StartTime` (Glue's clock) may still count. */
  readonly skewMs: number;
}

/**
 * The window of a task created at `createdAt` whose start was last refused, if it was, until
 * `retryAt`: no start of the task was tried between the refusal and `retryAt`, so the crawl
 * that refused it (going on at the refusal) falls before the window.
 */
export function crawlWindow(createdAt: number, retryAt?: number): CrawlWindow {
  return retryAt === undefined
    ? { from: createdAt, skewMs: CRAWL_CLOCK_SKEW_MS }
    : { from: retryAt, skewMs: REFUSAL_MARGIN_MS };
}

/**
 * Whether the crawler shows a crawl the task started (what a runner that died between
 * StartCrawler and its write left behind): a crawl going on that began in the window, or a
 * finished last crawl that did. Pure.
 *
 * A crawl going on without an elapsed time is taken as the task's: a crawler runs one crawl at
 * a time, so taking it never starts a second one, whereas passing it over could lose the task's
 * own crawl once a refused retry moves the window past it.
 */
export function crawlStartedSince(crawler: CrawlerView, window: CrawlWindow): boolean {
  if (crawler.state === 'RUNNING' || crawler.state === 'STOPPING') {
    return crawler.runningSince === undefined || crawler.runningSince >= window.from - ELAPSED_MARGIN_MS;
  }
  const start = crawler.lastCrawl?.startTime;
  return start !== undefined && start >= window.from - window.skewMs;
}
