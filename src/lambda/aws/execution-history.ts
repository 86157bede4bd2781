import { ExecutionDoesNotExist, paginateGetExecutionHistory } from '@aws-sdk/client-sfn';
import { sfn } from './clients';
import type { HistoryEventView } from '../decisions/rerun';

/**
 * Every event of an execution's history, oldest first, every page (1,000 events a page, the
 * most GetExecutionHistory returns; see docs/aws-assumptions.md), with their input and output
 * (`includeExecutionData`, on by default, said all the same). `undefined` when Step Functions
 * has no such execution (never started, or closed more than 90 days ago).
 */
export async function readExecutionHistory(executionArn: string): Promise<HistoryEventView[] | undefined> {
  const events: HistoryEventView[] = [];
  try {
    for await (const page of paginateGetExecutionHistory({ client: sfn, pageSize: 1000 }, { executionArn, includeExecutionData: true })) {
      events.push(...(page.events ?? []));
    }
  } catch (err) {
    if (err instanceof ExecutionDoesNotExist || (err as { name?: string }).name === 'ExecutionDoesNotExist') {
      return undefined;
    }
    throw err;
  }
  return events;
}
