import { createHash } from 'crypto';
import { EventEmitter } from 'events';
import { EndTimers, sameTime } from './end-timers';
import { ScriptBook } from './script-book';
import { ServiceError } from './service-error';
import { SimClock } from '../sim-clock';

export type CrawlStatus = 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
export type CrawlerState = 'READY' | 'RUNNING' | 'STOPPING';

/** How crawls of one crawler behave. */
export interface CrawlerScript {
  /** Simulated seconds a crawl runs. @default 60 */
  readonly seconds?: number;
  /** How a crawl ends, unless StopCrawler cancels it first. @default SUCCEEDED */
  readonly finalStatus?: CrawlStatus;
  /** The LastCrawl's ErrorMessage on a crawl that does not succeed. */
  readonly errorMessage?: string;
  /**
   * Errors StartCrawler throws, one per call, before it starts crawls normally again, e.g.
   * `OperationTimeoutException` or `ThrottlingException`.
   */
  readonly startErrors?: string[];
  /** How the crawler's next crawl behaves, once a crawl has started with this script. */
  readonly next?: CrawlerScript;
  /**
   * The crawler is crawling when the simulation begins, started by someone else, and goes on for
   * this many simulated seconds (then succeeds): the pipeline's StartCrawler meets
   * CrawlerRunningException until then.
   */
  readonly runningAtStart?: number;
  /** No such crawler: every call about it is EntityNotFoundException. */
  readonly missing?: boolean;
}

/** Any crawler not scripted exists and crawls for 60 s, successfully. */
export const DEFAULT_CRAWLER_SCRIPT: CrawlerScript = { seconds: 60, finalStatus: 'SUCCEEDED' };

/** How long a stopped crawl sits in STOPPING before it ends CANCELLED. */
const STOPPING_SECONDS = 5;

/** A crawl, as the fake keeps it. */
export interface SimCrawl {
  readonly crawlerName: string;
  readonly startedAt: number;
  /** Started by someone else (`runningAtStart`), not through StartCrawler. */
  readonly external: boolean;
  readonly script: CrawlerScript;
  /** Glue's crawl id (a UUID), which is also the message prefix of the crawl's log lines. */
  readonly messagePrefix: string;
  stoppedAt?: number;
}

/**
 * The Glue crawler calls (StartCrawler, GetCrawler, ListCrawls, StopCrawler) with scriptable
 * crawls, in simulated time. A crawler runs one crawl at a time, as Glue's does. Emits `crawler-ended`
 * (crawler name, status, simulated time, error message) on `events` when a crawl ends, as Glue
 * emits "Glue Crawler State Change" to EventBridge.
 */
export class GlueCrawlers {
  /** Every crawl, oldest first, including those started by someone else. */
  public readonly crawls: SimCrawl[] = [];
  private readonly book: ScriptBook<CrawlerScript>;
  private nextId = 1;

  constructor(
    private readonly clock: SimClock,
    scripts: Record<string, CrawlerScript>,
    private readonly events: EventEmitter,
    private readonly timers: EndTimers,
  ) {
    this.book = new ScriptBook(scripts, DEFAULT_CRAWLER_SCRIPT, 'crawler');
    for (const [name, script] of Object.entries(scripts)) {
      if (script.runningAtStart !== undefined && !script.missing) {
        this.begin(name, { seconds: script.runningAtStart, finalStatus: 'SUCCEEDED' }, true);
      }
    }
  }

  /** The script the crawler's next crawl follows. */
  public scriptOf(crawlerName: string): CrawlerScript {
    return this.book.scriptOf(crawlerName);
  }

  public startCrawler(name: string | undefined): Record<string, never> {
    const crawler = this.existing(name);
    this.book.throwStartError(crawler);
    if (this.active(crawler)) {
      throw new ServiceError('CrawlerRunningException', `Crawler with name ${crawler} has already started`);
    }
    this.begin(crawler, this.book.nextRun(crawler), false);
    return {};
  }

