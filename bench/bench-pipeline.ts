import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { GlueJob, GlueOrchestratedPipeline, PipelineStep } from '../src';

/** The check interval every benchmark pipeline runs with: the schedule period of schedule-only mode. */
export const BENCH_CHECK_INTERVAL = Duration.minutes(1);

/** Glue job name of step `i` (0-based). */
export const benchJob = (i: number) => `bench-job-${i}`;

/**
 * Synthesizes a stack with one pipeline of `steps` steps, step i running `benchJob(i)`, into a
 * fresh cloud assembly, and returns its template file, as `cdk synth` would.
 */
export function synthesizeBenchPipeline(steps: number): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gop-bench-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'BenchStack', { env: { account: '123456789012', region: 'us-east-1' } });
  new GlueOrchestratedPipeline(stack, 'Pipeline', {
    checkInterval: BENCH_CHECK_INTERVAL,
    steps: Array.from({ length: steps }, (_, i) => PipelineStep.glueJob({ stepName: `step${i}`, job: GlueJob.fromName(benchJob(i)) })),
  });
  app.synth();
  return path.join(outdir, 'BenchStack.template.json');
}

/** A small deterministic generator (a linear congruential one), so every mode sees the same run durations. */
export function seededRandom(seed: number): () => number {
  const modulus = 2 ** 31;
  let state = seed % modulus;
  return () => {
    state = (state * 1103515245 + 12345) % modulus;
    return state / modulus;
  };
}
