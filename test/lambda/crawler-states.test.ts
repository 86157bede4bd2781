import {
  CRAWL_CLOCK_SKEW_MS, CRAWL_STATE_ENDINGS, crawlRefOf, CrawlView, crawlWindow, observeCrawl, ownCrawl, REFUSAL_MARGIN_MS,
} from '../../src/lambda/kinds/glue-crawler/crawler-states';
import { Observation } from '../../src/lambda/kinds/observation';
import { StepErrorNames } from '../../src/shared/contract';

/** When the runner started the step's crawl (epoch ms). */
const STARTED = Date.parse('2025-03-01T12:00:00.000Z');
const SEC = 1_000;
const MIN = 60_000;
const CRAWL_ID = '0f7e9d6c-3b1a-4c2e-9f00-5a1b2c3d4e5f';

/** A crawl as ListCrawls shows it, begun 10 s after the step's start and ended a minute later. */
function crawl(state: string | undefined, extra: Partial<CrawlView> = {}): CrawlView {
  return {
    id: CRAWL_ID,
    state,
    startTime: STARTED + 10 * SEC,
    endTime: state === 'RUNNING' ? undefined : STARTED + 70 * SEC,
    errorMessage: 'crawl broke',
    logGroup: '/aws-glue/crawlers',
    logStream: 'raw',
    ...extra,
  };
}

const IN_FLIGHT: Observation = { kind: 'in-flight' };
const SUCCEEDED: Observation = {
  kind: 'succeed',
  output: {
    stepName: 'crawl',
    crawlerName: 'raw',
    crawlId: CRAWL_ID,
    state: 'SUCCEEDED',
    startedOn: new Date(STARTED + 10 * SEC).toISOString(),
    completedOn: new Date(STARTED + 70 * SEC).toISOString(),
    logGroup: '/aws-glue/crawlers',
    logStream: 'raw',
  },
};
const failed = (error: string, finalState: string): Observation => ({ kind: 'fail', error, finalState, message: 'crawl broke' });

describe('observeCrawl', () => {
  it.each<[string, CrawlView | undefined, Observation]>([
    // every value of Glue's CrawlerHistoryState
    ['RUNNING', crawl('RUNNING'), IN_FLIGHT],
    ['COMPLETED', crawl('COMPLETED'), SUCCEEDED],
    ['FAILED', crawl('FAILED'), failed(StepErrorNames.CRAWLER_FAILED, 'FAILED')],
    ['STOPPED', crawl('STOPPED'), failed(StepErrorNames.CRAWLER_CANCELLED, 'STOPPED')],
    // what Glue may show besides: wait, bounded by the state's timeout, rather than guess
    ['in a state Glue adds later', crawl('PAUSED'), IN_FLIGHT],
    ['without a state', crawl(undefined), IN_FLIGHT],
    ['not listed yet', undefined, IN_FLIGHT],
  ])('GIVEN the step\'s crawl %s WHEN observed THEN the step is %j', (_label, view, expected) => {
    expect(observeCrawl('raw', 'crawl', view)).toEqual(expected);
  });

  it('GIVEN a FAILED crawl without an error message WHEN observed THEN the failure has an empty message', () => {
    expect(observeCrawl('raw', 'crawl', crawl('FAILED', { errorMessage: undefined })))
      .toEqual({ kind: 'fail', error: StepErrorNames.CRAWLER_FAILED, finalState: 'FAILED', message: '' });
  });

  it('GIVEN a STOPPED crawl without an error message WHEN observed THEN the failure has an empty message', () => {
    expect(observeCrawl('raw', 'crawl', crawl('STOPPED', { errorMessage: undefined })))
      .toEqual({ kind: 'fail', error: StepErrorNames.CRAWLER_CANCELLED, finalState: 'STOPPED', message: '' });
  });

  it('GIVEN a COMPLETED crawl without log locations, times or id WHEN observed THEN the output leaves them unset', () => {
    const observed = observeCrawl('raw', 'crawl', crawl('COMPLETED', {
      id: undefined, startTime: undefined, endTime: undefined, logGroup: undefined, logStream: undefined,
    }));
    expect(observed).toEqual({
      kind: 'succeed',
      output: {
        stepName: 'crawl',
        crawlerName: 'raw',
        crawlId: undefined,
        state: 'SUCCEEDED',
        startedOn: undefined,
        completedOn: undefined,
        logGroup: undefined,
        logStream: undefined,
      },
    });
  });

  it('GIVEN every state the ending table lists WHEN the step\'s crawl shows it THEN the step ends, none is left in flight', () => {
    for (const state of Object.keys(CRAWL_STATE_ENDINGS)) {
      expect(observeCrawl('raw', 'crawl', crawl(state)).kind).not.toBe('in-flight');
    }
  });
});

describe('crawlWindow', () => {
  it.each<[string, [number, number?, number?], { from: number; skewMs: number }]>([
    ['no refused start', [STARTED], { from: STARTED, skewMs: CRAWL_CLOCK_SKEW_MS }],
    ['a start refused until 30 s later', [STARTED, STARTED + 30 * SEC], { from: STARTED + 30 * SEC, skewMs: REFUSAL_MARGIN_MS }],
    ['a start whose answer was lost, sent 5 s after the record (and retried 30 s later)',
      [STARTED, STARTED + 35 * SEC, STARTED + 5 * SEC], { from: STARTED + 5 * SEC, skewMs: REFUSAL_MARGIN_MS }],
  ])('GIVEN a record with %s WHEN its window is planned THEN it is %j', (_label, args, expected) => {
    expect(crawlWindow(...args)).toEqual(expected);
  });

  it('GIVEN the refusal margin WHEN compared with the shortest wait between start tries (30 s) THEN it is half of it, so the refusing crawl never counts', () => {
    expect(REFUSAL_MARGIN_MS * 2).toBe(30 * SEC);
  });
});

