import { randomBytes } from 'crypto';
import { EventEmitter } from 'events';
import { ServiceError } from './service-error';
import { SimClock, SimTimer } from '../sim-clock';

/** A state's task failed: `name` is what Retry/Catch match (e.g. `Glue.JobFailed`, `States.HeartbeatTimeout`). */
export class TaskFailedError extends Error {
  constructor(name: string, public readonly cause: string) {
    super(cause);
    this.name = name;
  }
}

export type TaskStatus = 'SCHEDULED' | 'STARTED' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** One activity task, from the state that scheduled it to its end. */
export interface ActivityTask {
  readonly token: string;
  readonly activityArn: string;
  readonly stateName: string;
  readonly input: string;
  readonly heartbeatSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly scheduledAt: number;
  status: TaskStatus;
  startedAt?: number;
  endedAt?: number;
  lastHeartbeatAt?: number;
  heartbeats: number;
  output?: string;
  error?: string;
  cause?: string;
  workerName?: string;
}

interface Pending {
  readonly task: ActivityTask;
  readonly resolve: (output: string) => void;
  readonly reject: (err: Error) => void;
  heartbeatTimer?: SimTimer;
  taskTimer?: SimTimer;
}

interface Poller {
  readonly activityArn: string;
  readonly hand: (task: ActivityTask) => void;
  /** Ends the wait with nothing handed out. */
  readonly cancel: () => void;
}

/** One GetActivityTask call, from its arrival to its answer (simulated seconds). */
export interface PollRecord {
  readonly activityArn: string;
  readonly startedAt: number;
  /** The caller's `workerName` (the runner passes its invocation's request id). */
  readonly workerName?: string;
  endedAt?: number;
  /** Whether it handed out a task; a poll that ends without one was an empty long poll. */
  handedOut?: boolean;
}

/** Longest GetActivityTask wait, in simulated seconds. */
export const LONG_POLL_SECONDS = 60;

const TOKEN_PREFIX = 'AQC';

/**
 * When a task's `HeartbeatSeconds` and `TimeoutSeconds` clocks start. AWS does not document it:
 * `hand-out` when a worker takes the task (`ActivityStarted`), `scheduling` when the state
 * schedules it (`ActivityScheduled`), the conservative reading: a task taken late has that much
 * less time before its first heartbeat is due, and may time out before anyone takes it.
 */
export type ActivityClocks = 'hand-out' | 'scheduling';

/**
 * Step Functions activities, as the service behaves: tasks wait until a worker polls; each is
 * handed out exactly once; heartbeat and task clocks start at hand-out, or at scheduling (see
 * `ActivityClocks`); a closed token answers TaskTimedOut. Emits `task` whenever a task changes.
 */
export class ActivityService extends EventEmitter {
  private readonly queue: Pending[] = [];
  private readonly pollers: Poller[] = [];
  private readonly byToken = new Map<string, Pending>();
  /** Every task ever scheduled, in order. */
  public readonly tasks: ActivityTask[] = [];
  /** Every GetActivityTask call, in order of arrival. */
  public readonly polls: PollRecord[] = [];
  /** GetActivityTask calls waiting for an answer now, and the most at once so far. */
  public pollsInFlight = 0;
  public peakPollsInFlight = 0;

  constructor(private readonly clock: SimClock, private readonly clocksFrom: ActivityClocks = 'hand-out') {
    super();
  }

