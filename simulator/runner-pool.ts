import { ChildProcess, fork } from 'child_process';
import * as path from 'path';
import { createInterface } from 'readline';
import { ClockParticipant, SimClock, TimeBase } from './sim-clock';

export interface Invocation {
  readonly requestId: string;
  readonly startedAt: number;
  endedAt?: number;
  ok?: boolean;
  result?: unknown;
  error?: string;
  /** Killed at its timeout, as Lambda does. */
  timedOut?: boolean;
  /** Its container died (a crash, injected by a fault). */
  crashed?: boolean;
  /** Refused because every container was busy (TooManyRequestsException); it never ran. */
  throttled?: boolean;
}

/**
 * How Lambda retries an asynchronous invocation (EventBridge's, the schedule's) that it
 * throttled: the event goes back to Lambda's queue and is tried again after a wait that grows
 * exponentially from 1 s to at most 5 minutes, until the event is older than the maximum event
 * age (6 hours by default), when it is dropped. Lambda documents no jitter and no order, and
 * says only that a long queue lengthens the waits; this model waits exactly 1, 2, 4, ... s.
 * See docs/aws-assumptions.md.
 */
export interface AsyncRetry {
  /** Simulated seconds before the first retry. @default 1 */
  readonly firstDelaySeconds?: number;
  /** Longest wait between two attempts. @default 300 */
  readonly maxDelaySeconds?: number;
  /** An event this old (simulated seconds since its first attempt) is dropped. @default 21600 */
  readonly maxEventAgeSeconds?: number;
}

/** What became of one asynchronous event: every attempt, the last of which ran it unless it was dropped. */
export interface AsyncDelivery {
  readonly attempts: Invocation[];
  /** True when the event grew older than the maximum event age before a container was free. */
  readonly dropped: boolean;
}

export interface RunnerPoolOptions {
  readonly assetDir: string;
  readonly env: Record<string, string>;
  readonly clock: SimClock;
  readonly timeoutSeconds: number;
  /** Containers that may run at once (Lambda concurrency). */
  readonly maxContainers?: number;
  /** How `invokeAsync` retries a throttled event. @default Lambda's documented schedule (see AsyncRetry) */
  readonly asyncRetry?: AsyncRetry;
}

/** What a container last said of itself when it fell idle (see runner-host.js). */
interface IdleReport {
  readonly timeSeq: number;
  readonly invokes: number;
  readonly started: number;
  readonly ended: number;
  readonly nextDueSimEpochMs?: number;
}

interface Container {
  readonly id: string;
  readonly child: ChildProcess;
  /** Resolves true once the asset is loaded, false if the process died first. */
  readonly ready: Promise<boolean>;
  busy: boolean;
  invokes: number;
  timeSeq: number;
  /** Calls from this container that reached a stand-in, and those answered or dropped. */
  arrived: number;
  answered: number;
  report?: IdleReport;
  readonly acks: Map<number, () => void>;
}

/**
 * Lambda for the runner: a pool of warm containers (plain node processes running the bundled
 * asset). An invocation takes an idle container or starts a new one; one that outlives the
 * function timeout is killed. Every log line the runner writes is kept in `logs`, and each of
 * its metric lines (embedded metric format) in `metrics` too, parsed.
 *
 * The pool is the clock's participant for its containers: a busy container holds time back
 * until it reports that it only waits (for calls the stand-ins hold, or for its own timers),
 * and hears of every jump before the stand-ins answer anything after it.
 */
