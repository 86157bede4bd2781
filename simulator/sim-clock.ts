import { performance } from 'perf_hooks';

/**
 * Compressed time. Everything the pipeline measures in seconds (schedule, heartbeats, timeouts,
 * Glue run durations, the Lambda deadline) passes `realMsPerSimSecond` real milliseconds per
 * simulated second, so an hour-long pipeline runs in seconds.
 */
export class SimClock {
  /** Simulated time 0 as a date: 2026-01-01T00:00:00Z. */
  public static readonly EPOCH_MS = Date.UTC(2026, 0, 1);

  private readonly origin = performance.now();
  /** Wall-clock time (epoch ms) at simulated time 0, for processes that keep their own clock. */
  public readonly realOriginEpochMs = Date.now();

  constructor(public readonly realMsPerSimSecond: number) {
    if (!(realMsPerSimSecond > 0)) {
      throw new Error(`realMsPerSimSecond must be positive, got ${realMsPerSimSecond}`);
    }
  }

  /** Simulated seconds since the clock started. */
  public now(): number {
    return (performance.now() - this.origin) / this.realMsPerSimSecond;
  }

  /** Epoch seconds of a simulated time (seconds since the clock started). */
  public epochSeconds(simSeconds: number): number {
    return SimClock.EPOCH_MS / 1000 + simSeconds;
  }

  /** Real milliseconds that `simSeconds` take. */
  public realMs(simSeconds: number): number {
    return simSeconds * this.realMsPerSimSecond;
  }

  public sleep(simSeconds: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, this.realMs(simSeconds)));
  }
}
