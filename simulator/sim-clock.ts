import { performance } from 'perf_hooks';

/**
 * Compressed time. Everything the pipeline measures in seconds (schedule, heartbeats, timeouts,
 * Glue run durations, the Lambda deadline) passes `realMsPerSimSecond` real milliseconds per
 * simulated second, so an hour-long pipeline runs in seconds.
 */
export class SimClock {
  private readonly origin = performance.now();

  constructor(public readonly realMsPerSimSecond: number) {
    if (!(realMsPerSimSecond > 0)) {
      throw new Error(`realMsPerSimSecond must be positive, got ${realMsPerSimSecond}`);
    }
  }

  /** Simulated seconds since the clock started. */
  public now(): number {
    return (performance.now() - this.origin) / this.realMsPerSimSecond;
  }

  /** Real milliseconds that `simSeconds` take. */
  public realMs(simSeconds: number): number {
    return simSeconds * this.realMsPerSimSecond;
  }

  public sleep(simSeconds: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, this.realMs(simSeconds)));
  }
}
