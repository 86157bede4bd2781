import { JobRun } from '@aws-sdk/client-glue';
import { reportHeartbeat, reportSuccess } from './activity-tasks';
import { mapSettledBounded } from './bounded';
import { failStep } from './fail-step';
import { getJobRun, stopJobRun } from './glue-runs';
import { describeError, log } from './log';
import { actionForRunState } from './run-state-actions';
import { RunnerConfig } from './runner-config';
import { TrackingStore } from './tracking-store';
import { StepErrorNames, StepTaskOutput, TrackingRecord } from '../shared/contract';

/** Glue and SendTask* calls in flight at once during a check. */
export const CHECK_CONCURRENCY = 8;

/**
 * A STARTING record younger than this may belong to an invocation that is still starting it;
 * older ones are reported in the summary (the heartbeat timeout re-dispatches their task).
 */
export const STARTING_GRACE_MS = 15 * 60_000;

export type CheckOutcome = 'heartbeat' | 'succeeded' | 'failed' | 'closed' | 'expired' | 'starting' | 'stale-start' | 'error';

export type CheckSummary = Record<CheckOutcome, number> & { pages: number };

export interface CheckContext {
  readonly config: RunnerConfig;
  readonly store: TrackingStore;
  readonly now?: () => Date;
  readonly pageSize?: number;
}

/**
 * Check phase: for every tracked run of this pipeline, on every page of the table, ask Glue
 * for its state and act on it. One record's fault is logged and retried next cycle; it never
 * stops the others.
 */
export async function runCheckPhase(ctx: CheckContext): Promise<CheckSummary> {
  const summary: CheckSummary = {
    'pages': 0, 'heartbeat': 0, 'succeeded': 0, 'failed': 0, 'closed': 0, 'expired': 0, 'starting': 0, 'stale-start': 0, 'error': 0,
  };
  for await (const page of ctx.store.pages(ctx.pageSize)) {
    summary.pages++;
    const results = await mapSettledBounded(page, CHECK_CONCURRENCY, (record) => checkRecord(ctx, record));
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') {
        summary[result.value]++;
      } else {
        summary.error++;
        log.error('check failed; retried next cycle', { tokenId: page[i].tokenId, jobRunId: page[i].jobRunId, reason: describeError(result.reason) });
      }
    });
  }
  return summary;
}

async function checkRecord(ctx: CheckContext, record: TrackingRecord): Promise<CheckOutcome> {
  const now = (ctx.now ?? (() => new Date()))();
  if (record.expiresAt * 1000 <= now.getTime()) {
    // TTL deletes lag; an expired record's token is dead for sure.
    await ctx.store.remove(record.sk);
    return 'expired';
  }
  if (record.status === 'STARTING' || !record.jobRunId) {
    const age = now.getTime() - Date.parse(record.createdAt);
    if (age < STARTING_GRACE_MS) {
      return 'starting';
    }
    log.warn('start never confirmed; the heartbeat timeout will re-dispatch the task', { tokenId: record.tokenId, stepName: record.stepName });
    return 'stale-start';
  }

  const runId = record.jobRunId;
  let run: JobRun;
  try {
    run = await getJobRun(record.jobName, runId);
  } catch (err) {
    if (err instanceof Error && err.name === 'EntityNotFoundException') {
      return closeAsFailed(ctx, record, 'NOT_FOUND', StepErrorNames.RUN_NOT_FOUND, `Glue has no run ${runId} of job ${record.jobName}: ${err.message}`);
    }
    throw err;
  }

  const action = actionForRunState(run.JobRunState);
  switch (action.kind) {
    case 'heartbeat': {
      const report = await reportHeartbeat(record.taskToken);
      if (report === 'closed') {
        // Nobody waits for this run any more (execution stopped or timed out): stop it.
        log.warn('task closed while its run is in flight; stopping the run', { tokenId: record.tokenId, jobRunId: runId });
        await stopJobRun(record.jobName, runId);
        await ctx.store.remove(record.sk);
        return 'closed';
      }
      return 'heartbeat';
    }
    case 'succeed': {
      const report = await reportSuccess(record.taskToken, outputOf(record, run));
      await ctx.store.remove(record.sk);
      log.info('step succeeded', { tokenId: record.tokenId, stepName: record.stepName, jobRunId: runId, report });
      return report === 'sent' ? 'succeeded' : 'closed';
    }
    case 'fail':
      return closeAsFailed(ctx, record, run.JobRunState ?? 'UNKNOWN', action.error, run.ErrorMessage ?? '');
  }
}

async function closeAsFailed(ctx: CheckContext, record: TrackingRecord, finalState: string, error: string, message: string): Promise<CheckOutcome> {
  const report = await failStep(record.taskToken, {
    pipelineId: ctx.config.pipelineId,
    stepName: record.stepName,
    jobName: record.jobName,
    jobRunId: record.jobRunId,
    executionId: record.executionId,
    finalState,
    error,
    message,
  }, ctx.config.mail, record.tokenId);
  await ctx.store.remove(record.sk);
  return report === 'sent' ? 'failed' : 'closed';
}

function outputOf(record: TrackingRecord, run: JobRun): StepTaskOutput {
  return {
    stepName: record.stepName,
    jobName: record.jobName,
    jobRunId: record.jobRunId!,
    state: 'SUCCEEDED',
    startedOn: run.StartedOn?.toISOString(),
    completedOn: run.CompletedOn?.toISOString(),
    executionTimeSeconds: run.ExecutionTime,
  };
}
