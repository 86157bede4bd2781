import { StepErrorName, StepErrorNames } from '../../../shared/contract';
import { Observation } from '../observation';

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
    return { kind: 'in-flight' };
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
    },
  };
}

/**
 * Glue's and the runner's clocks may differ by this much: a crawl that started this long
 * before the runner's StartCrawler may still be the step's.
 */
export const CRAWL_CLOCK_SKEW_MS = 60_000;

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
  /** How much earlier a crawl's `StartTime` (Glue's clock) may still count. */
  readonly skewMs: number;
}

/**
 * Where to look for a crawl the task may have started, from what its record says. Pure.
 *
 * - A start's answer was lost (`unknownStartAt`, kept through later refusals: the crawl that
 *   refuses a later try may be that start's own): from the time it was sent.
 * - The last start was refused until `retryAt`: no start was tried between the refusal and
 *   then, so the crawl that refused it (going on at the refusal) falls before the window.
 * - Otherwise from the record's creation.
 */
export function crawlWindow(createdAt: number, retryAt?: number, unknownStartAt?: number): CrawlWindow {
  if (unknownStartAt !== undefined) {
    // The refusal margin, not the full skew: starts are tried at least 30 s apart, so a crawl
    // that refused an earlier try, and so began before it, never counts.
    return { from: unknownStartAt, skewMs: REFUSAL_MARGIN_MS };
  }
  return retryAt === undefined
    ? { from: createdAt, skewMs: CRAWL_CLOCK_SKEW_MS }
    : { from: retryAt, skewMs: REFUSAL_MARGIN_MS };
}

/**
 * The task's crawl among the crawler's crawls, if one is there: the first to start in the
 * window, leaving out crawls that had already ended when the window opened. A crawler runs one
 * crawl at a time, so a start that took effect in the window is the first crawl to begin in it,
 * unless another crawl began and ended between the window's opening (less the skew) and the
 * start: the residue of a start call that carries no id. Pure.
 */
export function ownCrawl(crawls: readonly CrawlView[], window: CrawlWindow): CrawlView | undefined {
  return crawls
    .filter((c) => c.startTime !== undefined && c.startTime >= window.from - window.skewMs && (c.endTime === undefined || c.endTime >= window.from))
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
