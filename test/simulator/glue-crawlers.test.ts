import { CrawlerNotRunningException, CrawlerRunningException, GetCrawlerCommand, GlueClient, StartCrawlerCommand, StopCrawlerCommand } from '@aws-sdk/client-glue';
import { ActivityService } from '../../simulator/local-aws/activity-service';
import { AwsJsonEndpoint } from '../../simulator/local-aws/aws-json-endpoint';
import { CrawlerScript, crawlerStateChange } from '../../simulator/local-aws/glue-crawlers';
import { GlueService } from '../../simulator/local-aws/glue-service';
import { SimClock } from '../../simulator/sim-clock';

/** Crawler steps wait on this fake: its crawls must start, run and end as the script says. */
let clock: SimClock;
beforeEach(() => {
  clock = new SimClock();
});

const withCrawlers = (crawlers: Record<string, CrawlerScript>) => new GlueService(clock, {}, undefined, { crawlers });

const ended = (glue: GlueService) => {
  const seen: Array<{ name: string; status: string; at: number }> = [];
  glue.on('crawler-ended', (name: string, status: string, at: number) => seen.push({ name, status, at }));
  return seen;
};

test('GIVEN a scripted crawler WHEN it crawls THEN it is RUNNING with its elapsed time, then READY with the crawl as LastCrawl; the next crawl follows `next`', async () => {
  const glue = withCrawlers({ raw: { seconds: 30, finalStatus: 'FAILED', errorMessage: 'no access', next: { seconds: 10 } } });
  glue.crawlers.startCrawler('raw');
  const crawler = () => glue.crawlers.getCrawler('raw').Crawler;
  expect(crawler()).toMatchObject({ Name: 'raw', State: 'RUNNING', LastCrawl: undefined });
  await clock.sleep(10);
  expect(crawler().CrawlElapsedTime).toBeGreaterThanOrEqual(9_000);
  await clock.sleep(30);
  expect(crawler()).toMatchObject({
    State: 'READY',
    CrawlElapsedTime: undefined,
    LastCrawl: { Status: 'FAILED', ErrorMessage: 'no access', StartTime: clock.epochSeconds(glue.crawlers.crawls[0].startedAt), LogGroup: '/aws-glue/crawlers', LogStream: 'raw' },
  });
  expect(crawler().LastCrawl?.MessagePrefix).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  // WHEN the crawler crawls again THEN, while it runs, LastCrawl is still the failed crawl
  glue.crawlers.startCrawler('raw');
  expect(crawler()).toMatchObject({ State: 'RUNNING', LastCrawl: { Status: 'FAILED' } });
  await clock.sleep(20);
  expect(crawler().LastCrawl).toMatchObject({ Status: 'SUCCEEDED', ErrorMessage: undefined });
  glue.dispose();
});

test('GIVEN scripted start errors WHEN StartCrawler is called THEN each call throws the next one; a second start while crawling is CrawlerRunningException', () => {
  const glue = withCrawlers({ raw: { startErrors: ['OperationTimeoutException'] } });
  expect(() => glue.crawlers.startCrawler('raw')).toThrow(expect.objectContaining({ code: 'OperationTimeoutException' }));
  glue.crawlers.startCrawler('raw');
  expect(() => glue.crawlers.startCrawler('raw')).toThrow(expect.objectContaining({ code: 'CrawlerRunningException' }));
  // Any unscripted name is a crawler too, crawling on its own.
  glue.crawlers.startCrawler('other');
  expect(glue.crawlers.crawls.map((c) => c.crawlerName)).toEqual(['raw', 'other']);
  glue.dispose();
});

