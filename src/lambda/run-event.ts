import { CloseOutcome, claimAndClose, endingOf } from './close-run';
import { getJobRun } from './glue-runs';
import { log } from './log';
import { successorFollows } from './poll-plan';
import { actionForRunState } from './run-state-actions';
import { RunnerContext } from './runner-context';
import { CORRELATION_ARGUMENT, trackingSortKey } from '../shared/contract';

export type RunEventOutcome = CloseOutcome
  /** The run was not started by a pipeline runner (no correlation argument), or Glue does not know it. */
  | 'foreign'
  /** Glue still reports the run in flight (events can run ahead of GetJobRun). */
  | 'in-flight';

export interface RunEventResult {
  readonly outcome: RunEventOutcome;
  /** The execution whose next step's task is ready now. */
  readonly successorReady?: string;
}

/**
 * A "Glue Job State Change" event: reports that one run's end at once instead of at the next
 * sweep. The run's correlation argument names its record, so no table scan is needed; the
 * record is claimed only if it tracks this very run. Whatever is not done here (record still
 * STARTING, claim held, report failed) the next sweep does.
 */
export async function handleRunEnded(ctx: RunnerContext, jobName: string, jobRunId: string): Promise<RunEventResult> {
  let run;
  try {
    run = await getJobRun(jobName, jobRunId);
  } catch (err) {
    if (err instanceof Error && err.name === 'EntityNotFoundException') {
      return { outcome: 'foreign' };
    }
    throw err;
  }
  const tokenId = run.Arguments?.[CORRELATION_ARGUMENT];
  if (!tokenId) {
    return { outcome: 'foreign' };
  }
  const action = actionForRunState(run.JobRunState);
  if (action.kind === 'heartbeat') {
    return { outcome: 'in-flight' };
  }
  const { outcome, record } = await claimAndClose(ctx, trackingSortKey(tokenId), endingOf(run, action), undefined, jobRunId);
  log.info('run end reported from its event', { tokenId, jobName, jobRunId, state: run.JobRunState, outcome });
  return {
    outcome,
    successorReady: outcome === 'succeeded' && record && successorFollows(record.input) ? record.executionId : undefined,
  };
}
