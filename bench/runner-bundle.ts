import { spawnSync } from 'child_process';
import { statSync } from 'fs';
import * as path from 'path';
import { percentile } from './stats';
import { RunnerEnv } from '../src/shared/contract';

export interface RunnerBundleMeasurement {
  readonly bytes: number;
  readonly initMs: { readonly p50: number; readonly p90: number; readonly max: number };
}

/**
 * Loads the bundle in the child and prints how long `require` took: module initialisation
 * (reading, compiling and running the bundle's top-level code, SDK clients included), not
 * node's own startup, which is the same for every bundle.
 */
const TIME_REQUIRE = `
const before = performance.now();
require(process.argv[1]);
process.stdout.write(String(performance.now() - before));
`;

/** The variables the runners read, with placeholder values: loading must not touch AWS. */
const RUNNER_ENV: Record<string, string> = {
  AWS_REGION: 'us-east-1',
  [RunnerEnv.ACTIVITY_ARN]: 'arn:aws:states:us-east-1:111122223333:activity:bench',
  [RunnerEnv.TRACKING_TABLE]: 'bench-tracking',
  [RunnerEnv.PIPELINE_ID]: 'bench',
  [RunnerEnv.STATE_MACHINE_ARN]: 'arn:aws:states:us-east-1:111122223333:stateMachine:bench',
  [RunnerEnv.CHECK_INTERVAL_SECONDS]: '300',
};

/** Measure (d): a runner bundle's size on disk and its cold-load time, each sample in a fresh node process. */
export function measureRunnerBundle(bundleFile: string, samples = 20): RunnerBundleMeasurement {
  const initMs = Array.from({ length: samples }, () => timeRequire(bundleFile));
  return {
    bytes: statSync(bundleFile).size,
    initMs: { p50: percentile(initMs, 50), p90: percentile(initMs, 90), max: Math.max(...initMs) },
  };
}

function timeRequire(bundleFile: string): number {
  const child = spawnSync(process.execPath, ['-e', TIME_REQUIRE, path.resolve(bundleFile)], {
    env: { PATH: process.env.PATH, ...RUNNER_ENV },
    encoding: 'utf8',
  });
  const ms = Number(child.stdout);
  if (child.status !== 0 || !Number.isFinite(ms)) {
    throw new Error(`Loading ${bundleFile} failed (exit ${child.status}): ${child.stderr}`);
  }
  return ms;
}
