import { GetTriggerCommand, StartTriggerCommand } from '@aws-sdk/client-glue';
import { GlueTriggerResult, GlueTriggerTaskInput } from '../../../shared/contract';
import { glue, glueStart } from '../../aws/clients';
import { listCrawls, startedSince } from '../glue-crawler/crawler-driver';
import { ownCrawl } from '../glue-crawler/crawler-states';
import { findRunStartedBy } from '../glue-job/job-runs';
import { startWindow } from '../start-window';
import type { StepDriver } from '../step-driver';

/**
 * A trigger step: fires an on-demand trigger. The step succeeds as soon as Glue accepts
 * StartTrigger; it does not wait for the jobs or crawlers the trigger starts (a workflow step
 * does). Glue keeps no record of a firing, but of what it started: a firing whose answer was
 * lost, or whose runner died before saving it, is found by a run of one of the trigger's jobs
 * that names the trigger (`TriggerName`), or a crawl of one of its crawlers, begun in the window
 * of the time the start was sent (start-window.ts). Found, the trigger is not fired again.
 */
export const glueTriggerDriver: StepDriver<GlueTriggerTaskInput> = {
  startCall: 'StartTrigger',
  doneWhenStarted: true,
  marksStart: true,
  start: async (input, _tokenId, now) => {
    await glueStart.send(new StartTriggerCommand({ Name: input.triggerName }));
    return new Date(now).toISOString();
  },
  observe: async (work) => ({
    kind: 'succeed',
    output: { stepName: work.input.stepName, triggerName: work.input.triggerName, state: 'SUCCEEDED', startedOn: work.runId } satisfies GlueTriggerResult,
  }),
  findStarted: async (work) => {
    if (work.startSentAt === undefined) {
      return undefined;
    }
    const window = startWindow(work.startSentAt);
    const trigger = await ignoringMissing(async () => (await glue.send(new GetTriggerCommand({ Name: work.input.triggerName }))).Trigger);
    for (const action of trigger?.Actions ?? []) {
      // An action whose job or crawler is gone left no trace of the firing.
      const started = await ignoringMissing(async () => {
        if (action.JobName) {
          const run = await findRunStartedBy(action.JobName, work.input.triggerName, new Date(window.from), new Date(window.to));
          return run === undefined ? undefined : run.StartedOn?.getTime() ?? window.sentAt;
        }
        if (action.CrawlerName) {
          return ownCrawl(await listCrawls(action.CrawlerName, [startedSince(window.from)]), window)?.startTime;
        }
        return undefined;
      });
      if (started !== undefined) {
        return new Date(started).toISOString();
      }
    }
    return undefined;
  },
  // A firing cannot be undone; what it started runs on.
  stop: async () => undefined,
};

/** `read`'s answer, or undefined when Glue no longer knows the resource (EntityNotFoundException). */
async function ignoringMissing<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof Error && err.name === 'EntityNotFoundException') {
      return undefined;
    }
    throw err;
  }
}