describe('ownCrawl', () => {
  /** A crawl begun `startOffset` ms after the window opens, ended `endOffset` ms after it (undefined: going on). */
  const at = (id: string, startOffset: number | undefined, endOffset?: number): CrawlView => ({
    id,
    state: endOffset === undefined ? 'RUNNING' : 'COMPLETED',
    startTime: startOffset === undefined ? undefined : STARTED + startOffset,
    endTime: endOffset === undefined ? undefined : STARTED + endOffset,
  });
  const window = crawlWindow(STARTED);

  it.each<[string, CrawlView[], string | undefined]>([
    ['no crawl at all', [], undefined],
    ['one crawl begun in the window', [at('a', 10 * SEC)], 'a'],
    ['two crawls begun in the window', [at('a', 10 * SEC, 20 * SEC), at('b', 30 * SEC)], 'a'],
    ['two crawls begun in the window, the later listed first', [at('b', 30 * SEC), at('a', 10 * SEC, 20 * SEC)], 'a'],
    ['three crawls in no order', [at('c', 5 * MIN), at('a', SEC, 2 * SEC), at('b', 3 * SEC, 4 * SEC)], 'a'],
    // a crawl that began in the skew but ended before the window opened is not the step's
    ['a crawl that ended before the window opened, then one begun in it', [at('old', -30 * SEC, -SEC), at('a', 10 * SEC)], 'a'],
    ['only a crawl that ended 1 ms before the window opened', [at('old', -30 * SEC, -1)], undefined],
    ['a crawl begun in the skew that ended exactly as the window opened', [at('edge', -30 * SEC, 0), at('a', 10 * SEC)], 'edge'],
    ['a crawl begun in the skew still going on', [at('going', -30 * SEC), at('a', 10 * SEC)], 'going'],
    // the clock skew edge: Glue's clock may run behind the runner's by up to a minute
    ['a crawl begun exactly the skew before the window', [at('edge', -CRAWL_CLOCK_SKEW_MS)], 'edge'],
    ['a crawl begun 1 ms more than the skew before the window', [at('early', -CRAWL_CLOCK_SKEW_MS - 1)], undefined],
    ['a crawl begun an hour before the window, still going on', [at('early', -60 * MIN)], undefined],
    // what cannot be placed in time is never taken
    ['a crawl without a start time', [at('unplaced', undefined)], undefined],
    ['a crawl without a start time listed before one begun in the window', [at('unplaced', undefined), at('a', 10 * SEC)], 'a'],
  ])('GIVEN %s WHEN the step\'s own crawl is looked for THEN it is %s', (_label, crawls, expected) => {
    expect(ownCrawl(crawls, window)?.id).toBe(expected);
  });

  it.each<[string, CrawlView, string | undefined]>([
    ['the crawl that refused the start, going on', at('refusing', -10 * MIN), undefined],
    ['the crawl that refused the start, ended since', at('refusing', -10 * MIN, 20 * SEC), undefined],
    ['a crawl begun the margin before the retry', at('a', 30 * SEC - REFUSAL_MARGIN_MS), 'a'],
    ['a crawl begun 1 ms more than the margin before the retry', at('a', 30 * SEC - REFUSAL_MARGIN_MS - 1), undefined],
    ['a crawl begun at the retry', at('a', 30 * SEC), 'a'],
  ])('GIVEN a start refused and tried again 30 s later, and %s WHEN the step\'s own crawl is looked for THEN it is %s', (_label, c, expected) => {
    expect(ownCrawl([c], crawlWindow(STARTED - MIN, STARTED + 30 * SEC))?.id).toBe(expected);
  });

  // A lost retry after a refusal: the crawl that refused the earlier try began before it.
  it('GIVEN a start refused at T by a crawl begun at T - 10 s, and the retry at T + 30 s lost WHEN the step\'s own crawl is looked for THEN the refusing crawl is not taken', () => {
    const afterLostRetry = crawlWindow(STARTED - MIN, STARTED + 30 * SEC, STARTED + 30 * SEC);
    expect(ownCrawl([at('refusing', -10 * SEC)], afterLostRetry)).toBeUndefined();
  });

  it('GIVEN unordered input WHEN the step\'s own crawl is looked for THEN the input is left as it was', () => {
    const crawls = [at('b', 30 * SEC), at('a', 10 * SEC, 20 * SEC)];
    ownCrawl(crawls, window);
    expect(crawls.map((c) => c.id)).toEqual(['b', 'a']);
  });
});

describe('crawlRefOf', () => {
  it.each<[string, string, unknown]>([
    ['a crawl id (a UUID)', CRAWL_ID, { crawlId: CRAWL_ID }],
    ['an ISO-8601 start time', '2025-03-01T12:00:00.000Z', { startedAt: STARTED }],
    ['an ISO-8601 start time with an offset', '2025-03-01T13:00:00+01:00', { startedAt: STARTED }],
    ['an id that is not a UUID', 'crawl-1', { crawlId: 'crawl-1' }],
  ])('GIVEN a run id that is %s WHEN read THEN the step tracks %j', (_label, runId, expected) => {
    expect(crawlRefOf(runId)).toEqual(expected);
  });
});
