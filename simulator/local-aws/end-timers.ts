import { SimClock } from '../sim-clock';

/**
 * The timers behind the Glue fakes' end announcements (a run or a crawl reaching its final
 * state). They count in simulated time, never keep a process alive, and are all cancelled by one
 * `dispose`, so a fake that is dropped or disposed announces nothing more.
 */
export class EndTimers {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly clock: SimClock) {}

  /**
   * Calls `due` once the clock reads `endAt`. `due` answers false when what it announces is not
   * over yet: a timer may fire a little before the clock reads `endAt`, or the end may have moved
   * later (a stop sets a later end with a timer of its own). The timer then waits on, until a
   * simulated second past `endAt`, and gives up.
   */
  public at(endAt: number, due: () => boolean): void {
    const arm = () => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (!due() && this.clock.now() < endAt + 1) {
          arm();
        }
      }, Math.max(1, this.clock.realMs(endAt - this.clock.now()) + 1));
      // An announcement alone never keeps a process alive (a test that drops the fake, say).
      timer.unref();
      this.timers.add(timer);
    };
    arm();
  }

  /** Cancels the announcements still to come. */
  public dispose(): void {
    this.timers.forEach(clearTimeout);
    this.timers.clear();
  }
}

/** Whether two simulated times are the same instant: an end announced is still the run's end. */
export function sameTime(a: number, b: number): boolean {
  return Math.abs(a - b) < 1e-6;
}
