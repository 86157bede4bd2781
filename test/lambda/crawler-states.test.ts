import {
  CRAWL_CLOCK_SKEW_MS, CRAWL_STATUS_ENDINGS, CrawlerView, crawlStartedSince, crawlWindow, ELAPSED_MARGIN_MS, observeCrawler, REFUSAL_MARGIN_MS,
} from '../../src/lambda/steps/crawler-states';
import { Observation } from '../../src/lambda/steps/observation';
import { StepErrorNames } from '../../src/shared/contract';

/** When the runner started the step's crawl (epoch ms). */
const STARTED = Date.parse('2025-03-01T12:00:00.000Z');
const SEC = 1_000;
const MIN = 60_000;

/** GetCrawler as the step sees it: the crawler's state and its last finished crawl. */
function crawler(state: string | undefined, status?: string, startOffsetMs?: number, extra: Partial<NonNullable<CrawlerView['lastCrawl']>> = {}): CrawlerView {
  return {
    state,
    lastCrawl: status === undefined && startOffsetMs === undefined ? undefined : {
      status,
      startTime: startOffsetMs === undefined ? undefined : STARTED + startOffsetMs,
      errorMessage: 'crawl broke',
      logGroup: '/aws-glue/crawlers',
      logStream: 'raw',
      ...extra,
    },
  };
}

const IN_FLIGHT: Observation = { kind: 'in-flight' };
const succeededAt = (offset: number): Observation => ({
  kind: 'succeed',
  output: {
    stepName: 'crawl',
    crawlerName: 'raw',
    state: 'SUCCEEDED',
    startedOn: new Date(STARTED + offset).toISOString(),
    logGroup: '/aws-glue/crawlers',
    logStream: 'raw',
  },
});
const failed = (error: string, finalState: string): Observation => ({ kind: 'fail', error, finalState, message: 'crawl broke' });

describe('observeCrawler', () => {
  it.each<[string, CrawlerView, Observation]>([
    // the crawler is busy: whatever its last crawl, the step's crawl is going on
    ['RUNNING, no last crawl', crawler('RUNNING'), IN_FLIGHT],
    ['RUNNING, last crawl SUCCEEDED after the start', crawler('RUNNING', 'SUCCEEDED', 10 * SEC), IN_FLIGHT],
    ['RUNNING, last crawl FAILED before the start', crawler('RUNNING', 'FAILED', -MIN * 60), IN_FLIGHT],
    ['STOPPING, last crawl SUCCEEDED after the start', crawler('STOPPING', 'SUCCEEDED', 10 * SEC), IN_FLIGHT],
    ['STOPPING, last crawl CANCELLED after the start', crawler('STOPPING', 'CANCELLED', 10 * SEC), IN_FLIGHT],
    ['a state Glue adds later', crawler('PAUSED', 'SUCCEEDED', 10 * SEC), IN_FLIGHT],
    ['no state at all', crawler(undefined, 'SUCCEEDED', 10 * SEC), IN_FLIGHT],
    // READY: the step's crawl ended, if the last crawl is the step's own
    ['READY, last crawl SUCCEEDED after the start', crawler('READY', 'SUCCEEDED', 10 * SEC), succeededAt(10 * SEC)],
    ['READY, last crawl SUCCEEDED exactly at the start', crawler('READY', 'SUCCEEDED', 0), succeededAt(0)],
    ['READY, last crawl FAILED after the start', crawler('READY', 'FAILED', 10 * SEC), failed(StepErrorNames.CRAWLER_FAILED, 'FAILED')],
    ['READY, last crawl CANCELLED after the start', crawler('READY', 'CANCELLED', 10 * SEC), failed(StepErrorNames.CRAWLER_CANCELLED, 'CANCELLED')],
    ['READY, last crawl with a status Glue adds later', crawler('READY', 'PARTIALLY_SUCCEEDED', 10 * SEC), IN_FLIGHT],
    ['READY, last crawl without a status', crawler('READY', undefined, 10 * SEC), IN_FLIGHT],
    // READY with an older crawl: Glue has not shown the step's crawl yet
    ['READY, last crawl SUCCEEDED an hour before the start', crawler('READY', 'SUCCEEDED', -60 * MIN), IN_FLIGHT],
    ['READY, last crawl FAILED an hour before the start', crawler('READY', 'FAILED', -60 * MIN), IN_FLIGHT],
    ['READY, no last crawl', crawler('READY'), IN_FLIGHT],
    ['READY, last crawl without a start time', crawler('READY', 'SUCCEEDED', undefined), IN_FLIGHT],
    // the clock skew edge: Glue's clock may run behind the runner's by up to a minute
    ['READY, last crawl SUCCEEDED 59 s before the start', crawler('READY', 'SUCCEEDED', -59 * SEC), succeededAt(-59 * SEC)],
    ['READY, last crawl SUCCEEDED exactly the skew before the start', crawler('READY', 'SUCCEEDED', -CRAWL_CLOCK_SKEW_MS), succeededAt(-CRAWL_CLOCK_SKEW_MS)],
    ['READY, last crawl SUCCEEDED 1 ms more than the skew before the start', crawler('READY', 'SUCCEEDED', -CRAWL_CLOCK_SKEW_MS - 1), IN_FLIGHT],
    ['READY, last crawl FAILED exactly the skew before the start', crawler('READY', 'FAILED', -CRAWL_CLOCK_SKEW_MS), failed(StepErrorNames.CRAWLER_FAILED, 'FAILED')],
    ['READY, last crawl FAILED 1 ms more than the skew before the start', crawler('READY', 'FAILED', -CRAWL_CLOCK_SKEW_MS - 1), IN_FLIGHT],
  ])('GIVEN a crawler %s WHEN observed THEN the step is %j', (_label, view, expected) => {
    expect(observeCrawler('raw', 'crawl', view, STARTED)).toEqual(expected);
  });

  it('GIVEN a FAILED crawl without an error message WHEN observed THEN the failure has an empty message', () => {
    expect(observeCrawler('raw', 'crawl', crawler('READY', 'FAILED', SEC, { errorMessage: undefined }), STARTED))
      .toEqual({ kind: 'fail', error: StepErrorNames.CRAWLER_FAILED, finalState: 'FAILED', message: '' });
  });

  it('GIVEN a SUCCEEDED crawl without log locations WHEN observed THEN the output leaves them unset', () => {
    const observed = observeCrawler('raw', 'crawl', crawler('READY', 'SUCCEEDED', SEC, { logGroup: undefined, logStream: undefined }), STARTED);
    expect(observed).toMatchObject({ kind: 'succeed', output: { logGroup: undefined, logStream: undefined, state: 'SUCCEEDED' } });
  });

  it('GIVEN every status the ending table lists WHEN a READY crawler shows it THEN the step ends, none is left in flight', () => {
    for (const status of Object.keys(CRAWL_STATUS_ENDINGS)) {
      expect(observeCrawler('raw', 'crawl', crawler('READY', status, SEC), STARTED).kind).not.toBe('in-flight');
    }
  });
});

