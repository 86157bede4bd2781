import { paginateListExecutions } from '@aws-sdk/client-sfn';
import { sfn } from './clients';
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
