import { paginateGetExecutionHistory } from '@aws-sdk/client-sfn';
import { sfn } from './clients';
import { EarlierRun, EarlierRunReader } from '../decisions/rerun';

/**
 * What an earlier execution's history tells a re-run, read every page (1,000 events a page, the
 * most GetExecutionHistory returns; see docs/aws-assumptions.md), oldest first, with their input
 * and output (`includeExecutionData`, on by default, said all the same); each page is read into
 * what the re-run keeps before the next is fetched. `undefined` when Step Functions has no such
 * execution (never started, or closed more than 90 days ago). Other errors are thrown.
 */
export async function readEarlierRun(executionArn: string): Promise<EarlierRun | undefined> {
  const reader = new EarlierRunReader();
  try {
    for await (const page of paginateGetExecutionHistory({ client: sfn, pageSize: 1000 }, { executionArn, includeExecutionData: true })) {
      reader.add(page.events ?? []);
    }
  } catch (err) {
    if ((err as { name?: string }).name === 'ExecutionDoesNotExist') {
      return undefined;
    }
    throw err;
  }
  return reader.read();
}
