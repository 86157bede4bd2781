import { paginateListExecutions, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { sfn } from './clients';
import { executionArnOf } from '../../shared/logical-date';
import { RunningExecution } from '../decisions/poll-plan';

/**
 * The state machine's RUNNING executions, every page, with their start times (`startDate`, which
 * ListExecutions returns for every execution; see docs/aws-assumptions.md).
 */
export async function listRunningExecutions(stateMachineArn: string): Promise<RunningExecution[]> {
  const running: RunningExecution[] = [];
  for await (const page of paginateListExecutions({ client: sfn, pageSize: 1000 }, { stateMachineArn, statusFilter: 'RUNNING' })) {
    for (const execution of page.executions ?? []) {
      if (execution.executionArn) {
        // startDate is required in the service model; without it, count the execution as old:
        // its task is expected now rather than left to an event that may be lost.
        running.push({ arn: execution.executionArn, startedAt: execution.startDate?.getTime() ?? 0 });
      }
    }
  }
  return running;
}

/** What StartExecution did with a named execution. */
export type NamedStart =
  /** Started now, or already running with the same input (StartExecution is idempotent then). */
  | { readonly started: true; readonly executionArn: string }
  /** An execution of that name exists, ended or with another input: nothing was started. */
  | { readonly started: false; readonly executionArn: string };

/**
 * Starts the execution `name` of the state machine, once: Step Functions refuses a name that an
 * execution of the last 90 days holds (ExecutionAlreadyExists), unless that execution is still
 * running with the same input, when the call succeeds and starts nothing new (see
 * docs/aws-assumptions.md). The SDK's retries are safe here for the same reason.
 */
export async function startNamedExecution(stateMachineArn: string, name: string, input: unknown): Promise<NamedStart> {
  try {
    const out = await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
    return { started: true, executionArn: out.executionArn ?? executionArnOf(stateMachineArn, name) };
  } catch (err) {
    if ((err as { name?: string }).name === 'ExecutionAlreadyExists') {
      return { started: false, executionArn: executionArnOf(stateMachineArn, name) };
    }
    throw err;
  }
}
