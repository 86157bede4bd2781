'use strict';
// A Lambda container for the runner: loads the bundled asset once, then runs one invocation at
// a time on request from the parent (IPC), as Lambda reuses a warm container. Plain JavaScript
// in a plain node process: the asset runs exactly as it would in Lambda, with nothing in between.
const path = require('path');

const assetDir = process.argv[2];
const realMsPerSimSecond = Number(process.argv[3]);
const { handler } = require(path.resolve(assetDir, 'index.js'));

process.on('message', async (msg) => {
  if (!msg || msg.type !== 'invoke') return;
  const startedReal = Date.now();
  const deadlineSimMs = msg.timeoutSeconds * 1000;
  const context = {
    awsRequestId: msg.requestId,
    functionName: 'runner',
    // Simulated milliseconds left: the runner plans its long polls against this.
    getRemainingTimeInMillis: () => Math.max(0, deadlineSimMs - ((Date.now() - startedReal) / realMsPerSimSecond) * 1000),
  };
  try {
    const result = await handler(msg.event ?? {}, context);
    process.send({ type: 'result', requestId: msg.requestId, ok: true, result });
  } catch (err) {
    process.send({ type: 'result', requestId: msg.requestId, ok: false, error: `${err && err.name}: ${err && err.message}` });
  }
});
process.send({ type: 'ready' });
