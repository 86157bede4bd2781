import { CloseOutcome, claimAndClose } from './close-run';
import { afterSuccess } from './waiting-steps';
import { CORRELATION_ARGUMENT, GlueJobTaskInput, TrackingRecord, trackingSortKey } from '../../shared/contract';
import { log } from '../entry/log';
import { RunnerContext } from '../entry/runner-context';
import { driverFor } from '../kinds/driver-registry';
import { observeJobAttempts } from '../kinds/glue-job/job-driver';
import { getJobRun } from '../kinds/glue-job/job-runs';

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
  // The step's name is not known before the claim; claimAndClose puts the record's in the result.
  // A failed attempt that Glue runs again (the job's MaxRetries) does not end the step; an
  // attempt after the first moves the record on from the earlier ones it may still track.
  const observed = await observeJobAttempts({ input: { kind: 'glue-job', jobName } as GlueJobTaskInput, tokenId }, run, ctx.now());
  const sk = trackingSortKey(tokenId);
  if (observed.retried) {
    await ctx.store.followAttempt(sk, observed.retried.earlier, observed.retried.runId);
  }
  if (observed.kind === 'in-flight') {
    return { outcome: 'in-flight' };
  }
  const endedRunId = observed.retried?.runId ?? jobRunId;
  const { outcome, record } = await claimAndClose(ctx, sk, observed, undefined, endedRunId);
  log.info('run end reported from its event', { tokenId, jobName, jobRunId: endedRunId, state: run.JobRunState, outcome });
  return afterEnd(ctx, outcome, record);
}

/**
 * A "Glue Crawler State Change" event (Succeeded or Failed): reports the end of the crawl of
 * each step that tracks a crawl of this crawler. The event names the crawler, so the records are
 * found among the pipeline's in-flight tasks.
 */
export async function handleCrawlEnded(ctx: RunnerContext, crawlerName: string): Promise<RunEventResult[]> {
  const crawling: TrackingRecord[] = [];
  for await (const page of ctx.store.pages()) {
    crawling.push(...page.filter((r) => r.status === 'RUNNING' && r.input?.kind === 'glue-crawler' && r.jobName === crawlerName));
  }
  const results: RunEventResult[] = [];
  for (const record of crawling) {
    const observed = await driverFor(record.input).observe({
      input: record.input, tokenId: record.tokenId, runId: record.jobRunId!, createdAt: Date.parse(record.createdAt),
    }, ctx.now());
    if (observed.kind === 'in-flight') {
      results.push({ outcome: 'in-flight' });
      continue;
    }
    const { outcome } = await claimAndClose(ctx, record.sk, observed, record, record.jobRunId);
    log.info('crawl end reported from its event', { tokenId: record.tokenId, crawlerName, outcome });
    results.push(await afterEnd(ctx, outcome, record));
  }
  return results;
}

/** After a success: the next step of a sequence is ready, or a graph's held steps may start. */
async function afterEnd(ctx: RunnerContext, outcome: CloseOutcome, record: TrackingRecord | undefined): Promise<RunEventResult> {
  if (outcome !== 'succeeded' || !record) {
    return { outcome };
  }
  return { outcome, successorReady: (await afterSuccess(ctx, record.executionId, record.input)).successorReady };
}
