import { StartTriggerCommand } from '@aws-sdk/client-glue';
import type { StepDriver } from './step-driver';
import { GlueTriggerTaskInput } from '../../shared/contract';
import { glue } from '../clients';

/**
 * A trigger step: fires an on-demand trigger. The step succeeds as soon as Glue accepts
 * StartTrigger; it does not wait for the jobs or crawlers the trigger starts (a workflow step
 * does). Glue keeps no record of a firing, so a runner that dies between StartTrigger and its
 * next write cannot tell whether the trigger fired: the resumed start fires it again.
 */
export const glueTriggerDriver: StepDriver<GlueTriggerTaskInput> = {
  startCall: 'StartTrigger',
  doneWhenStarted: true,
  start: async (input, _tokenId, now) => {
    await glue.send(new StartTriggerCommand({ Name: input.triggerName }));
    return new Date(now).toISOString();
  },
  observe: async (work) => ({
    kind: 'succeed',
    output: { stepName: work.input.stepName, triggerName: work.input.triggerName, state: 'SUCCEEDED', startedOn: work.runId },
  }),
  findStarted: async () => undefined,
  // A firing cannot be undone; what it started runs on.
  stop: async () => undefined,
};