  /**
   * Called by an activity state: resolves with the output sent by SendTaskSuccess, rejects with
   * a TaskFailedError for SendTaskFailure, a heartbeat timeout or a task timeout.
   */
  public schedule(activityArn: string, stateName: string, input: string, heartbeatSeconds?: number, timeoutSeconds?: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const task: ActivityTask = {
        // Real tokens run to about a kilobyte (up to 2,048 characters); page sizes depend on it.
        token: `${TOKEN_PREFIX}${randomBytes(750).toString('base64url')}`,
        activityArn,
        stateName,
        input,
        heartbeatSeconds,
        timeoutSeconds,
        scheduledAt: this.clock.now(),
        status: 'SCHEDULED',
        heartbeats: 0,
      };
      const pending: Pending = { task, resolve, reject };
      this.tasks.push(task);
      this.byToken.set(task.token, pending);
      if (this.clocksFrom === 'scheduling') {
        this.armClocks(pending);
      }
      this.emit('task', task);
      const poller = this.pollers.findIndex((p) => p.activityArn === activityArn);
      if (poller >= 0) {
        this.pollers.splice(poller, 1)[0].hand(this.start(pending));
      } else {
        this.queue.push(pending);
      }
    });
  }

  /**
   * GetActivityTask: a pending task at once, else wait up to 60 simulated seconds. While it waits
   * with nothing to hand out, the call only waits for time (`wait.pause()`), so time may skip.
   */
  public getActivityTask(
    activityArn: string,
    workerName: string | undefined,
    cancelled: Promise<void>,
    wait: { pause(): void; resume(): void } = { pause: () => undefined, resume: () => undefined },
  ): Promise<ActivityTask | undefined> {
    const poll: PollRecord = { activityArn, startedAt: this.clock.now(), workerName };
    this.polls.push(poll);
    this.pollsInFlight++;
    this.peakPollsInFlight = Math.max(this.peakPollsInFlight, this.pollsInFlight);
    const answered = this.awaitTask(activityArn, workerName, cancelled, wait);
    void answered.then((task) => {
      poll.endedAt = this.clock.now();
      poll.handedOut = task !== undefined;
      this.pollsInFlight--;
    });
    return answered;
  }

  private awaitTask(
    activityArn: string,
    workerName: string | undefined,
    cancelled: Promise<void>,
    wait: { pause(): void; resume(): void },
  ): Promise<ActivityTask | undefined> {
    const i = this.queue.findIndex((p) => p.task.activityArn === activityArn);
    if (i >= 0) {
      return Promise.resolve(this.started(this.start(this.queue.splice(i, 1)[0]), workerName));
    }
    return new Promise((resolve) => {
      const end = (task: ActivityTask | undefined) => {
        timer.cancel();
        wait.resume();
        resolve(task);
      };
      const poller: Poller = {
        activityArn,
        hand: (task) => end(this.started(task, workerName)),
        cancel: () => end(undefined),
      };
      const leave = () => {
        const at = this.pollers.indexOf(poller);
        if (at >= 0) {
          this.pollers.splice(at, 1);
        }
        end(undefined);
      };
      const timer = this.clock.after(LONG_POLL_SECONDS, leave);
      // A caller that went away gets nothing handed to it (kinder than AWS, which may lose the task).
      void cancelled.then(leave);
      this.pollers.push(poller);
      wait.pause();
    });
  }

  public sendTaskSuccess(token: string, output: string): void {
    const pending = this.open(token);
    let parsed: unknown;
    try {
      parsed = JSON.parse(output);
    } catch {
      throw new ServiceError('InvalidOutput', 'output is not valid JSON');
    }
    if (output.length > 256 * 1024) {
      throw new ServiceError('InvalidOutput', 'output exceeds 256 KiB');
    }
    this.close(pending, 'SUCCEEDED');
    pending.task.output = output;
    pending.resolve(JSON.stringify(parsed));
  }

  public sendTaskFailure(token: string, error: string | undefined, cause: string | undefined): void {
    const pending = this.open(token);
    pending.task.error = error ?? '';
    pending.task.cause = cause ?? '';
    this.close(pending, 'FAILED');
    pending.reject(new TaskFailedError(error ?? '', cause ?? ''));
  }

  public sendTaskHeartbeat(token: string): void {
    const pending = this.open(token);
    pending.task.heartbeats++;
    pending.task.lastHeartbeatAt = this.clock.now();
    this.armHeartbeat(pending);
    this.emit('task', pending.task);
  }

  /** Cancels every clock still running (heartbeat and task timeouts, waiting polls): the simulation is over. */
  public dispose(): void {
    for (const pending of this.byToken.values()) {
      pending.heartbeatTimer?.cancel();
      pending.taskTimer?.cancel();
    }
    this.pollers.splice(0).forEach((poller) => poller.cancel());
  }

  /** The execution ended (aborted, timed out): its open tasks close, their tokens die. */
  /** Closes every open task of the execution (it ended). */
  public abortExecution(executionArn: string): void {
    for (const stateName of new Set([...this.byToken.values()].filter((p) => executionOf(p.task) === executionArn).map((p) => p.task.stateName))) {
      this.abortState(stateName, executionArn);
    }
  }

  public abortState(stateName: string, executionArn?: string): void {
    for (const pending of [...this.byToken.values()]) {
      if (pending.task.stateName === stateName && (executionArn === undefined || executionOf(pending.task) === executionArn)
        && (pending.task.status === 'SCHEDULED' || pending.task.status === 'STARTED')) {
        this.close(pending, 'ABORTED');
        const queued = this.queue.indexOf(pending);
        if (queued >= 0) {
          this.queue.splice(queued, 1);
        }
        pending.reject(new TaskFailedError('States.Aborted', 'the execution was stopped'));
      }
    }
  }

  private start(pending: Pending): ActivityTask {
    const { task } = pending;
    task.status = 'STARTED';
    task.startedAt = this.clock.now();
    if (this.clocksFrom === 'hand-out') {
      this.armClocks(pending);
    }
    this.emit('task', task);
    return task;
  }

  /** Starts the task's heartbeat and task clocks. */
  private armClocks(pending: Pending) {
    const { task } = pending;
    this.armHeartbeat(pending);
    if (task.timeoutSeconds) {
      pending.taskTimer = this.clock.after(task.timeoutSeconds,
        () => this.timeOut(pending, 'States.Timeout', `no result within TimeoutSeconds (${task.timeoutSeconds})`));
    }
  }

  private started(task: ActivityTask, workerName: string | undefined): ActivityTask {
    task.workerName = workerName;
    return task;
  }

  /** (Re)starts the heartbeat clock: SendTaskHeartbeat resets it. */
  private armHeartbeat(pending: Pending) {
    const { task } = pending;
    pending.heartbeatTimer?.cancel();
    if (task.heartbeatSeconds) {
      pending.heartbeatTimer = this.clock.after(task.heartbeatSeconds,
        () => this.timeOut(pending, 'States.HeartbeatTimeout', `no heartbeat within HeartbeatSeconds (${task.heartbeatSeconds})`));
    }
  }

  private timeOut(pending: Pending, error: string, cause: string) {
    if (pending.task.status !== 'STARTED' && pending.task.status !== 'SCHEDULED') {
      return;
    }
    // A task nobody took yet times out too when its clocks run from scheduling.
    const queued = this.queue.indexOf(pending);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
    }
    pending.task.error = error;
    pending.task.cause = cause;
    this.close(pending, 'TIMED_OUT');
    pending.reject(new TaskFailedError(error, cause));
  }

  private open(token: string): Pending {
    if (!token.startsWith(TOKEN_PREFIX)) {
      throw new ServiceError('InvalidToken', 'Invalid Token');
    }
    const pending = this.byToken.get(token);
    if (!pending) {
      throw new ServiceError('TaskDoesNotExist', 'Task does not exist anymore');
    }
    if (pending.task.status !== 'STARTED') {
      throw new ServiceError('TaskTimedOut', 'Task Timed Out');
    }
    return pending;
  }

  private close(pending: Pending, status: TaskStatus) {
    pending.heartbeatTimer?.cancel();
    pending.taskTimer?.cancel();
    pending.task.status = status;
    pending.task.endedAt = this.clock.now();
    this.emit('task', pending.task);
  }
}

/** The execution a task belongs to, as its input names it (`executionId`). */
function executionOf(task: ActivityTask): string | undefined {
  try {
    return JSON.parse(task.input)?.executionId;
  } catch {
    return undefined;
  }
}
