import { createServer, IncomingMessage, request, Server, ServerResponse } from 'http';
import { closeServer, listenOnLoopback, readBody } from './local-http';
import { SimClock } from '../sim-clock';

/** The header that names a call's hold to the stand-in behind the proxy. */
export const HOLD_HEADER = 'x-sim-hold';

export type ServiceName = 'sfn' | 'glue' | 'dynamodb' | 'ses' | 'events';

/** One AWS call on its way from a runner container to a stand-in. */
export interface Call {
  readonly service: ServiceName;
  /** Operation name, e.g. `PutItem`, `StartJobRun`, `SendTaskSuccess`, `SendEmail`. */
  readonly op: string;
  readonly body: string;
  /** The runner container that made the call (`AWS_SDK_UA_APP_ID`), when known. */
  readonly container?: string;
}

/** What a fault does to a call. */
export type FaultAction =
  /** The calling container dies before the call reaches the service. */
  | { readonly kind: 'kill-caller' }
  /** The call reaches the service, and the container dies before it hears the answer. */
  | { readonly kind: 'kill-caller-after' }
  /** The service answers with this error instead (e.g. ThrottlingException, status 400). */
  | { readonly kind: 'error'; readonly type: string; readonly status?: number; readonly message?: string }
  /** The call is held this many simulated seconds before it goes on. */
  | { readonly kind: 'delay'; readonly seconds: number }
  /**
   * The call takes effect at the service, and the caller gets this error instead of the answer
   * (e.g. InternalServiceException, status 500): a reply lost on its way back.
   */
  | { readonly kind: 'error-after'; readonly type: string; readonly status?: number }
  /** The call takes effect at the service, and the connection drops before the answer reaches the caller. */
  | { readonly kind: 'drop-after' };

export interface Fault {
  readonly service: ServiceName;
  readonly op: string;
  readonly action: FaultAction;
  /** Only calls this accepts. */
  readonly when?: (call: Call) => boolean;
  /** How many calls it hits before it is spent. @default 1 */
  times?: number;
}

export interface FaultHooks {
  /** Kills a runner container by its id. */
  readonly killContainer: (id: string) => void;
  /** A call from a runner container reached the proxy. */
  readonly callArrived?: (container: string) => void;
  /** A call from a runner container was answered, or dropped. */
  readonly callAnswered?: (container: string) => void;
  /** Simulated seconds every call is held before it goes on: emulated network and service latency. */
  readonly latencySeconds?: () => number;
}

/**
 * A proxy in front of one stand-in. It stamps every answer with the simulation's time (the
 * runner's clock runs on simulated time, and the SDK would otherwise "correct" the skew), and
 * applies injected faults: kill the calling container before or after the call, answer with an
 * error, or hold the call.
 *
 * Every call holds the clock from its arrival to its answer, but for the time it only waits:
 * an emulated latency or a delay, or a wait the stand-in declares (a long poll with nothing to
 * hand out), for which the stand-in finds the call's hold by the `x-sim-hold` header.
 */
export class FaultProxy {
  public readonly hits: Array<Call & { fault: FaultAction['kind'] }> = [];
  /** Every call that reached the proxy, with the simulated time it arrived. */
  public readonly calls: Array<Call & { at: number }> = [];
  private server?: Server;
  /** Where the proxy listens, once started. */
  public url = '';

  constructor(
    private readonly service: ServiceName,
    private readonly target: string,
    private readonly clock: SimClock,
    private readonly faults: Fault[],
    private readonly hooks: FaultHooks,
  ) {}

  public async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 120_000;
    this.url = await listenOnLoopback(this.server);
    return this.url;
  }

  public stop(): Promise<void> {
    return closeServer(this.server);
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const container = containerOf(req);
    const hold = this.clock.hold(`${this.service} call`);
    if (container) {
      this.hooks.callArrived?.(container);
    }
    res.once('close', () => {
      hold.release();
      if (container) {
        this.hooks.callAnswered?.(container);
      }
    });
    const body = await readBody(req);
    const call: Call = { service: this.service, op: operationOf(req, body), body, container };
    this.calls.push({ ...call, at: this.clock.now() });
    const fault = this.take(call);
    if (fault) {
      this.hits.push({ ...call, fault: fault.kind });
    }
    if (fault?.kind === 'kill-caller' && call.container) {
      this.hooks.killContainer(call.container);
      res.destroy();
      return;
    }
    if (fault?.kind === 'error') {
      this.answerError(res, fault.type, fault.status ?? 400, fault.message);
      return;
    }
    const latency = (this.hooks.latencySeconds?.() ?? 0) + (fault?.kind === 'delay' ? fault.seconds : 0);
    if (latency > 0) {
      hold.pause();
      await this.clock.sleep(latency);
      hold.resume();
    }
    const headers = { ...req.headers, [HOLD_HEADER]: String(hold.id) };
    const upstream = request(`${this.target}${req.url ?? '/'}`, { method: req.method, headers }, (answer) => {
      if (fault?.kind === 'kill-caller-after' || fault?.kind === 'error-after' || fault?.kind === 'drop-after') {
        // The service has acted on the call; its answer is read and thrown away.
        answer.resume();
        answer.on('end', () => {
          if (fault.kind === 'error-after') {
            this.answerError(res, fault.type, fault.status ?? 500);
            return;
          }
          if (fault.kind === 'kill-caller-after' && call.container) {
            this.hooks.killContainer(call.container);
          }
          res.destroy();
        });
        return;
      }
      res.writeHead(answer.statusCode ?? 502, { ...answer.headers, date: this.simDate() });
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    upstream.end(body);
  }

  private take(call: Call): FaultAction | undefined {
    const i = this.faults.findIndex((f) => f.service === call.service && f.op === call.op && (f.times ?? 1) > 0 && (f.when?.(call) ?? true));
    if (i < 0) {
      return undefined;
    }
    const fault = this.faults[i];
    fault.times = (fault.times ?? 1) - 1;
    return fault.action;
  }

  private answerError(res: ServerResponse, type: string, status: number, message = `${type} (injected)`) {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'date': this.simDate() })
      .end(JSON.stringify({ __type: type, message }));
  }

  private simDate(): string {
    return new Date(this.clock.epochSeconds(this.clock.now()) * 1000).toUTCString();
  }
}

function operationOf(req: IncomingMessage, body: string): string {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') {
    return target.slice(target.indexOf('.') + 1);
  }
  return new URLSearchParams(body).get('Action') ?? '';
}

function containerOf(req: IncomingMessage): string | undefined {
  const agents = `${req.headers['x-amz-user-agent'] ?? ''} ${req.headers['user-agent'] ?? ''}`;
  return /\bapp\/([\w.-]+)/.exec(agents)?.[1];
}

