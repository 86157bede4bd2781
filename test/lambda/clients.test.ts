import * as http from 'http';
import { AddressInfo } from 'net';
import './fixtures';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import { dynamo, glue, ses, sfn } from '../../src/lambda/clients';

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

  it.each([['sfn', sfn], ['glue', glue], ['ses', ses], ['dynamodb', dynamo]])(
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
