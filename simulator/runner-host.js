'use strict';
// A Lambda container for the runner: loads the bundled asset once, then runs one invocation at
// a time on request from the parent (IPC), as Lambda reuses a warm container. Plain JavaScript
// in a plain node process: the asset runs exactly as it would in Lambda, with nothing in between.
const path = require('path');

const [assetDir, scale, simEpochMs, realOriginEpochMs] = process.argv.slice(2);
const realMsPerSimSecond = Number(scale);

// Compressed time reaches the runner the only way it can without a line of simulation code in
// it: this container's clock runs at the simulation's speed, from the simulation's epoch.
const RealDate = Date;
const simNow = () => Number(simEpochMs) + ((RealDate.now() - Number(realOriginEpochMs)) / realMsPerSimSecond) * 1000;
class SimDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(simNow());
    else super(...args);
  }
  static now() {
    return simNow();
  }
}
globalThis.Date = SimDate;

const { handler } = require(path.resolve(assetDir, 'index.js'));

process.on('message', async (msg) => {
  if (!msg || msg.type !== 'invoke') return;
  const startedReal = RealDate.now();
  const deadlineSimMs = msg.timeoutSeconds * 1000;
  const context = {
    awsRequestId: msg.requestId,
    functionName: 'runner',
    // Simulated milliseconds left: the runner plans its long polls against this.
    getRemainingTimeInMillis: () => Math.max(0, deadlineSimMs - ((RealDate.now() - startedReal) / realMsPerSimSecond) * 1000),
  };
  try {
    const result = await handler(msg.event ?? {}, context);
    process.send({ type: 'result', requestId: msg.requestId, ok: true, result });
  } catch (err) {
    process.send({ type: 'result', requestId: msg.requestId, ok: false, error: `${err && err.name}: ${err && err.message}` });
  }
});
process.send({ type: 'ready' });
