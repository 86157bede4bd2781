import { CRAWL_STATE_ENDINGS, crawlRefOf, CrawlView, observeCrawl, ownCrawl } from '../../src/lambda/kinds/glue-crawler/crawler-states';
import { Observation } from '../../src/lambda/kinds/observation';
import { AFTER_SEND_MS, BEFORE_SEND_MS, startWindow } from '../../src/lambda/kinds/start-window';
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
const inFlight = (state: string): Observation => ({ kind: 'in-flight', state });
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
    ['RUNNING', crawl('RUNNING'), inFlight('RUNNING')],
    ['COMPLETED', crawl('COMPLETED'), SUCCEEDED],
    ['FAILED', crawl('FAILED'), failed(StepErrorNames.CRAWLER_FAILED, 'FAILED')],
    ['STOPPED', crawl('STOPPED'), failed(StepErrorNames.CRAWLER_CANCELLED, 'STOPPED')],
    // what Glue may show besides: wait, bounded by the state's timeout, rather than guess
    ['in a state Glue adds later', crawl('PAUSED'), inFlight('PAUSED')],
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

describe('ownCrawl', () => {
  /** A crawl begun `startOffset` ms after the start was sent, ended `endOffset` ms after it (undefined: going on). */
  const at = (id: string, startOffset: number | undefined, endOffset?: number): CrawlView => ({
    id,
    state: endOffset === undefined ? 'RUNNING' : 'COMPLETED',
    startTime: startOffset === undefined ? undefined : STARTED + startOffset,
    endTime: endOffset === undefined ? undefined : STARTED + endOffset,
  });
  /** The window of a start sent at STARTED: from 15 s before to a minute after. */
  const window = startWindow(STARTED);

  it.each<[string, CrawlView[], string | undefined]>([
    ['no crawl at all', [], undefined],
    ['one crawl begun in the window', [at('a', 10 * SEC)], 'a'],
    ['two crawls begun in the window', [at('a', 10 * SEC, 20 * SEC), at('b', 30 * SEC)], 'a'],
    ['two crawls begun in the window, the later listed first', [at('b', 30 * SEC), at('a', 10 * SEC, 20 * SEC)], 'a'],
    ['three crawls in no order', [at('c', 50 * SEC), at('a', SEC, 2 * SEC), at('b', 3 * SEC, 4 * SEC)], 'a'],
    // the send: a crawl begun before it (Glue's clock behind) counts only if it had not ended by then
    ['a crawl begun before the send that ended before it, then one begun after', [at('old', -10 * SEC, -SEC), at('a', 10 * SEC)], 'a'],
    ['only a crawl begun before the send that ended 1 ms before it', [at('old', -10 * SEC, -1)], undefined],
    ['only a crawl begun in the window that ended 1 ms before the send', [at('old', -SEC, -1)], undefined],
    ['a crawl begun before the send that ended exactly at it', [at('edge', -10 * SEC, 0), at('a', 10 * SEC)], 'edge'],
    ['a crawl begun before the send still going on', [at('going', -10 * SEC), at('a', 10 * SEC)], 'going'],
    // the window's start: Glue's clock may run behind the runner's by up to BEFORE_SEND_MS
    ['a crawl begun exactly BEFORE_SEND_MS before the send', [at('edge', -BEFORE_SEND_MS)], 'edge'],
    ['a crawl begun 1 ms more than BEFORE_SEND_MS before the send', [at('early', -BEFORE_SEND_MS - 1)], undefined],
    ['a crawl begun an hour before the send, still going on', [at('early', -60 * MIN)], undefined],
    // the window's end: a crawl begun later is someone else's, whatever came before it
    ['a crawl begun exactly AFTER_SEND_MS after the send', [at('edge', AFTER_SEND_MS)], 'edge'],
    ['only a crawl begun 1 ms more than AFTER_SEND_MS after the send', [at('late', AFTER_SEND_MS + 1)], undefined],
    ['only a crawl begun ten minutes after the send', [at('late', 10 * MIN)], undefined],
    ['a crawl begun after the window listed before one begun in it', [at('late', 2 * MIN), at('a', 50 * SEC, 55 * SEC)], 'a'],
    // what cannot be placed in time is never taken
    ['a crawl without a start time', [at('unplaced', undefined)], undefined],
    ['a crawl without a start time listed before one begun in the window', [at('unplaced', undefined), at('a', 10 * SEC)], 'a'],
  ])('GIVEN %s WHEN the step\'s own crawl is looked for THEN it is %s', (_label, crawls, expected) => {
    expect(ownCrawl(crawls, window)?.id).toBe(expected);
  });

  it('GIVEN a window whose sentAt is not its middle WHEN a crawl ended between from and sentAt THEN sentAt, not from, decides it is left out', () => {
    // GIVEN a crawl begun and ended in the 15 s before the send: the residue of another start
    const residue = at('residue', -10 * SEC, -5 * SEC);
    // WHEN / THEN
    expect(ownCrawl([residue], window)).toBeUndefined();
    expect(ownCrawl([residue], { ...window, sentAt: STARTED - 5 * SEC })?.id).toBe('residue');
  });

  // A start refused at STARTED (the crawler ran a crawl begun before it), tried again 30 s later.
  it.each<[string, CrawlView, string | undefined]>([
    ['the crawl that refused the start, begun 10 min before it, going on', at('refusing', -10 * MIN), undefined],
    ['the crawl that refused the start, begun 10 min before it, ended since', at('refusing', -10 * MIN, 20 * SEC), undefined],
    ['the crawl that refused the start, begun just before it, going on', at('refusing', -1), undefined],
    ['a crawl begun BEFORE_SEND_MS before the retry', at('a', 30 * SEC - BEFORE_SEND_MS), 'a'],
    ['a crawl begun 1 ms more than BEFORE_SEND_MS before the retry', at('a', 30 * SEC - BEFORE_SEND_MS - 1), undefined],
    ['a crawl begun at the retry', at('a', 30 * SEC), 'a'],
  ])('GIVEN a start refused and tried again 30 s later, and %s WHEN the retry\'s own crawl is looked for THEN it is %s', (_label, c, expected) => {
    expect(ownCrawl([c], startWindow(STARTED + 30 * SEC))?.id).toBe(expected);
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
