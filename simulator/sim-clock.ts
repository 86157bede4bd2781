/**
 * Simulated time that skips. It runs at real speed while anything is working (a runner
 * invocation, a stand-in answering a call, the harness itself) and jumps straight to the next
 * scheduled moment (a long poll's end, a Glue phase, a schedule tick, an event delivery, a
 * heartbeat or task timeout, a retry wait, a timer inside the runner) when everything waits.
 * The runner's own work therefore costs its real duration, never a multiple of it, and a
 * 20-minute pipeline takes as long as its runner invocations do.
 *
 * Who is working is known from two sources:
 * - holds: the harness's own work in flight (`hold()`), released when it is done or is only
 *   waiting for simulated time (a long poll with nothing to hand out, an emulated latency);
 * - participants: the runner containers, which report from inside their processes when they
 *   are idle and which timers they wait for (see `runner-host.js`), and hear of every jump
 *   before anything that happens after it reaches them.
 *
 * Timers fire in the order of their moments, and in the order they were set at the same moment;
 * a timer never fires before the clock reads its moment.
 */
export class SimClock {
  /** Simulated time 0 as a date: 2026-01-01T00:00:00Z. */
  public static readonly EPOCH_MS = Date.UTC(2026, 0, 1);

  /** Simulated seconds at the real moment `baseReal` (ms, Date.now()). */
  private baseSim = 0;
  private baseReal = Date.now();
  private readonly timers: SimTimer[] = [];
  private nextTimerId = 1;
  private driver?: NodeJS.Timeout;
  private readonly holds = new Map<number, Hold>();
  private nextHoldId = 1;
  private readonly participants = new Set<ClockParticipant>();
  /** Bumped by every change that could end quiescence; a skip is abandoned if it moved. */
  private generation = 0;
  private skipQueued = false;
  private jumping = false;
  private disposed = false;
  /** How many times time jumped, and by how many simulated seconds in all. */
  public readonly stats = { jumps: 0, skippedSeconds: 0 };

  /** Simulated seconds since the clock started. */
  public now(): number {
    return this.baseSim + (Date.now() - this.baseReal) / 1000;
  }

  /** Epoch seconds of a simulated time (seconds since the clock started). */
  public epochSeconds(simSeconds: number): number {
    return SimClock.EPOCH_MS / 1000 + simSeconds;
  }

  /** The time base processes that keep their own clock follow: `simEpochMs` at real `realEpochMs`. */
  public base(): TimeBase {
    return { simEpochMs: SimClock.EPOCH_MS + this.baseSim * 1000, realEpochMs: this.baseReal };
  }

  /** Calls `fn` once the clock reads `atSeconds` (at once, on a later turn, if it already does). */
  public at(atSeconds: number, fn: () => void): SimTimer {
    const timer = new SimTimer(this, this.nextTimerId++, atSeconds, fn);
    // Keep the list sorted by moment, then by the order timers were set.
    let i = this.timers.length;
    while (i > 0 && this.timers[i - 1].at > atSeconds) {
      i--;
    }
    this.timers.splice(i, 0, timer);
    this.changed();
    return timer;
  }

  /** Calls `fn` after `seconds` of simulated time. */
  public after(seconds: number, fn: () => void): SimTimer {
    return this.at(this.now() + Math.max(0, seconds), fn);
  }

  /** Calls `fn` every `seconds`, the first time `seconds` from now, until the timer is cancelled. */
  public every(seconds: number, fn: () => void): Cancellable {
    if (!(seconds > 0)) {
      throw new Error(`an interval must be positive, got ${seconds}`);
    }
    let current: SimTimer;
    const arm = (at: number) => {
      current = this.at(at, () => {
        arm(at + seconds);
        fn();
      });
    };
    arm(this.now() + seconds);
    return { cancel: () => current.cancel() };
  }

  /** Resolves after `seconds` of simulated time. */
  public sleep(seconds: number): Promise<void> {
    return new Promise((resolve) => this.after(seconds, resolve));
  }

  /**
   * Marks work in progress: time does not jump until it is released. `pause()` lets time jump
   * while the work only waits for simulated time; `resume()` takes it back.
   */
  public hold(label: string): Hold {
    const hold = new Hold(this, this.nextHoldId++, label);
    this.holds.set(hold.id, hold);
    this.changed();
    return hold;
  }

  /** A hold still in force, by its id (a stand-in finds the hold of the call it serves). */
  public findHold(id: number): Hold | undefined {
    return this.holds.get(id);
  }

  /** A party that keeps its own clock (a runner container); see `ClockParticipant`. */
  public join(participant: ClockParticipant): () => void {
    this.participants.add(participant);
    this.changed();
    return () => {
      this.participants.delete(participant);
      this.changed();
    };
  }

  /**
   * Something changed (a hold, a participant's report, a timer): fire what is due, and look for
   * a chance to skip once the event loop has drained.
   */
  public changed(): void {
    if (this.disposed) {
      return;
    }
    this.generation++;
    this.armDriver();
    this.queueSkip();
  }

