import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { sfn } from './clients';
import { RunningExecution } from '../decisions/poll-plan';

/**
 * The state machine's RUNNING executions, every page, with their start times (`startDate`, which
 * ListExecutions returns for every execution; see docs/aws-assumptions.md).
 */
export async function listRunningExecutions(stateMachineArn: string): Promise<RunningExecution[]> {
  const running: RunningExecution[] = [];
  let nextToken: string | undefined;
  do {
    const res = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', maxResults: 1000, nextToken }));
    for (const execution of res.executions ?? []) {
      if (execution.executionArn) {
        // startDate is required in the service model; without it, count the execution as old:
        // its task is expected now rather than left to an event that may be lost.
        running.push({ arn: execution.executionArn, startedAt: execution.startDate?.getTime() ?? 0 });
      }
    }
    nextToken = res.nextToken;
  } while (nextToken);
  return running;
}
