#!/usr/bin/env node
'use strict';
// The end-to-end suite on a loaded machine: one CPU burner per core spins for as long as the suite
// runs, and the suite must pass `--runs` times in a row (default 3). A scenario whose outcome
// depends on how fast or busy the machine is fails here first.
//
//   node scripts/test-loaded.js [--runs N] [--burners N] [jest args...]
const { spawnSync } = require('child_process');
const os = require('os');
const { Worker } = require('worker_threads');

const args = process.argv.slice(2);
const take = (flag, fallback) => {
  const i = args.indexOf(flag);
  if (i < 0) return fallback;
  const [, value] = args.splice(i, 2);
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`${flag} must be a whole number of at least 1, got ${value}`);
    process.exit(1);
  }
  return n;
};
const runs = take('--runs', 3);
const burners = take('--burners', os.cpus().length);

// Each burner is a thread spinning on arithmetic: it takes a whole core whenever the scheduler gives it one.
const spin = 'let x = 0; for (;;) { x = (x * 1103515245 + 12345) % 2147483648; }';
const workers = Array.from({ length: burners }, () => new Worker(spin, { eval: true }));
console.log(`test:loaded: ${burners} CPU burner(s) on ${os.cpus().length} core(s); the e2e suite must pass ${runs} time(s) in a row`);

let code = 0;
for (let run = 1; run <= runs; run++) {
  const started = Date.now();
  const result = spawnSync('npx', ['jest', '--ci', '--coverage=false', 'test/e2e', ...args], { stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`test:loaded: run ${run} of ${runs} failed after ${seconds} s`);
    code = result.status || 1;
    break;
  }
  console.log(`test:loaded: run ${run} of ${runs} passed in ${seconds} s`);
}
Promise.all(workers.map((w) => w.terminate())).then(() => process.exit(code));