export class RunnerPool implements ClockParticipant {
  public readonly label = 'runner containers';
  public readonly invocations: Invocation[] = [];
  public readonly logs: string[] = [];
  /** The same lines, each with the container that wrote it: a container runs one invocation at a time. */
  public readonly linesByContainer: Array<{ readonly container: string; readonly line: string }> = [];
  /** The runner's EMF lines, in the order written, with the simulated time each was read at. */
  public readonly metrics: MetricLine[] = [];
  /** Most invocations running at once so far. */
  public peakConcurrency = 0;
  /** Asynchronous events throttled and waiting for a retry now, and the most at once so far. */
  public asyncWaiting = 0;
  public peakAsyncWaiting = 0;
  /** Asynchronous events dropped at the maximum event age. */
  public asyncDropped = 0;
  private readonly containers: Container[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private next = 1;
  private nextContainer = 1;
  private readonly leaveClock: () => void;

  constructor(private readonly options: RunnerPoolOptions) {
    this.leaveClock = options.clock.join(this);
  }

  /** Runs one invocation; resolves when it ends (never rejects). */
  public invoke(event: unknown = {}): Promise<Invocation> {
    const running = this.run(event);
    this.inFlight.add(running);
    void running.finally(() => this.inFlight.delete(running));
    return running;
  }

  /**
   * An asynchronous invocation, as EventBridge makes: when every container is busy the attempt
   * is throttled and the event retried on Lambda's schedule (`asyncRetry`) instead of lost, as
   * `invoke` loses it. Resolves once the event ran or was dropped (never rejects); `settle()`
   * waits for events waiting for a retry too.
   */
  public invokeAsync(event: unknown = {}): Promise<AsyncDelivery> {
    const delivery = this.deliver(event);
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
    return delivery;
  }

  /** Resolves when every invocation running now has ended, and every asynchronous event waiting for a retry has run or been dropped. */
  public async settle(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  /** A call from container `id` reached a stand-in. */
  public callArrived(id: string): void {
    const container = this.byId(id);
    if (container) {
      container.arrived++;
      this.options.clock.changed();
    }
  }

  /** A call from container `id` was answered (or dropped). */
  public callAnswered(id: string): void {
    const container = this.byId(id);
    if (container) {
      container.answered++;
      this.options.clock.changed();
    }
  }

  public quiescent(): boolean {
    return this.containers.every((c) => !c.busy || this.waiting(c));
  }

  public nextDue(): number | undefined {
    const dues = this.containers.filter((c) => c.busy && c.report?.nextDueSimEpochMs !== undefined)
      .map((c) => (c.report!.nextDueSimEpochMs! - SimClock.EPOCH_MS) / 1000);
    return dues.length > 0 ? Math.min(...dues) : undefined;
  }

  public jumped(base: TimeBase): Promise<void> {
    return Promise.all(this.containers.filter((c) => c.busy).map((c) => this.sendTime(c, base))).then(() => undefined);
  }

  private waiting(c: Container): boolean {
    const r = c.report;
    return r !== undefined && r.timeSeq === c.timeSeq && r.invokes === c.invokes && r.started === c.arrived && r.ended === c.answered;
  }

  private sendTime(c: Container, base: TimeBase): Promise<void> {
    const timeSeq = ++c.timeSeq;
    return new Promise<void>((resolve) => {
      if (!c.child.connected) {
        resolve();
        return;
      }
      c.acks.set(timeSeq, resolve);
      c.child.send({ type: 'time', timeSeq, base }, (err) => err && resolve());
    });
  }

  private async deliver(event: unknown): Promise<AsyncDelivery> {
    const { clock } = this.options;
    const retry = this.options.asyncRetry ?? {};
    const firstDelay = retry.firstDelaySeconds ?? 1;
    const maxDelay = retry.maxDelaySeconds ?? 300;
    const maxAge = retry.maxEventAgeSeconds ?? 6 * 3600;
    const arrived = clock.now();
    const attempts: Invocation[] = [];
    for (let delay = firstDelay; ; delay = Math.min(delay * 2, maxDelay)) {
      const attempt = await this.run(event);
      attempts.push(attempt);
      if (!attempt.throttled) {
        return { attempts, dropped: false };
      }
      if (clock.now() + delay - arrived > maxAge) {
        this.asyncDropped++;
        return { attempts, dropped: true };
      }
      this.asyncWaiting++;
      this.peakAsyncWaiting = Math.max(this.peakAsyncWaiting, this.asyncWaiting);
      await clock.sleep(delay);
      this.asyncWaiting--;
    }
  }

  private async run(event: unknown): Promise<Invocation> {
    const { clock } = this.options;
    const invocation: Invocation = { requestId: `req-${this.next++}`, startedAt: clock.now() };
    this.invocations.push(invocation);
    const container = this.idleContainer();
    if (!container) {
      invocation.ok = false;
      invocation.throttled = true;
      invocation.error = 'TooManyRequestsException: every container is busy';
      invocation.endedAt = invocation.startedAt;
      return invocation;
    }
    container.busy = true;
    this.peakConcurrency = Math.max(this.peakConcurrency, this.containers.filter((c) => c.busy).length);
    clock.changed();
    try {
      if (!await container.ready) {
        invocation.crashed = true;
        invocation.ok = false;
        invocation.error = 'Runtime.ExitError: the container died before its runtime was ready';
        return invocation;
      }
      await new Promise<void>((resolve) => {
        const deadline = clock.now() + this.options.timeoutSeconds;
        const timer = clock.at(deadline, () => {
          invocation.timedOut = true;
          invocation.ok = false;
          invocation.error = `Task timed out after ${this.options.timeoutSeconds} seconds`;
          container.child.off('message', onMessage);
          container.child.off('exit', onExit);
          this.remove(container);
          container.child.kill('SIGKILL');
          resolve();
        });
        const onExit = () => {
          timer.cancel();
          container.child.off('message', onMessage);
          invocation.crashed = true;
          invocation.ok = false;
          invocation.error = 'Runtime.ExitError: the container died';
          resolve();
        };
        const onMessage = (msg: { type: string; requestId?: string; ok?: boolean; result?: unknown; error?: string }) => {
          if (msg.type === 'result' && msg.requestId === invocation.requestId) {
            timer.cancel();
            container.child.off('message', onMessage);
            container.child.off('exit', onExit);
            invocation.ok = msg.ok;
            invocation.result = msg.result;
            invocation.error = msg.error;
            resolve();
          }
        };
        container.child.on('message', onMessage);
        container.child.once('exit', onExit);
        container.invokes++;
        container.child.send({
          type: 'invoke',
          requestId: invocation.requestId,
          event,
          base: clock.base(),
          timeSeq: container.timeSeq,
          deadlineSimEpochMs: clock.epochSeconds(deadline) * 1000,
        }, (err) => err && onExit());
      });
    } finally {
      container.busy = false;
      invocation.endedAt = clock.now();
      clock.changed();
    }
    return invocation;
  }

  /** Kills one container at once, as a crash would; its invocation ends without a result. */
  public kill(id: string): void {
    const container = this.byId(id);
    if (container) {
      this.remove(container);
      container.child.kill('SIGKILL');
    }
  }

  /** Kills every container and waits until they are gone. */
  public async stop(): Promise<void> {
    this.leaveClock();
    await Promise.all(this.containers.splice(0).map((c) => new Promise<void>((resolve) => {
      if (c.child.exitCode !== null || c.child.signalCode !== null) {
        resolve();
        return;
      }
      c.child.once('exit', () => resolve());
      c.child.kill('SIGKILL');
    })));
  }

  private byId(id: string): Container | undefined {
    return this.containers.find((c) => c.id === id);
  }

  private idleContainer(): Container | undefined {
    const idle = this.containers.find((c) => !c.busy);
    if (idle) {
      return idle;
    }
    if (this.containers.length >= (this.options.maxContainers ?? 3)) {
      return undefined;
    }
    const base = this.options.clock.base();
    const id = `container-${this.nextContainer++}`;
    const child = fork(path.join(__dirname, 'runner-host.js'), [this.options.assetDir, String(base.simEpochMs), String(base.realEpochMs)], {
      // The SDK adds `app/<id>` to its user agent: the fault proxies tell containers apart by it.
      env: { ...this.options.env, NODE_NO_WARNINGS: '1', AWS_SDK_UA_APP_ID: id },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      execArgv: [],
    });
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        this.logs.push(line);
        this.linesByContainer.push({ container: id, line });
        const metric = emfDocument(line);
        if (metric !== undefined) {
          this.metrics.push({ at: this.options.clock.now(), line: metric });
        }
      });
    }
    const ready = new Promise<boolean>((resolve) => {
      child.once('message', () => resolve(true));
      child.once('exit', () => resolve(false));
    });
    const container: Container = { id, child, ready, busy: false, invokes: 0, timeSeq: 0, arrived: 0, answered: 0, acks: new Map() };
    child.on('message', (msg: { type: string; timeSeq?: number } & Partial<IdleReport>) => {
      if (msg.type === 'idle') {
        container.report = msg as IdleReport;
        this.options.clock.changed();
      } else if (msg.type === 'time-ack') {
        container.acks.get(msg.timeSeq!)?.();
        container.acks.delete(msg.timeSeq!);
      }
    });
    child.once('exit', () => {
      this.remove(container);
      container.acks.forEach((resolve) => resolve());
      container.acks.clear();
    });
    this.containers.push(container);
    return container;
  }

  private remove(container: Container) {
    const i = this.containers.indexOf(container);
    if (i >= 0) {
      this.containers.splice(i, 1);
      this.options.clock.changed();
    }
  }
}

/** One metric line the runner wrote: an embedded metric format document. */
export interface MetricLine {
  /** Simulated seconds (the clock's `now()`) when the line was read. */
  readonly at: number;
  /** The document: `_aws` metadata, dimension values, metric values, properties. */
  readonly line: EmfDocument;
}

/** One metric directive of an EMF document. */
export interface EmfDirective {
  readonly Namespace: string;
  readonly Dimensions: string[][];
  readonly Metrics: { Name: string; Unit?: string }[];
}

export interface EmfDocument {
  readonly _aws: { readonly Timestamp: number; readonly CloudWatchMetrics: readonly EmfDirective[] };
  readonly [member: string]: unknown;
}

/** The EMF document a log line is, if it is one: a JSON object alone on the line, with `_aws`. */
export function emfDocument(line: string): EmfDocument | undefined {
  if (!line.startsWith('{')) {
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(line);
    return parsed !== null && typeof parsed === 'object' && '_aws' in parsed ? parsed as EmfDocument : undefined;
  } catch {
    return undefined;
  }
}
