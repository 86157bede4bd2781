import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { sfn } from './clients';

/** ARNs of the state machine's RUNNING executions, every page. */
export async function listRunningExecutions(stateMachineArn: string): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const res = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', maxResults: 1000, nextToken }));
    for (const execution of res.executions ?? []) {
      if (execution.executionArn) {
        arns.push(execution.executionArn);
      }
    }
    nextToken = res.nextToken;
  } while (nextToken);
  return arns;
}
