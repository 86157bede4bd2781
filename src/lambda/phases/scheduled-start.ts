import { runnerError } from './metric-facts';
import { executionNameFor } from '../../shared/logical-date';
import { logicalDateOf, ScheduledStart, scheduledInput } from '../../shared/scheduled-start';
import { startNamedExecution } from '../aws/executions';
import { log } from '../entry/log';
import { RunnerContext } from '../entry/runner-context';

/** What a schedule's invocation did. */
export interface ScheduledStartSummary {
  /** `started`: the execution runs (now, or it already ran with this input); `exists`: an execution of that name ended or holds another input, so none was started; `invalid`: the payload did not read. */
  readonly outcome: 'started' | 'exists' | 'invalid';
  readonly logicalDate?: string;
  readonly executionName?: string;
  readonly executionArn?: string;
}

/**
 * Starts the execution of a scheduled run: named after its logical date, so a schedule firing
 * twice (Scheduler delivers at least once), a retried invocation or a backfill of the same date
 * never runs the date twice. Its first task is left to the execution's start event, like any
 * other execution's, so this invocation never long-polls.
 */
export async function startScheduledRun(ctx: RunnerContext, start: ScheduledStart | undefined, invalid?: string): Promise<ScheduledStartSummary> {
  if (!start) {
    // Sent again, the same payload would fail the same way: log and count it, start nothing.
    runnerError(ctx, 'schedule payload not understood; nothing started', { reason: invalid });
    return { outcome: 'invalid' };
  }
  const logicalDate = logicalDateOf(Date.parse(start.scheduledTime), start.timeZone, start.period, start.periodsBack);
  const executionName = executionNameFor(logicalDate, start.namePrefix);
  const named = await startNamedExecution(ctx.config.stateMachineArn, executionName, scheduledInput(start, logicalDate));
  const summary: ScheduledStartSummary = { outcome: named.started ? 'started' : 'exists', logicalDate, executionName, executionArn: named.executionArn };
  if (!named.started) {
    log.info('an execution of this logical date exists; none started', { ...summary });
  }
  return summary;
}
