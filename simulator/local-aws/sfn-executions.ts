import { randomUUID } from 'crypto';
import { historyPage, historyPageSize, HistoryTokens, withoutExecutionData } from './history-pages';
import { ServiceError } from './service-error';
import { executionArnOf } from '../../src/shared/logical-date';
import type { ExecutionReport } from '../execution';
import { SimClock } from '../sim-clock';

/** Starts an execution of the definition under `executionArn` and lets it run; the simulation's part. */
export type LaunchExecution = (executionArn: string, input: unknown) => ExecutionReport;

/** The service's rule for a redrive, as the simulation follows it. */
export interface RedriveSupport {
  /**
   * Whether the simulation serves RedriveExecution (it does: `Simulation.redrive`). `false` makes
   * every closed execution `NOT_REDRIVABLE`, as DescribeExecution must say of one
   * RedriveExecution would refuse: a stand-in for a service without redrive.
   * @default true
   */
  readonly supported?: boolean;
}

/** Executions may be redriven for 14 days after they closed (AWS-FACTS; docs/aws-assumptions.md). */
export const REDRIVABLE_PERIOD_SECONDS = 14 * 24 * 3600;

/**
 * StartExecution and DescribeExecution of the simulation's one state machine, with Step
 * Functions' name rules (docs/aws-assumptions.md, "Execution names"): a name of 1 to 80 allowed
 * characters, unique per state machine; the same name and input while the execution runs answer
 * with that execution; a closed one, or another input, is `ExecutionAlreadyExists`.
 */
export class LocalExecutions {
  /** Each execution's input, as the text it was started with, by ARN. */
  private readonly inputs = new Map<string, string>();
  /** The `nextToken`s GetExecutionHistory handed out. */
  private readonly historyTokens = new HistoryTokens();

  constructor(
    private readonly stateMachineArn: string,
    private readonly clock: SimClock,
    private readonly all: () => readonly ExecutionReport[],
    private readonly launch: LaunchExecution,
    private readonly redrive: RedriveSupport = {},
  ) {}

  /** The ARN of the execution of a name (`arn:...:execution:<state machine>:<name>`). */
  public arnOf(name: string): string {
    return executionArnOf(this.stateMachineArn, name);
  }

  /** Notes the input of an execution the simulation started itself (`Simulation.run`). */
  public started(executionArn: string, input: unknown): void {
    this.inputs.set(executionArn, JSON.stringify(input));
  }

  public startExecution(stateMachineArn: string, name: string | undefined, input: string | undefined) {
    this.checkStateMachine(stateMachineArn);
    const executionName = name ?? randomUUID();
    checkName(executionName);
    const text = input ?? '{}';
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new ServiceError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${(err as Error).message}'`);
    }
    const executionArn = this.arnOf(executionName);
    const existing = this.all().find((e) => e.executionArn === executionArn);
    if (existing) {
      if (existing.status === 'RUNNING' && this.inputs.get(executionArn) === text) {
        return { executionArn, startDate: this.clock.epochSeconds(existing.startedAt) };
      }
      throw new ServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    this.inputs.set(executionArn, text);
    const report = this.launch(executionArn, parsed);
    return { executionArn, startDate: this.clock.epochSeconds(report.startedAt) };
  }

  public describeExecution(executionArn: string) {
    const e = this.all().find((x) => x.executionArn === executionArn);
    if (!e) {
      throw new ServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    }
    const stopDate = e.endedAt === undefined ? undefined : this.clock.epochSeconds(e.endedAt);
    return {
      executionArn,
      stateMachineArn: this.stateMachineArn,
      name: executionArn.split(':').pop(),
      status: e.status,
      startDate: this.clock.epochSeconds(e.startedAt),
      stopDate,
      input: this.inputs.get(executionArn),
      output: e.status === 'SUCCEEDED' && e.output !== undefined ? JSON.stringify(e.output) : undefined,
      error: e.error,
      cause: e.cause,
      redriveCount: e.redriveCount ?? 0,
      ...(e.redrivenAt !== undefined && { redriveDate: this.clock.epochSeconds(e.redrivenAt) }),
      ...redriveStatusOf(e.status, stopDate, this.clock.epochSeconds(this.clock.now()), this.redrive.supported ?? true),
    };
  }

