import { GlueCrawlerResult, StepErrorName, StepErrorNames } from '../../../shared/contract';
import { Observation } from '../observation';
import { StartWindow } from '../start-window';

/** A crawl as Glue's ListCrawls shows it (`CrawlerHistory`): the fields the decisions need. */
export interface CrawlView {
  /** `CrawlId`, a UUID. */
  readonly id?: string;
  /** RUNNING | COMPLETED | FAILED | STOPPED */
  readonly state?: string;
  /** Epoch ms, Glue's clock. */
  readonly startTime?: number;
  /** Epoch ms, Glue's clock; absent while the crawl goes on. */
  readonly endTime?: number;
  readonly errorMessage?: string;
  readonly logGroup?: string;
  readonly logStream?: string;
}

/** How a finished crawl ends the step, for every final value of Glue's `CrawlerHistoryState`. */
export const CRAWL_STATE_ENDINGS: Readonly<Record<'COMPLETED' | 'FAILED' | 'STOPPED', 'succeed' | StepErrorName>> = {
  COMPLETED: 'succeed',
  FAILED: StepErrorNames.CRAWLER_FAILED,
  STOPPED: StepErrorNames.CRAWLER_CANCELLED,
};

/**
 * What the step's crawl means for the step. Pure.
 *
 * - Not shown yet (Glue has not listed it), RUNNING, or a state Glue adds later: wait. The
 *   state's timeout bounds that wait.
 * - COMPLETED: the step succeeds; FAILED or STOPPED: it fails.
 */
export function observeCrawl(crawlerName: string, stepName: string, crawl: CrawlView | undefined): Observation {
  const ending = crawl && CRAWL_STATE_ENDINGS[crawl.state as keyof typeof CRAWL_STATE_ENDINGS];
  if (!crawl || ending === undefined) {
    return crawl?.state === undefined ? { kind: 'in-flight' } : { kind: 'in-flight', state: crawl.state };
  }
  if (ending !== 'succeed') {
    return { kind: 'fail', error: ending, finalState: crawl.state!, message: crawl.errorMessage ?? '' };
  }
  return {
    kind: 'succeed',
    output: {
      stepName,
      crawlerName,
      crawlId: crawl.id,
      state: 'SUCCEEDED',
      startedOn: crawl.startTime === undefined ? undefined : new Date(crawl.startTime).toISOString(),
      completedOn: crawl.endTime === undefined ? undefined : new Date(crawl.endTime).toISOString(),
      logGroup: crawl.logGroup,
      logStream: crawl.logStream,
    } satisfies GlueCrawlerResult,
  };
}

/**
 * The task's crawl among the crawler's crawls, if one is there: the first to begin in the start's
 * window, leaving out crawls that had already ended when the start was sent. A crawler runs one
 * crawl at a time, so a start that took effect is the first crawl to begin in the window, unless
 * another crawl began and ended in the moments before the send: the residue of a start call that
 * carries no id. Pure.
 */
export function ownCrawl(crawls: readonly CrawlView[], window: StartWindow): CrawlView | undefined {
  return crawls
    .filter((c) => c.startTime !== undefined && c.startTime >= window.from && c.startTime <= window.to
      && (c.endTime === undefined || c.endTime >= window.sentAt))
    .sort((a, b) => a.startTime! - b.startTime!)[0];
}

/**
 * What a crawler step tracks: the crawl's id once known, or, when Glue did not list the crawl
 * right after StartCrawler, the time of that start (an ISO-8601 string) to find it by.
 */
export type CrawlRef = { readonly crawlId: string } | { readonly startedAt: number };

export function crawlRefOf(runId: string): CrawlRef {
  return /^\d{4}-\d{2}-\d{2}T/.test(runId) ? { startedAt: Date.parse(runId) } : { crawlId: runId };
}
