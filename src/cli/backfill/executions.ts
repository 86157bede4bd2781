/**
 * The backfill's Step Functions calls, thin: DescribeExecution of a name, StartExecution that
 * never starts a name twice, RedriveExecution. The SDK client retries throttled and failed calls
 * (its standard retry strategy); every other error goes up to the loop.
 */
import {
  DescribeExecutionCommand, DescribeExecutionOutput, RedriveExecutionCommand, SFNClient, StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { ExecutionStatus, ExecutionView } from './date-decision';
import { executionArnOf } from '../../shared/logical-date';

/** What the backfill does with Step Functions; `SfnExecutions` is the real one. */
export interface Executions {
  /** The execution of that name, or `undefined` if none exists. */
  describe(name: string): Promise<ExecutionView | undefined>;
  /**
   * Starts the execution unless one of that name exists. `started` is false when it existed:
   * then `execution` is what DescribeExecution says of it, and `sameInput` whether its input is
   * the one asked for.
   */
  start(name: string, input: string): Promise<StartResult>;
  /** RedriveExecution; false if Step Functions says the execution cannot be redriven (any more). */
  redrive(arn: string): Promise<boolean>;
}

export interface StartResult {
  readonly started: boolean;
  readonly execution: ExecutionView;
  readonly sameInput: boolean;
}

export class SfnExecutions implements Executions {
  constructor(private readonly client: SFNClient, private readonly stateMachineArn: string) {}

  public async describe(name: string): Promise<ExecutionView | undefined> {
    const output = await this.describeArn(executionArnOf(this.stateMachineArn, name));
    return output && viewOf(output, name);
  }

  public async start(name: string, input: string): Promise<StartResult> {
    try {
      // Same name and input while it runs: Step Functions answers with the running execution
      // (so the SDK's retry of a start whose answer was lost starts nothing new).
      const out = await this.client.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name, input }));
      return {
        started: true,
        sameInput: true,
        execution: { arn: out.executionArn!, name, status: 'RUNNING', redrivable: false, startMs: out.startDate?.getTime() },
      };
    } catch (err) {
      if (errorName(err) !== 'ExecutionAlreadyExists') {
        throw err;
      }
    }
    // It ended, or runs with another input: read it, start nothing.
    const existing = await this.describeArn(executionArnOf(this.stateMachineArn, name));
    if (!existing) {
      throw new Error(`Step Functions said execution ${name} exists, and then that it does not`);
    }
    return { started: false, execution: viewOf(existing, name), sameInput: sameJson(existing.input, input) };
  }

  public async redrive(arn: string): Promise<boolean> {
    try {
      await this.client.send(new RedriveExecutionCommand({ executionArn: arn }));
      return true;
    } catch (err) {
      if (errorName(err) === 'ExecutionNotRedrivable') {
        return false;
      }
      throw err;
    }
  }

  /** DescribeExecution of an ARN, whole (input included); `undefined` if no such execution exists. */
  public async describeArn(executionArn: string): Promise<DescribeExecutionOutput | undefined> {
    try {
      return await this.client.send(new DescribeExecutionCommand({ executionArn }));
    } catch (err) {
      if (errorName(err) === 'ExecutionDoesNotExist') {
        return undefined;
      }
      throw err;
    }
  }
}

/** The part of DescribeExecution's answer the decisions read. */
export function viewOf(output: DescribeExecutionOutput, name: string): ExecutionView {
  return {
    arn: output.executionArn!,
    name: output.name ?? name,
    status: (output.status ?? 'RUNNING') as ExecutionStatus,
    redrivable: output.redriveStatus === 'REDRIVABLE',
    redriveReason: output.redriveStatusReason,
    startMs: output.startDate?.getTime(),
    stopMs: output.stopDate?.getTime(),
  };
}

function errorName(err: unknown): string | undefined {
  return (err as { name?: string } | undefined)?.name;
}

/** Whether the input `a` (DescribeExecution's, if any) is the JSON `b`, whatever the spacing. */
export function sameJson(a: string | undefined, b: string): boolean {
  try {
    return JSON.stringify(JSON.parse(a ?? 'null')) === JSON.stringify(JSON.parse(b));
  } catch {
    return false;
  }
}
