import { SimClock, SimTimer } from '../sim-clock';

/**
 * The timers behind the Glue fakes' end announcements (a run or a crawl reaching its final
 * state), all cancelled by one `dispose`, so a fake that is disposed announces nothing more.
 */
export class EndTimers {
  private readonly timers = new Set<SimTimer>();

  constructor(private readonly clock: SimClock) {}

  /**
   * Calls `due` once the clock reads `endAt`. `due` answers false when what it announces is not
   * over then: its end moved later (a stop sets a later end, with a timer of its own).
   */
  public at(endAt: number, due: () => boolean): void {
    const timer = this.clock.at(endAt, () => {
      this.timers.delete(timer);
      due();
    });
    this.timers.add(timer);
  }

  /** Cancels the announcements still to come. */
  public dispose(): void {
    this.timers.forEach((t) => t.cancel());
    this.timers.clear();
  }
}

/** Whether two simulated times are the same instant: an end announced is still the run's end. */
export function sameTime(a: number, b: number): boolean {
  return Math.abs(a - b) < 1e-6;
}