  /**
   * GetExecutionHistory: the execution's events (`ExecutionReport.history`), oldest first or
   * `reverseOrder`, in pages of `maxResults` (0 or absent: 100; 1,000 at most) linked by an opaque
   * `nextToken`; `includeExecutionData: false` leaves out the inputs and outputs. The service's
   * errors: `InvalidArn`, `ExecutionDoesNotExist`, `InvalidToken`, `ValidationException`.
   */
  public getExecutionHistory(request: Record<string, unknown>) {
    const executionArn = request.executionArn;
    if (typeof executionArn !== 'string' || !/^arn:aws[a-z-]*:states:[^:]+:\d{12}:execution:[^:]+:[^:]+$/.test(executionArn)) {
      throw new ServiceError('InvalidArn', `Invalid Arn: '${String(executionArn)}'`);
    }
    const size = historyPageSize(request.maxResults);
    const e = this.all().find((x) => x.executionArn === executionArn);
    if (!e) {
      throw new ServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    }
    const reverseOrder = request.reverseOrder === true;
    const fromId = typeof request.nextToken === 'string' ? this.historyTokens.redeem(request.nextToken, executionArn, reverseOrder) : undefined;
    const page = historyPage(e.history ?? [], fromId, size, reverseOrder);
    return {
      events: request.includeExecutionData === false ? page.events.map(withoutExecutionData) : page.events,
      ...(page.nextId !== undefined && { nextToken: this.historyTokens.issue(executionArn, reverseOrder, page.nextId) }),
    };
  }

  private checkStateMachine(arn: string) {
    if (arn !== this.stateMachineArn) {
      throw new ServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    }
  }
}

/**
 * `redriveStatus` and `redriveStatusReason` of an execution (DescribeExecution): redrivable when
 * it ended FAILED, TIMED_OUT or ABORTED within the last 14 days, and the simulation serves
 * RedriveExecution. Pure.
 */
export function redriveStatusOf(status: string, stopEpochSeconds: number | undefined, nowEpochSeconds: number, supported: boolean) {
  const notRedrivable = (reason: string) => ({ redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: reason });
  if (status === 'RUNNING' || status === 'SUCCEEDED') {
    return notRedrivable(`Execution is ${status} and cannot be redriven`);
  }
  if (stopEpochSeconds !== undefined && nowEpochSeconds - stopEpochSeconds > REDRIVABLE_PERIOD_SECONDS) {
    return notRedrivable('Execution redrivable period exceeded');
  }
  if (!supported) {
    return notRedrivable('The simulation does not serve RedriveExecution');
  }
  return { redriveStatus: 'REDRIVABLE' };
}

/** Characters a name must not hold (StartExecution `name`), besides white space and control characters. */
const FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;

function checkName(name: string) {
  if (name.length < 1 || name.length > 80 || FORBIDDEN.test(name)) {
    throw new ServiceError('InvalidName', `Invalid Name: '${name}'`);
  }
}

/**
 * The most executions of `reports` running at one moment, from their start and end times as the
 * simulation recorded them; at the same moment an end counts before a start.
 */
export function mostRunningAtOnce(reports: readonly ExecutionReport[]): number {
  const moments = reports.flatMap((r) => [
    { at: r.startedAt, delta: 1 },
    ...(r.endedAt === undefined ? [] : [{ at: r.endedAt, delta: -1 }]),
  ]).sort((a, b) => a.at - b.at || a.delta - b.delta);
  let running = 0;
  let most = 0;
  for (const m of moments) {
    running += m.delta;
    most = Math.max(most, running);
  }
  return most;
}