  /** Cancels every timer; the clock schedules nothing more. */
  public dispose(): void {
    this.disposed = true;
    this.timers.splice(0);
    clearTimeout(this.driver);
  }

  /** @internal */
  public cancelTimer(timer: SimTimer): void {
    const i = this.timers.indexOf(timer);
    if (i >= 0) {
      this.timers.splice(i, 1);
      this.armDriver();
    }
  }

  /** @internal */
  public releaseHold(hold: Hold): void {
    if (this.holds.delete(hold.id)) {
      this.changed();
    }
  }

  /** Real time: one real timer for the earliest moment, so time runs on while something works. */
  private armDriver() {
    clearTimeout(this.driver);
    this.driver = undefined;
    const first = this.timers[0];
    if (!first || this.disposed) {
      return;
    }
    const waitMs = Math.max(0, (first.at - this.now()) * 1000);
    this.driver = setTimeout(() => this.fireDue(), Math.ceil(waitMs));
    // The clock alone never keeps a process alive; servers and containers do while a simulation runs.
    this.driver.unref();
  }

  private fireDue() {
    this.driver = undefined;
    const now = this.now();
    const due: SimTimer[] = [];
    while (this.timers.length > 0 && this.timers[0].at <= now) {
      due.push(this.timers.shift()!);
    }
    for (const timer of due) {
      timer.fire();
    }
    this.changed();
  }

  private queueSkip() {
    if (this.skipQueued || this.jumping) {
      return;
    }
    this.skipQueued = true;
    const seen = this.generation;
    // Two turns of the event loop: whatever the last change set off (promise chains, I/O already
    // read) runs first; a change meanwhile starts the wait over.
    setImmediate(() => setImmediate(() => {
      this.skipQueued = false;
      if (this.generation !== seen) {
        this.queueSkip();
        return;
      }
      void this.trySkip();
    }));
  }

  private quiescent(): boolean {
    for (const hold of this.holds.values()) {
      if (!hold.paused) {
        return false;
      }
    }
    for (const participant of this.participants) {
      if (!participant.quiescent()) {
        return false;
      }
    }
    return true;
  }

  /** Everything waits: jump to the next scheduled moment, tell the participants, fire what is due. */
  private async trySkip() {
    if (this.disposed || this.jumping || !this.quiescent()) {
      return;
    }
    const moments = [this.timers[0]?.at, ...[...this.participants].map((p) => p.nextDue())]
      .filter((t): t is number => t !== undefined);
    if (moments.length === 0) {
      return;
    }
    const next = Math.min(...moments);
    const now = this.now();
    if (next <= now) {
      this.fireDue();
      return;
    }
    this.jumping = true;
    try {
      this.stats.jumps++;
      this.stats.skippedSeconds += next - now;
      this.baseSim = next;
      this.baseReal = Date.now();
      const base = this.base();
      await Promise.all([...this.participants].map((p) => p.jumped(base)));
    } finally {
      this.jumping = false;
    }
    this.fireDue();
  }
}

/** The base of a clock kept in another process: simulated epoch ms at a real epoch ms. */
export interface TimeBase {
  readonly simEpochMs: number;
  readonly realEpochMs: number;
}

/** A party with a clock of its own (a runner container in its own process). */
export interface ClockParticipant {
  readonly label: string;
  /** True when it is doing nothing but waiting: for a stand-in's answer, or for its own timers. */
  quiescent(): boolean;
  /** Its earliest timer, in simulated seconds, if it waits for one. */
  nextDue(): number | undefined;
  /** Time jumped: resolves once the participant follows `base` (before anything after the jump reaches it). */
  jumped(base: TimeBase): Promise<void>;
}

export interface Cancellable {
  cancel(): void;
}

/** A scheduled call; `cancel()` stops it if it has not fired. */
export class SimTimer implements Cancellable {
  private done = false;

  constructor(private readonly clock: SimClock, public readonly id: number, public readonly at: number, private readonly fn: () => void) {}

  public cancel(): void {
    if (!this.done) {
      this.done = true;
      this.clock.cancelTimer(this);
    }
  }

  /** @internal */
  public fire(): void {
    if (this.done) {
      return;
    }
    this.done = true;
    this.fn();
  }
}

/** Work in progress that keeps time from jumping. */
export class Hold {
  public paused = false;
  private released = false;

  constructor(private readonly clock: SimClock, public readonly id: number, public readonly label: string) {}

  /** The work now only waits for simulated time (or for others' work): time may jump. */
  public pause(): void {
    if (!this.released && !this.paused) {
      this.paused = true;
      this.clock.changed();
    }
  }

  /** The work goes on: time may not jump. */
  public resume(): void {
    if (!this.released && this.paused) {
      this.paused = false;
      this.clock.changed();
    }
  }

  public release(): void {
    if (!this.released) {
      this.released = true;
      this.clock.releaseHold(this);
    }
  }
}