describe('crawlStartedSince', () => {
  const going = (state: string, runningSince?: number): CrawlerView => ({ state, runningSince });
  it.each<[string, CrawlerView, boolean]>([
    ['RUNNING with no elapsed time', crawler('RUNNING'), true],
    ['STOPPING with no elapsed time', crawler('STOPPING'), true],
    ['RUNNING a crawl begun after the record', going('RUNNING', STARTED + SEC), true],
    ['RUNNING a crawl begun the read margin before the record', going('RUNNING', STARTED - ELAPSED_MARGIN_MS), true],
    ['RUNNING a crawl begun 1 ms more than the read margin before', going('RUNNING', STARTED - ELAPSED_MARGIN_MS - 1), false],
    ['STOPPING a crawl begun an hour before the record', going('STOPPING', STARTED - 60 * MIN), false],
    ['READY with a crawl that started after the record', crawler('READY', 'SUCCEEDED', 5 * MIN), true],
    ['READY with a crawl that failed after the record', crawler('READY', 'FAILED', 5 * MIN), true],
    ['READY with a crawl that started exactly the skew before', crawler('READY', 'SUCCEEDED', -CRAWL_CLOCK_SKEW_MS), true],
    ['READY with a crawl that started 1 ms more than the skew before', crawler('READY', 'SUCCEEDED', -CRAWL_CLOCK_SKEW_MS - 1), false],
    ['READY with an old crawl', crawler('READY', 'SUCCEEDED', -60 * MIN), false],
    ['READY with no crawl ever', crawler('READY'), false],
    ['READY with a crawl without a start time', crawler('READY', 'SUCCEEDED', undefined), false],
  ])('GIVEN a crawler %s WHEN asked whether a crawl started since the record THEN %s', (_label, view, expected) => {
    expect(crawlStartedSince(view, crawlWindow(STARTED))).toBe(expected);
  });

  it.each<[string, CrawlerView, boolean]>([
    ['READY, its last crawl begun at the refusal', crawler('READY', 'SUCCEEDED', 0), false],
    ['READY, its last crawl begun the margin before the retry', crawler('READY', 'SUCCEEDED', 30 * SEC - REFUSAL_MARGIN_MS), true],
    ['READY, its last crawl begun 1 ms more than the margin before the retry', crawler('READY', 'SUCCEEDED', 30 * SEC - REFUSAL_MARGIN_MS - 1), false],
    ['RUNNING the crawl that refused the start', going('RUNNING', STARTED - 10 * MIN), false],
    ['RUNNING a crawl begun at the retry', going('RUNNING', STARTED + 30 * SEC), true],
  ])('GIVEN a record created a minute before a refused start that is tried again 30 s later, and a crawler %s WHEN asked THEN %s', (_label, view, expected) => {
    expect(crawlStartedSince(view, crawlWindow(STARTED - MIN, STARTED + 30 * SEC))).toBe(expected);
  });
});
