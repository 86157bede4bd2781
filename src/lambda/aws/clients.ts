import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GlueClient } from '@aws-sdk/client-glue';
import { SESClient } from '@aws-sdk/client-ses';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startCallRetryStrategy } from './start-call-retry';
import { readDynamoNumber } from '../entry/exact-json';

/**
 * SDK clients, created once per Lambda container. Endpoints come from the environment
 * (`AWS_ENDPOINT_URL_*`), so the same code talks to AWS or to local stand-ins.
 */

/** GetActivityTask long-polls for up to 60 s; AWS asks clients to allow at least 65 s. */
export const LONG_POLL_REQUEST_TIMEOUT_MS = 70_000;

/** Without throwOnRequestTimeout the handler only warns, and a hung call waits for the Lambda timeout. */
const handler = (requestTimeout: number) =>
  new NodeHttpHandler({ connectionTimeout: 5_000, requestTimeout, throwOnRequestTimeout: true });
const shortCalls = () => handler(15_000);

export const sfn = new SFNClient({ requestHandler: handler(LONG_POLL_REQUEST_TIMEOUT_MS) });
/**
 * Step Functions calls sent once by the SDK. GetActivityTask: the SDK's retries would chain long
 * polls of up to 60 s each past the deadline the runner plans its polls by, and a poll whose
 * connection dropped may already have handed out its task, which no re-sent poll gets back (a
 * failed poll ends the invocation's polling; the next cycle polls again). SendTaskFailure: the
 * runner tries again itself, to know whether a try's answer was lost (activity-tasks.ts).
 */
export const sfnOnce = new SFNClient({ requestHandler: handler(LONG_POLL_REQUEST_TIMEOUT_MS), maxAttempts: 1 });
export const glue = new GlueClient({ requestHandler: shortCalls() });
/**
 * Glue's start calls (StartJobRun, StartCrawler, StartTrigger, StartWorkflowRun): re-sent by
 * the SDK only after throttling, never after a 5xx, a timeout or a dropped connection, which
 * may have started the work (start-call-retry.ts).
 */
export const glueStart = new GlueClient({ requestHandler: shortCalls(), retryStrategy: startCallRetryStrategy });
export const ses = new SESClient({ requestHandler: shortCalls() });
export const eventBridge = new EventBridgeClient({ requestHandler: shortCalls() });
export const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ requestHandler: shortCalls() }), {
  marshallOptions: { removeUndefinedValues: true },
  // Task inputs may hold numbers beyond 2^53, kept exact as NumberValue (see exact-json.ts).
  unmarshallOptions: { wrapNumbers: readDynamoNumber },
});
