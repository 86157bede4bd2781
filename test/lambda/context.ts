/**
 * A RunnerContext for the phase tests: the shared config, a store on the test table, a fixed
 * clock at NOW and ten minutes left unless told otherwise.
 */
import { config, NOW, PIPELINE_ID, TABLE_NAME } from './fixtures';
import { RunnerContext, runnerContext } from '../../src/lambda/entry/runner-context';
import { TrackingStore } from '../../src/lambda/store/tracking-store';

export interface TestContextOptions {
  readonly withMail?: boolean;
  readonly remainingMs?: () => number;
  /** Epoch ms the clock reads; NOW unless told. */
  readonly now?: number;
}

export function testContext(options: TestContextOptions = {}): RunnerContext {
  const now = options.now ?? NOW.getTime();
  return runnerContext(
    config(options.withMail ?? true),
    new TrackingStore(TABLE_NAME, PIPELINE_ID),
    options.remainingMs ?? (() => 600_000),
    () => now,
  );
}

/** The lease a testContext() with default options takes: NOW + 10 min left + the 30 s margin. */
export const TEST_LEASE_UNTIL = NOW.getTime() + 600_000 + 30_000;
