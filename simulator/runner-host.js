'use strict';
// A Lambda container for the runner: loads the bundled asset once, then runs one invocation at
// a time on request from the parent (IPC), as Lambda reuses a warm container. Plain JavaScript
// in a plain node process: the asset runs exactly as it would in Lambda, with nothing in between.
//
// Simulated time reaches the runner the only way it can without a line of simulation code in it:
// this process's clock. `Date` and the timer functions follow the simulation's clock, which runs
// at real speed while anything works and jumps when everything waits. So that the parent knows
// when this process waits, the container tells it, each time it falls idle, how many HTTP
// requests it has started and seen end (the parent compares them with the calls that reached
// its stand-ins) and the earliest timer it waits for. When time jumps, the parent says so and
// waits for the acknowledgement before anything that happens after the jump can reach us.
const path = require('path');
const http = require('http');

const [assetDir, firstSimEpochMs, firstRealEpochMs] = process.argv.slice(2);

const RealDate = Date;
const realSetTimeout = setTimeout;
const realClearTimeout = clearTimeout;
const realSetImmediate = setImmediate;

/** Simulated epoch ms at real epoch ms: the clock runs at real speed from there. */
let base = { simEpochMs: Number(firstSimEpochMs), realEpochMs: Number(firstRealEpochMs) };
const simNow = () => base.simEpochMs + (RealDate.now() - base.realEpochMs);

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

// --- Timers on simulated time ---------------------------------------------------------------
const timers = new Map();
let nextTimerId = 1;

class SimTimeout {
  constructor(fn, ms, args, repeat) {
    this.id = nextTimerId++;
    this.fn = fn;
    this.args = args;
    this.delay = delayOf(ms);
    this.repeat = repeat;
    this.due = simNow() + this.delay;
    this.refed = true;
    this.real = undefined;
    timers.set(this.id, this);
    this.arm();
  }
  arm() {
    realClearTimeout(this.real);
    this.real = realSetTimeout(() => this.fire(), Math.max(0, this.due - simNow()));
    if (!this.refed) this.real.unref();
  }
  fire() {
    if (!timers.has(this.id)) return;
    if (simNow() < this.due) {
      this.arm();
      return;
    }
    if (this.repeat) {
      this.due = simNow() + this.delay;
      this.arm();
    } else {
      timers.delete(this.id);
    }
    activity();
    this.fn(...this.args);
  }
  cancel() {
    timers.delete(this.id);
    realClearTimeout(this.real);
    activity();
  }
  ref() {
    this.refed = true;
    this.real?.ref();
    return this;
  }
  unref() {
    this.refed = false;
    this.real?.unref();
    return this;
  }
  hasRef() {
    return this.refed;
  }
  refresh() {
    this.due = simNow() + this.delay;
    if (!timers.has(this.id)) timers.set(this.id, this);
    this.arm();
    activity();
    return this;
  }
  close() {
    this.cancel();
    return this;
  }
  [Symbol.toPrimitive]() {
    return this.id;
  }
}

/** Node's rule: a delay that is not a number from 1 to 2^31-1 ms is 1 ms. */
function delayOf(ms) {
  const n = Number(ms);
  return n >= 1 && n <= 2 ** 31 - 1 ? n : 1;
}

function clearSimTimer(handle) {
  if (handle instanceof SimTimeout) handle.cancel();
  else if (typeof handle === 'number' || typeof handle === 'string') timers.get(Number(handle))?.cancel();
  else if (handle) realClearTimeout(handle);
}

globalThis.setTimeout = (fn, ms, ...args) => new SimTimeout(fn, ms, args, false);
globalThis.setInterval = (fn, ms, ...args) => new SimTimeout(fn, ms, args, true);
globalThis.clearTimeout = clearSimTimer;
globalThis.clearInterval = clearSimTimer;

// --- HTTP calls: counted, so the parent can tell a call in transit from a wait ----------------
let started = 0;
let ended = 0;
const realRequest = http.request;
http.request = function request(...args) {
  const req = realRequest.apply(this, args);
  started++;
  activity();
  let done = false;
  const end = () => {
    if (!done) {
      done = true;
      ended++;
      activity();
    }
  };
  req.once('response', (res) => {
    res.once('end', end);
    res.once('close', end);
  });
  req.once('error', end);
  req.once('close', end);
  return req;
};

// --- Idle reports -----------------------------------------------------------------------------
/**
 * What a process that only waits may hold open (process.getActiveResourcesInfo()): sockets and
 * servers waiting to read, timers, the IPC pipe, standard streams. Anything else (a file read, a
 * DNS lookup, a connect or write in progress) is work under way. Node does not list callback-style
 * crypto jobs (pbkdf2, scrypt, randomBytes with a callback) there; neither the runner nor the SDK
 * uses them, but a runner that did could see time skip during one.
 */
const WAITING_RESOURCES = new Set(['TCPSocketWrap', 'TCPServerWrap', 'Timeout', 'Immediate', 'PipeWrap', 'TTYWrap', 'ProcessWrap', 'SignalWrap']);
let generation = 0;
let probing = false;
let timeSeq = 0;
let invokes = 0;

/** Something happened here: once the event loop has drained, tell the parent where we stand. */
function activity() {
  generation++;
  if (probing) return;
  probing = true;
  const seen = generation;
  realSetImmediate(() => realSetImmediate(() => {
    probing = false;
    if (generation !== seen) {
      activity();
      return;
    }
    const pending = process.getActiveResourcesInfo().filter((r) => !WAITING_RESOURCES.has(r));
    if (pending.length > 0) {
      // File, DNS or crypto work in the thread pool, a socket still connecting or writing: not
      // idle yet, and nothing of ours hears when it is done, so look again shortly.
      realSetTimeout(activity, 1);
      return;
    }
    let nextDue;
    for (const timer of timers.values()) {
      if (timer.due <= simNow()) return; // it fires at once, and reports after
      if (nextDue === undefined || timer.due < nextDue) nextDue = timer.due;
    }
    process.send({ type: 'idle', timeSeq, invokes, started, ended, nextDueSimEpochMs: nextDue });
  }));
}

process.on('message', async (msg) => {
  if (!msg) return;
  if (msg.type === 'time') {
    base = msg.base;
    timeSeq = msg.timeSeq;
    for (const timer of timers.values()) timer.arm();
    process.send({ type: 'time-ack', timeSeq });
    activity();
    return;
  }
  if (msg.type !== 'invoke') return;
  base = msg.base;
  timeSeq = msg.timeSeq;
  for (const timer of timers.values()) timer.arm();
  invokes++;
  activity();
  const context = {
    awsRequestId: msg.requestId,
    functionName: 'runner',
    // Simulated milliseconds left: the runner plans its long polls against this.
    getRemainingTimeInMillis: () => Math.max(0, msg.deadlineSimEpochMs - simNow()),
  };
  try {
    const result = await handler(msg.event ?? {}, context);
    process.send({ type: 'result', requestId: msg.requestId, ok: true, result });
  } catch (err) {
    process.send({ type: 'result', requestId: msg.requestId, ok: false, error: `${err && err.name}: ${err && err.message}` });
  }
  activity();
});

const { handler } = require(path.resolve(assetDir, 'index.js'));
process.send({ type: 'ready' });
