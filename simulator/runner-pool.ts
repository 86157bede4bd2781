import { ChildProcess, fork } from 'child_process';
import * as path from 'path';
import { createInterface } from 'readline';
import { SimClock } from './sim-clock';

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
}

export interface RunnerPoolOptions {
  readonly assetDir: string;
  readonly env: Record<string, string>;
  readonly clock: SimClock;
  readonly timeoutSeconds: number;
  /** Containers that may run at once (Lambda concurrency). */
  readonly maxContainers?: number;
}

interface Container {
  readonly id: string;
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  busy: boolean;
}

/**
 * Lambda for the runner: a pool of warm containers (plain node processes running the bundled
 * asset). An invocation takes an idle container or starts a new one; one that outlives the
 * function timeout is killed. Every log line the runner writes is kept in `logs`.
 */
export class RunnerPool {
  public readonly invocations: Invocation[] = [];
  public readonly logs: string[] = [];
  private readonly containers: Container[] = [];
  private readonly inFlight = new Set<Promise<Invocation>>();
  private next = 1;
  private nextContainer = 1;

  constructor(private readonly options: RunnerPoolOptions) {}

  /** Runs one invocation; resolves when it ends (never rejects). */
  public invoke(event: unknown = {}): Promise<Invocation> {
    const running = this.run(event);
    this.inFlight.add(running);
    void running.finally(() => this.inFlight.delete(running));
    return running;
  }

  /** Resolves when every invocation running now has ended. */
  public async settle(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  private async run(event: unknown): Promise<Invocation> {
    const invocation: Invocation = { requestId: `req-${this.next++}`, startedAt: this.options.clock.now() };
    this.invocations.push(invocation);
    const container = this.idleContainer();
    if (!container) {
      invocation.ok = false;
      invocation.error = 'TooManyRequestsException: every container is busy';
      invocation.endedAt = invocation.startedAt;
      return invocation;
    }
    container.busy = true;
    try {
      await container.ready;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          invocation.timedOut = true;
          invocation.ok = false;
          invocation.error = `Task timed out after ${this.options.timeoutSeconds} seconds`;
          this.remove(container);
          container.child.kill('SIGKILL');
          resolve();
        }, this.options.clock.realMs(this.options.timeoutSeconds) + 50);
        const onExit = () => {
          clearTimeout(timer);
          container.child.off('message', onMessage);
          if (!invocation.timedOut) {
            invocation.crashed = true;
            invocation.ok = false;
            invocation.error = 'Runtime.ExitError: the container died';
          }
          resolve();
        };
        const onMessage = (msg: { type: string; requestId?: string; ok?: boolean; result?: unknown; error?: string }) => {
          if (msg.type === 'result' && msg.requestId === invocation.requestId) {
            clearTimeout(timer);
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
        container.child.send({ type: 'invoke', requestId: invocation.requestId, event, timeoutSeconds: this.options.timeoutSeconds });
      });
    } finally {
      container.busy = false;
      invocation.endedAt = this.options.clock.now();
    }
    return invocation;
  }

  /** Kills one container at once, as a crash would; its invocation ends without a result. */
  public kill(id: string): void {
    const container = this.containers.find((c) => c.id === id);
    if (container) {
      this.remove(container);
      container.child.kill('SIGKILL');
    }
  }

  /** Kills every container and waits until they are gone. */
  public async stop(): Promise<void> {
    await Promise.all(this.containers.splice(0).map((c) => new Promise<void>((resolve) => {
      if (c.child.exitCode !== null || c.child.signalCode !== null) {
        resolve();
        return;
      }
      c.child.once('exit', () => resolve());
      c.child.kill('SIGKILL');
    })));
  }

  private idleContainer(): Container | undefined {
    const idle = this.containers.find((c) => !c.busy);
    if (idle) {
      return idle;
    }
    if (this.containers.length >= (this.options.maxContainers ?? 3)) {
      return undefined;
    }
    const { clock } = this.options;
    const id = `container-${this.nextContainer++}`;
    const args = [this.options.assetDir, String(clock.realMsPerSimSecond), String(SimClock.EPOCH_MS), String(clock.realOriginEpochMs)];
    const child = fork(path.join(__dirname, 'runner-host.js'), args, {
      // The SDK adds `app/<id>` to its user agent: the fault proxies tell containers apart by it.
      env: { ...this.options.env, NODE_NO_WARNINGS: '1', AWS_SDK_UA_APP_ID: id },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      execArgv: [],
    });
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => this.logs.push(line));
    }
    const ready = new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`runner container exited with ${code} before it was ready`)));
    });
    const container: Container = { id, child, ready, busy: false };
    child.once('exit', () => this.remove(container));
    this.containers.push(container);
    return container;
  }

  private remove(container: Container) {
    const i = this.containers.indexOf(container);
    if (i >= 0) {
      this.containers.splice(i, 1);
    }
  }
}
