/**
 * The steps an execution reached, from its history: the names of its `TaskStateEntered` events
 * (each step is an activity task state named after it), as the runner finds the results a re-run
 * reuses. Needs `states:GetExecutionHistory` on the execution.
 */
import { HistoryEvent, paginateGetExecutionHistory, SFNClient } from '@aws-sdk/client-sfn';

/**
 * The names of the steps `executionArn` entered, in the order it first entered them, read from
 * every page of its history (1,000 events a page, the most GetExecutionHistory returns) without
 * the inputs and outputs, which the names do not need.
 */
export async function reachedSteps(client: SFNClient, executionArn: string): Promise<string[]> {
  const events: HistoryEvent[] = [];
  for await (const page of paginateGetExecutionHistory({ client, pageSize: 1000 }, { executionArn, includeExecutionData: false })) {
    events.push(...(page.events ?? []));
  }
  return stepsEntered(events);
}

/** The names of the task states `events` enter, each once, in the order first entered. Pure. */
export function stepsEntered(events: readonly Pick<HistoryEvent, 'type' | 'stateEnteredEventDetails'>[]): string[] {
  const names: string[] = [];
  for (const event of events) {
    const name = event.type === 'TaskStateEntered' ? event.stateEnteredEventDetails?.name : undefined;
    if (name !== undefined && !names.includes(name)) {
      names.push(name);
    }
  }
  return names;
}