  public getCrawler(name: string | undefined) {
    const crawler = this.existing(name);
    const active = this.active(crawler);
    const last = this.crawls.filter((c) => c.crawlerName === crawler && this.hasEnded(c)).pop();
    const now = this.clock.now();
    return {
      Crawler: {
        Name: crawler,
        State: (active ? (active.stoppedAt === undefined ? 'RUNNING' : 'STOPPING') : 'READY') as CrawlerState,
        CrawlElapsedTime: active ? Math.round((now - active.startedAt) * 1000) : undefined,
        LastCrawl: last && {
          Status: this.statusOf(last),
          ErrorMessage: this.errorMessageOf(last),
          // awsJson encodes timestamps as epoch seconds; simulated seconds from a fixed origin.
          StartTime: this.clock.epochSeconds(last.startedAt),
          LogGroup: '/aws-glue/crawlers',
          LogStream: crawler,
          MessagePrefix: last.messagePrefix,
        },
      },
    };
  }

  /**
   * ListCrawls: the crawler's crawls that pass every filter, `maxResults` a page (Glue's default
   * 20, at most 100). Glue documents no order: they come newest first, and a runner must not
   * rely on it.
   */
  public listCrawls(name: string | undefined, filters: CrawlsFilter[] = [], maxResults = 20, nextToken?: string) {
    const crawler = this.existing(name);
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 100) {
      throw new ServiceError('InvalidInputException', `MaxResults must be between 1 and 100, got ${maxResults}`);
    }
    const all = this.crawls.filter((c) => c.crawlerName === crawler).map((c) => this.history(c))
      .filter((h) => filters.every((f) => passes(h, f))).reverse();
    const from = nextToken ? Number(nextToken) : 0;
    const page = all.slice(from, from + maxResults);
    return { Crawls: page, NextToken: from + page.length < all.length ? String(from + page.length) : undefined };
  }

  /** One crawl as ListCrawls shows it (a crawl being stopped is still RUNNING there). */
  private history(crawl: SimCrawl) {
    const ended = this.hasEnded(crawl);
    const state: CrawlHistoryState = !ended ? 'RUNNING' : HISTORY_STATES[this.statusOf(crawl)];
    return {
      CrawlId: crawl.messagePrefix,
      State: state,
      // awsJson encodes timestamps as epoch seconds; simulated seconds from a fixed origin.
      StartTime: this.clock.epochSeconds(crawl.startedAt),
      EndTime: ended ? this.clock.epochSeconds(this.endOf(crawl)) : undefined,
      ErrorMessage: ended ? this.errorMessageOf(crawl) : undefined,
      LogGroup: '/aws-glue/crawlers',
      LogStream: crawl.crawlerName,
      MessagePrefix: crawl.messagePrefix,
    };
  }

  public stopCrawler(name: string | undefined): Record<string, never> {
    const crawler = this.existing(name);
    const active = this.active(crawler);
    if (!active || active.stoppedAt !== undefined) {
      throw new ServiceError('CrawlerNotRunningException', `Crawler with name ${crawler} is not running`);
    }
    active.stoppedAt = this.clock.now();
    this.announceEnd(active);
    return {};
  }

  /** The simulated time the crawl ends (ended): its natural end, or the end of STOPPING. */
  public endOf(crawl: SimCrawl): number {
    return crawl.stoppedAt !== undefined
      ? crawl.stoppedAt + STOPPING_SECONDS
      : crawl.startedAt + (crawl.script.seconds ?? DEFAULT_CRAWLER_SCRIPT.seconds!);
  }

  /** How the crawl ends (ended): CANCELLED when stopped, else as scripted. */
  public statusOf(crawl: SimCrawl): CrawlStatus {
    return crawl.stoppedAt !== undefined ? 'CANCELLED' : crawl.script.finalStatus ?? 'SUCCEEDED';
  }

  private errorMessageOf(crawl: SimCrawl): string | undefined {
    return crawl.stoppedAt === undefined && this.statusOf(crawl) !== 'SUCCEEDED' ? crawl.script.errorMessage : undefined;
  }

  private hasEnded(crawl: SimCrawl): boolean {
    return this.clock.now() >= this.endOf(crawl);
  }

  /** The crawler's crawl still running or stopping, if any. */
  private active(crawler: string): SimCrawl | undefined {
    return this.crawls.find((c) => c.crawlerName === crawler && !this.hasEnded(c));
  }

  private existing(name: string | undefined): string {
    if (!name) {
      throw new ServiceError('InvalidInputException', 'Name is required');
    }
    if (this.book.given(name)?.missing) {
      throw new ServiceError('EntityNotFoundException', `Crawler entry with name ${name} does not exist`);
    }
    return name;
  }

  private begin(crawlerName: string, script: CrawlerScript, external: boolean) {
    const hex = createHash('sha256').update(`crawl-${this.nextId++}`).digest('hex');
    const crawl: SimCrawl = {
      crawlerName,
      startedAt: this.clock.now(),
      external,
      script,
      messagePrefix: [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20, 32)].join('-'),
    };
    this.crawls.push(crawl);
    this.announceEnd(crawl);
  }

  /** Emits `crawler-ended` once the crawl has ended; a crawl stopped early announces only its CANCELLED end. */
  private announceEnd(crawl: SimCrawl) {
    const endAt = this.endOf(crawl);
    this.timers.at(endAt, () => {
      if (!this.hasEnded(crawl)) {
        return false;
      }
      if (sameTime(this.endOf(crawl), endAt)) {
        this.events.emit('crawler-ended', crawl.crawlerName, this.statusOf(crawl), endAt, this.errorMessageOf(crawl));
      }
      return true;
    });
  }
}

