import { createServer, Server } from 'http';
import { Fault, FaultProxy } from '../../simulator/local-aws/fault-proxy';
import { closeServer, listenOnLoopback } from '../../simulator/local-aws/local-http';
import { SimClock } from '../../simulator/sim-clock';

/** The proxy is how faults reach the runner: it must hit the right call and the right container. */
let target: Server;
let proxy: FaultProxy;
let url: string;
const killed: string[] = [];
const faults: Fault[] = [];
/** The calls that reached the service behind the proxy. */
const served: string[] = [];

beforeEach(async () => {
  killed.length = 0;
  faults.length = 0;
  served.length = 0;
  target = createServer((req, res) => {
    served.push(String(req.headers['x-amz-target']));
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  const clock = new SimClock();
  proxy = new FaultProxy('dynamodb', await listenOnLoopback(target), clock, faults, { killContainer: (id) => killed.push(id) });
  url = await proxy.start();
});
afterEach(async () => {
  await proxy.stop();
  await closeServer(target);
});

const call = (op: string) => fetch(url, {
  method: 'POST',
  headers: { 'x-amz-target': `DynamoDB_20120810.${op}`, 'x-amz-user-agent': 'aws-sdk-js/3 app/container-7' },
  body: '{}',
});

test('GIVEN no fault WHEN called THEN the answer is forwarded, dated in simulated time', async () => {
  const res = await call('Query');
  expect(await res.json()).toEqual({ ok: true });
  expect(new Date(res.headers.get('date')!).getUTCFullYear()).toBe(2026);
  expect(Date.parse(res.headers.get('date')!)).toBeLessThan(Date.UTC(2026, 0, 2));
  expect(proxy.calls.map((c) => [c.op, c.container])).toEqual([['Query', 'container-7']]);
});

test('GIVEN an error fault WHEN the matching call comes THEN it is answered with that error once, then forwarded again', async () => {
  faults.push({ service: 'dynamodb', op: 'PutItem', action: { kind: 'error', type: 'ProvisionedThroughputExceededException' } });
  const first = await call('PutItem');
  expect([first.status, ((await first.json()) as { __type: string }).__type]).toEqual([400, 'ProvisionedThroughputExceededException']);
  expect((await call('PutItem')).status).toBe(200);
  expect(proxy.hits.map((h) => h.fault)).toEqual(['error']);
});

test('GIVEN a kill fault WHEN the matching call comes THEN the calling container is killed and the call never answered', async () => {
  faults.push({ service: 'dynamodb', op: 'DeleteItem', action: { kind: 'kill-caller' } });
  await expect(call('DeleteItem')).rejects.toThrow();
  expect(killed).toEqual(['container-7']);
});

test('GIVEN an error-after fault WHEN the matching call comes THEN the service acts on it and the caller gets the error', async () => {
  faults.push({ service: 'dynamodb', op: 'PutItem', action: { kind: 'error-after', type: 'InternalServerError' } });
  const res = await call('PutItem');
  expect([res.status, ((await res.json()) as { __type: string }).__type]).toEqual([500, 'InternalServerError']);
  expect(served).toEqual(['DynamoDB_20120810.PutItem']);
  expect(killed).toEqual([]);
});

test('GIVEN a drop-after fault WHEN the matching call comes THEN the service acts on it and the connection drops unanswered', async () => {
  faults.push({ service: 'dynamodb', op: 'PutItem', action: { kind: 'drop-after' } });
  await expect(call('PutItem')).rejects.toThrow();
  expect(served).toEqual(['DynamoDB_20120810.PutItem']);
  expect(killed).toEqual([]);
});
