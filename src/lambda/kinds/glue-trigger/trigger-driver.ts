import { GetTriggerCommand, StartTriggerCommand } from '@aws-sdk/client-glue';
import { GlueTriggerTaskInput } from '../../../shared/contract';
import { glue, glueStart } from '../../aws/clients';
import { listCrawls, startedSince } from '../glue-crawler/crawler-driver';
import { crawlWindow, ownCrawl } from '../glue-crawler/crawler-states';
import { findRunStartedBy } from '../glue-job/job-runs';
import type { StepDriver } from '../step-driver';

/**
 * A trigger step: fires an on-demand trigger. The step succeeds as soon as Glue accepts
 * StartTrigger; it does not wait for the jobs or crawlers the trigger starts (a workflow step
 * does). Glue keeps no record of a firing, but of what it started: a firing whose answer was
 * lost, or whose runner died before saving it, is found by a run of one of the trigger's jobs
 * that names the trigger (`TriggerName`), or a crawl of one of its crawlers, begun since the
 * start was sent. Found, the trigger is not fired again.
 */
export const glueTriggerDriver: StepDriver<GlueTriggerTaskInput> = {
  startCall: 'StartTrigger',
  doneWhenStarted: true,
  start: async (input, _tokenId, now) => {
    await glueStart.send(new StartTriggerCommand({ Name: input.triggerName }));
    return new Date(now).toISOString();
  },
  observe: async (work) => ({
    kind: 'succeed',
    output: { stepName: work.input.stepName, triggerName: work.input.triggerName, state: 'SUCCEEDED', startedOn: work.runId },
  }),
  findStarted: async (work) => {
    const window = crawlWindow(work.createdAt, work.retryAt, work.unknownStartAt);
    const since = window.from - window.skewMs;
    const trigger = (await glue.send(new GetTriggerCommand({ Name: work.input.triggerName }))).Trigger;
    for (const action of trigger?.Actions ?? []) {
      if (action.JobName) {
        const run = await findRunStartedBy(action.JobName, work.input.triggerName, new Date(since));
        if (run) {
          return (run.StartedOn ?? new Date(window.from)).toISOString();
        }
      } else if (action.CrawlerName) {
        const crawl = ownCrawl(await listCrawls(action.CrawlerName, [startedSince(since)]), window);
        if (crawl) {
          return new Date(crawl.startTime!).toISOString();
        }
      }
    }
    return undefined;
  },
  // A firing cannot be undone; what it started runs on.
  stop: async () => undefined,
};
