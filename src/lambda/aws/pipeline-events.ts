import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { eventBridge } from './clients';
import { PIPELINE_EVENT_SOURCE, PipelineEventTypes } from '../../shared/operations';
import type { StepFailedDetail, StepLateDetail } from '../../shared/pipeline-events';

/** The pipeline's own events (failed and late steps), put on the account's default event bus. */

/** EventBridge accepted the call but not the event (`FailedEntryCount` > 0). */
export class FailureEventRefusedError extends Error {
  public readonly name = 'FailureEventRefusedError';
}

/**
 * Puts one `Glue Pipeline Step Failed` event on the account's default event bus (no
 * `EventBusName`). Throws when the call fails or EventBridge refuses the entry.
 */
export async function putStepFailedEvent(detail: StepFailedDetail): Promise<void> {
  await putPipelineEvent(PipelineEventTypes.STEP_FAILED, detail);
}

/** Puts one `Glue Pipeline Step Late` event on the default event bus; throws as `putStepFailedEvent`. */
export async function putStepLateEvent(detail: StepLateDetail): Promise<void> {
  await putPipelineEvent(PipelineEventTypes.STEP_LATE, detail);
}

async function putPipelineEvent(detailType: string, detail: object): Promise<void> {
  const answer = await eventBridge.send(new PutEventsCommand({
    Entries: [{
      Source: PIPELINE_EVENT_SOURCE,
      DetailType: detailType,
      Detail: JSON.stringify(detail),
    }],
  }));
  if ((answer.FailedEntryCount ?? 0) > 0) {
    const entry = answer.Entries?.[0];
    throw new FailureEventRefusedError(`EventBridge refused the event: ${entry?.ErrorCode ?? 'no error code'}: ${entry?.ErrorMessage ?? 'no message'}`);
  }
}
