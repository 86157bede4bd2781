import * as fs from 'fs';
import { createServer, Server } from 'http';
import * as os from 'os';
import * as path from 'path';
import { FaultProxy } from '../../simulator/local-aws/fault-proxy';
import { closeServer, listenOnLoopback } from '../../simulator/local-aws/local-http';
import { RunnerPool } from '../../simulator/runner-pool';
import { SimClock } from '../../simulator/sim-clock';

jest.setTimeout(30_000);

/**
 * A stand-in runner asset: it measures in its own (simulated) clock how long each kind of work
 * took, as the real runner measures its deadline.
 */
const ASSET = `
const http = require('http');
const fs = require('fs');
exports.handler = async (event) => {
  const t0 = Date.now();
  if (event.sleepMs) await new Promise((r) => setTimeout(r, event.sleepMs));
  if (event.spinMs) { const end = process.hrtime.bigint() + BigInt(event.spinMs) * 1000000n; while (process.hrtime.bigint() < end) {} }
  for (let i = 0; i < (event.reads || 0); i++) await fs.promises.readFile(event.file);
  if (event.url) {
    await new Promise((resolve, reject) => {
      const req = http.request(event.url, { method: 'POST', headers: { 'x-amz-user-agent': 'app/' + process.env.AWS_SDK_UA_APP_ID } }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end('{}');
    });
  }
  return { simMs: Date.now() - t0 };
};
`;

let assetDir: string;
let clock: SimClock;
let pool: RunnerPool;
let bigFile: string;
beforeAll(() => {
  assetDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gop-asset-'));
  fs.writeFileSync(path.join(assetDir, 'index.js'), ASSET);
  bigFile = path.join(assetDir, 'big.bin');
  fs.writeFileSync(bigFile, Buffer.alloc(64 * 1024 * 1024, 1));
});
afterAll(() => fs.rmSync(assetDir, { recursive: true, force: true }));
beforeEach(() => {
  clock = new SimClock();
  pool = new RunnerPool({ assetDir, env: { PATH: process.env.PATH ?? '' }, clock, timeoutSeconds: 180 });
});
afterEach(async () => {
  await pool.stop();
  clock.dispose();
});

const simMsOf = (result: unknown) => (result as { simMs: number }).simMs;

test('GIVEN a runner waiting on a timer of its own WHEN nothing else works THEN time skips to it', async () => {
  const invocation = await pool.invoke({ sleepMs: 60_000 });
  expect(invocation.ok).toBe(true);
  expect(simMsOf(invocation.result)).toBeGreaterThanOrEqual(60_000);
  // skipped, not waited for: the runner saw its timer fire when its clock read the moment
  expect(simMsOf(invocation.result)).toBeLessThan(61_000);
});

test('GIVEN a runner computing WHEN a timer of the simulation is due THEN its work costs its real duration, not a skip', async () => {
  // GIVEN a Glue phase, say, an hour away
  let fired = false;
  clock.after(3600, () => (fired = true));
  // WHEN the runner spins 300 real milliseconds
  const invocation = await pool.invoke({ spinMs: 300 });
  // THEN its clock advanced by the spin (give or take the machine), and time did not skip meanwhile
  expect(simMsOf(invocation.result)).toBeGreaterThanOrEqual(300);
  expect(simMsOf(invocation.result)).toBeLessThan(3_000);
  expect(fired).toBe(false);
});

test('GIVEN a runner reading files (work in the thread pool, as the SDK reads its config files) WHEN a timer of the simulation is due THEN time waits for that work', async () => {
  // GIVEN
  clock.after(60, () => undefined);
  // WHEN (reads long enough to take real milliseconds off the main thread)
  const invocation = await pool.invoke({ file: bigFile, reads: 4 });
  // THEN
  expect(invocation.ok).toBe(true);
  expect(simMsOf(invocation.result)).toBeLessThan(60_000);
});