test('GIVEN a crawler someone else is running at the start WHEN the pipeline starts it THEN CrawlerRunningException until that crawl ends', async () => {
  const glue = withCrawlers({ raw: { runningAtStart: 20, seconds: 5 } });
  const seen = ended(glue);
  expect(glue.crawlers.getCrawler('raw').Crawler.State).toBe('RUNNING');
  expect(() => glue.crawlers.startCrawler('raw')).toThrow(expect.objectContaining({ code: 'CrawlerRunningException' }));
  await clock.sleep(25);
  glue.crawlers.startCrawler('raw');
  expect(glue.crawlers.crawls.map((c) => c.external)).toEqual([true, false]);
  await clock.sleep(15);
  expect(seen.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  glue.dispose();
});

test('GIVEN a running crawl WHEN stopped THEN STOPPING for 5 s, then READY and CANCELLED, announced once; a crawler not running cannot be stopped', async () => {
  const glue = withCrawlers({ raw: { seconds: 60 } });
  const seen = ended(glue);
  expect(() => glue.crawlers.stopCrawler('raw')).toThrow(expect.objectContaining({ code: 'CrawlerNotRunningException' }));
  glue.crawlers.startCrawler('raw');
  await clock.sleep(10);
  glue.crawlers.stopCrawler('raw');
  expect(glue.crawlers.getCrawler('raw').Crawler.State).toBe('STOPPING');
  expect(() => glue.crawlers.stopCrawler('raw')).toThrow(expect.objectContaining({ code: 'CrawlerNotRunningException' }));
  expect(() => glue.crawlers.startCrawler('raw')).toThrow(expect.objectContaining({ code: 'CrawlerRunningException' }));
  await clock.sleep(80);
  expect(glue.crawlers.getCrawler('raw').Crawler).toMatchObject({ State: 'READY', LastCrawl: { Status: 'CANCELLED' } });
  expect(seen).toEqual([{ name: 'raw', status: 'CANCELLED', at: glue.crawlers.crawls[0].stoppedAt! + 5 }]);
  glue.dispose();
});

test('GIVEN a missing crawler WHEN called THEN every call is EntityNotFoundException', () => {
  const glue = withCrawlers({ gone: { missing: true, runningAtStart: 10 } });
  for (const call of [() => glue.crawlers.startCrawler('gone'), () => glue.crawlers.getCrawler('gone'), () => glue.crawlers.stopCrawler('gone')]) {
    expect(call).toThrow(expect.objectContaining({ code: 'EntityNotFoundException' }));
  }
  expect(glue.crawlers.crawls).toEqual([]);
});

test('GIVEN dispose WHEN crawls would end later THEN nothing is announced', async () => {
  const glue = withCrawlers({ raw: { runningAtStart: 10 } });
  const seen = ended(glue);
  glue.crawlers.startCrawler('other');
  glue.dispose();
  await clock.sleep(100);
  expect(seen).toEqual([]);
});

test('GIVEN crawl ends WHEN turned into EventBridge details THEN CANCELLED counts as Failed, and the error travels along', () => {
  expect(crawlerStateChange('raw', 'SUCCEEDED')).toEqual({ crawlerName: 'raw', state: 'Succeeded', message: 'Crawler Succeeded' });
  expect(crawlerStateChange('raw', 'FAILED', 'no access')).toEqual({ crawlerName: 'raw', state: 'Failed', message: 'Crawler Failed', errorMessage: 'no access' });
  expect(crawlerStateChange('raw', 'CANCELLED')).toMatchObject({ state: 'Failed' });
});

test('GIVEN the endpoint WHEN the real Glue client drives a crawler THEN the answers parse: states, dates, typed errors', async () => {
  // The client's calls are work in progress: time may not skip while they are under way.
  const glue = withCrawlers({ raw: { seconds: 300, finalStatus: 'FAILED', errorMessage: 'boom' } });
  const endpoint = new AwsJsonEndpoint(new ActivityService(clock), glue, { arn: 'arn:aws:states:us-east-1:111111111111:stateMachine:p', executions: () => [] });
  const calls = clock.hold('test client');
  const client = new GlueClient({ endpoint: await endpoint.start(), region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  try {
    await client.send(new StartCrawlerCommand({ Name: 'raw' }));
    await expect(client.send(new StartCrawlerCommand({ Name: 'raw' }))).rejects.toBeInstanceOf(CrawlerRunningException);
    expect((await client.send(new GetCrawlerCommand({ Name: 'raw' }))).Crawler).toMatchObject({ Name: 'raw', State: 'RUNNING' });
    calls.pause();
    await clock.sleep(320);
    calls.resume();
    await expect(client.send(new StopCrawlerCommand({ Name: 'raw' }))).rejects.toBeInstanceOf(CrawlerNotRunningException);
    const { Crawler } = await client.send(new GetCrawlerCommand({ Name: 'raw' }));
    expect(Crawler).toMatchObject({ State: 'READY', LastCrawl: { Status: 'FAILED', ErrorMessage: 'boom', LogGroup: '/aws-glue/crawlers' } });
    expect(Crawler?.LastCrawl?.StartTime).toBeInstanceOf(Date);
    expect(Crawler?.LastCrawl?.StartTime?.getTime()).toBeCloseTo(clock.epochSeconds(glue.crawlers.crawls[0].startedAt) * 1000, -1);
  } finally {
    calls.release();
    client.destroy();
    glue.dispose();
    await endpoint.stop();
  }
});
