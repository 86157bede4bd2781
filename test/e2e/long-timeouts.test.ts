import { Duration } from 'aws-cdk-lib';
import { simulate, synthesizeToCloudAssembly } from './e2e-fixture';
import { PipelineStep } from '../../src';

jest.setTimeout(60_000);

test('GIVEN a step whose state times out after 30 days (past what a Node timer holds) WHEN its crawl takes a minute THEN the execution succeeds: the simulation enforces the timeout on its own clock', async () => {
  // GIVEN TimeoutSeconds 2,592,000: as milliseconds, past 2^31-1
  const templateFile = synthesizeToCloudAssembly({
    steps: [PipelineStep.glueCrawler({ stepName: 'crawl', crawlerName: 'raw-crawler', timeout: Duration.days(30) })],
  });
  const sim = await simulate(templateFile, { crawlers: { 'raw-crawler': { seconds: 60 } } });
  try {
    // WHEN
    const report = await sim.run({ maxSeconds: 3600 });
    // THEN
    expect([report.status, report.error]).toEqual(['SUCCEEDED', undefined]);
    expect(sim.glue.crawlers.crawls).toHaveLength(1);
  } finally {
    await sim.stop();
  }
});