test('GIVEN a runner that outlives its timeout WHEN the deadline passes THEN it is killed at the deadline, as Lambda does', async () => {
  // (a warm container: a cold start's real time would count before the deadline's clock starts)
  await pool.invoke({});
  const invocation = await pool.invoke({ sleepMs: 600_000 });
  expect([invocation.ok, invocation.timedOut]).toEqual([false, true]);
  expect(invocation.endedAt! - invocation.startedAt).toBeGreaterThanOrEqual(180);
  expect(invocation.endedAt! - invocation.startedAt).toBeLessThan(185);
});

test('GIVEN a container still starting WHEN the simulation stops THEN its invocation ends as a crash, and nothing is left to reject', async () => {
  // (an execution that fails before its first step ends the simulation while the runner it woke is still starting)
  const invocation = pool.invoke({});
  await pool.stop();
  await expect(invocation).resolves.toMatchObject({ ok: false, crashed: true });
});

describe('calls to a stand-in', () => {
  let target: Server;
  let proxy: FaultProxy;
  beforeEach(async () => {
    target = createServer((_req, res) => res.writeHead(200).end('{}'));
    proxy = new FaultProxy('glue', await listenOnLoopback(target), clock, [], {
      killContainer: (id) => pool.kill(id),
      latencySeconds: () => 30,
      callArrived: (id) => pool.callArrived(id),
      callAnswered: (id) => pool.callAnswered(id),
    });
  });
  afterEach(async () => {
    await proxy.stop();
    await closeServer(target);
  });

  test('GIVEN a stand-in that holds each call 30 simulated seconds WHEN the runner calls it THEN time skips the hold, and the call takes 30 s on the runner\'s clock', async () => {
    const url = await proxy.start();
    const invocation = await pool.invoke({ url });
    expect(invocation.ok).toBe(true);
    expect(simMsOf(invocation.result)).toBeGreaterThanOrEqual(30_000);
    expect(simMsOf(invocation.result)).toBeLessThan(31_000);
    expect(proxy.calls).toHaveLength(1);
  });
});

describe('asynchronous invocations when every container is busy', () => {
  let busyPool: RunnerPool;
  beforeEach(() => {
    busyPool = new RunnerPool({ assetDir, env: { PATH: process.env.PATH ?? '' }, clock, timeoutSeconds: 180, maxContainers: 1 });
  });
  afterEach(() => busyPool.stop());

  test('GIVEN the one container busy for 10 s WHEN an event is invoked asynchronously THEN it is throttled, retried after 1, 2, 4 and 8 s, and runs once the container is free', async () => {
    const busy = busyPool.invoke({ sleepMs: 10_000 });
    const delivery = await busyPool.invokeAsync({});
    await busy;
    expect(delivery.dropped).toBe(false);
    expect(delivery.attempts.map((a) => Boolean(a.throttled))).toEqual([true, true, true, true, false]);
    const at = delivery.attempts.map((a) => a.startedAt - delivery.attempts[0].startedAt);
    expect(at.slice(1).map(Math.round)).toEqual([1, 3, 7, 15]);
    expect(delivery.attempts[4].ok).toBe(true);
    expect(busyPool.peakAsyncWaiting).toBe(1);
  });

  test('GIVEN the container busy longer than the maximum event age WHEN an event is invoked asynchronously THEN it is dropped, never run', async () => {
    const ageLimited = new RunnerPool({
      assetDir, env: { PATH: process.env.PATH ?? '' }, clock, timeoutSeconds: 180, maxContainers: 1, asyncRetry: { maxEventAgeSeconds: 5 },
    });
    try {
      const busy = ageLimited.invoke({ sleepMs: 30_000 });
      const delivery = await ageLimited.invokeAsync({});
      expect(delivery.dropped).toBe(true);
      expect(delivery.attempts.every((a) => a.throttled)).toBe(true);
      expect(ageLimited.asyncDropped).toBe(1);
      await busy;
    } finally {
      await ageLimited.stop();
    }
  });

  test('GIVEN the one container busy WHEN an event is invoked synchronously THEN it is refused and not retried, as before', async () => {
    const busy = busyPool.invoke({ sleepMs: 5_000 });
    const refused = await busyPool.invoke({});
    expect([refused.ok, refused.throttled, refused.error]).toEqual([false, true, 'TooManyRequestsException: every container is busy']);
    await busy;
    expect(busyPool.invocations).toHaveLength(2);
  });
});
