import * as http from 'http';
import { AddressInfo } from 'net';
import './fixtures';
import { GlueClient, StartCrawlerCommand } from '@aws-sdk/client-glue';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import { dynamo, eventBridge, glue, glueStart, ses, sfn, sfnOnce } from '../../src/lambda/aws/clients';
import { START_CALL_MAX_ATTEMPTS, startCallRetryStrategy } from '../../src/lambda/aws/start-call-retry';

/**
 * A hung call must fail, not wait for the Lambda timeout: between StartJobRun and saving the
 * run id that wait would leave an untracked run.
 */
describe('SDK clients', () => {
  let server: http.Server;
  beforeAll(async () => {
    server = http.createServer(() => undefined); // accepts requests, never answers
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it.each([['sfn', sfn], ['sfn (sent once)', sfnOnce], ['glue', glue], ['glue (start calls)', glueStart], ['ses', ses], ['eventbridge', eventBridge], ['dynamodb', dynamo]])(
    'GIVEN a %s endpoint that never answers WHEN the request timeout passes THEN the call fails with TimeoutError',
    async (_name, client) => {
      const handler = client.config.requestHandler as NodeHttpHandler;
      const request = {
        protocol: 'http:',
        hostname: '127.0.0.1',
        port: (server.address() as AddressInfo).port,
        method: 'POST',
        path: '/',
        headers: {},
        query: {},
      };
      const outcome = await Promise.race([
        handler.handle(request as Parameters<NodeHttpHandler['handle']>[0], { requestTimeout: 300 })
          .then(() => 'answered', (e: Error) => e.name),
        new Promise((resolve) => setTimeout(() => resolve('still hanging'), 2_000)),
      ]);
      expect(outcome).toBe('TimeoutError');
    },
  );
});

/**
 * Start calls carry no idempotency token: the SDK must send one again only after throttling,
 * never after an answer that may follow a start that took effect.
 */
describe('the start calls\' client', () => {
  let server: http.Server;
  let answer: { status: number; type: string };
  let calls = 0;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        calls++;
        res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': answer.type });
        res.end(JSON.stringify({ __type: answer.type, message: 'from the test server' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });
  beforeEach(() => {
    calls = 0;
  });

  /** A Glue client like glueStart, pointed at the test server. */
  const client = () => new GlueClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    retryStrategy: startCallRetryStrategy,
  });

  it('GIVEN the runner\'s clients WHEN the start calls\' client is configured THEN it retries with the start call strategy, the others do not', async () => {
    expect(await glueStart.config.retryStrategy()).toBe(startCallRetryStrategy);
    expect(await glue.config.retryStrategy()).not.toBe(startCallRetryStrategy);
  });

  it.each<[string, number, number, string]>([
    ['throttled every time', START_CALL_MAX_ATTEMPTS, 400, 'ThrottlingException'],
    ['answered 500', 1, 500, 'InternalServiceException'],
    ['answered 503', 1, 503, 'ServiceUnavailableException'],
    ['refused (400)', 1, 400, 'CrawlerRunningException'],
  ])('GIVEN a start call %s WHEN sent through the SDK THEN it is sent %i time(s) and Glue\'s error is thrown', async (_label, expected, status, type) => {
    // GIVEN
    answer = { status, type };
    // WHEN / THEN
    await expect(client().send(new StartCrawlerCommand({ Name: 'raw' }))).rejects.toMatchObject({ name: type });
    expect(calls).toBe(expected);
  });
});

describe('the long poll\'s client', () => {
  it('GIVEN the runner\'s clients WHEN the client of GetActivityTask and SendTaskFailure is configured THEN it sends each call once; the other Step Functions calls keep the SDK\'s retries', async () => {
    expect(await sfnOnce.config.maxAttempts()).toBe(1);
    expect(await sfn.config.maxAttempts()).toBeGreaterThan(1);
  });
});