/** `CrawlerHistory.State`: a finished crawl's status as ListCrawls names it. */
export type CrawlHistoryState = 'RUNNING' | 'COMPLETED' | 'FAILED' | 'STOPPED';

const HISTORY_STATES: Readonly<Record<CrawlStatus, CrawlHistoryState>> = {
  SUCCEEDED: 'COMPLETED',
  FAILED: 'FAILED',
  CANCELLED: 'STOPPED',
};

/** One of ListCrawls' `Filters`. START_TIME and END_TIME compare epoch milliseconds. */
export interface CrawlsFilter {
  readonly FieldName?: string;
  readonly FilterOperator?: string;
  readonly FieldValue?: string;
}

function passes(crawl: { CrawlId: string; State: string; StartTime: number; EndTime?: number }, filter: CrawlsFilter): boolean {
  const field = filter.FieldName;
  let actual: string | number | undefined;
  let wanted: string | number | undefined = filter.FieldValue;
  if (field === 'CRAWL_ID') {
    actual = crawl.CrawlId;
  } else if (field === 'STATE') {
    actual = crawl.State;
  } else if (field === 'START_TIME' || field === 'END_TIME') {
    const seconds = field === 'START_TIME' ? crawl.StartTime : crawl.EndTime;
    actual = seconds === undefined ? undefined : seconds * 1000;
    wanted = Number(filter.FieldValue);
    if (!Number.isFinite(wanted)) {
      throw new ServiceError('InvalidInputException', `${field} filter value must be epoch milliseconds, got ${filter.FieldValue}`);
    }
  } else {
    throw new ServiceError('InvalidInputException', `Unsupported filter field ${field}`);
  }
  if (actual === undefined) {
    return false;
  }
  switch (filter.FilterOperator) {
    case 'EQ': return actual === wanted;
    case 'NE': return actual !== wanted;
    case 'GT': return actual > wanted!;
    case 'GE': return actual >= wanted!;
    case 'LT': return actual < wanted!;
    case 'LE': return actual <= wanted!;
    default: throw new ServiceError('InvalidInputException', `Unsupported filter operator ${filter.FilterOperator}`);
  }
}

/**
 * The detail of the "Glue Crawler State Change" event Glue sends when a crawl ends. It knows only
 * Succeeded and Failed: a cancelled crawl is announced as Failed.
 */
export function crawlerStateChange(crawlerName: string, status: CrawlStatus, errorMessage?: string): Record<string, unknown> {
  const state = status === 'SUCCEEDED' ? 'Succeeded' : 'Failed';
  return { crawlerName, state, message: `Crawler ${state}`, ...(errorMessage ? { errorMessage } : {}) };
}
