import { JobRun, paginateGetJobRuns } from '@aws-sdk/client-glue';
import { getJobRun } from './job-runs';
import { mapSettledBounded } from '../../aws/bounded';
import { glue } from '../../aws/clients';

/** A run to read: its job and id, and the earliest time it can have started. */
export interface RunToRead {
  readonly jobName: string;
  readonly jobRunId: string;
  readonly notBefore: number;
}

/** GetJobRuns page size: Glue's maximum. */
export const RUNS_PAGE_SIZE = 200;

/**
 * Whether a job's runs are read with GetJobRuns pages rather than one GetJobRun each. Pages
 * pay off from two runs on: a page holds up to 200 runs, newest first, and tracked runs are
 * among the newest.
 */
export function readByPages(runsOfJob: number): boolean {
  return runsOfJob >= 2;
}

/**
 * Whether to read one more page for a job. Stops when every wanted run was found, when the
 * pages reach runs older than any wanted one, or when the pages read already equal the runs
 * still missing: from there on, one GetJobRun per run is never more calls.
 */
export function readAnotherPage(state: { missing: number; pagesRead: number; hasNextPage: boolean; pastOldest: boolean }): boolean {
  return state.missing > 0 && state.hasNextPage && !state.pastOldest && state.pagesRead < state.missing;
}

/** A run's state, or why it could not be read (e.g. EntityNotFoundException). */
export type RunRead = { readonly run: JobRun } | { readonly error: unknown };

/**
 * Reads the current state of every run in `wanted`, grouped by job: GetJobRuns pages for jobs
 * with several runs, GetJobRun for the rest and for runs the pages did not reach. Jobs are
 * read `concurrency` at a time. Every wanted run id gets an entry.
 */
export async function readRuns(wanted: readonly RunToRead[], concurrency: number): Promise<Map<string, RunRead>> {
  const byJob = new Map<string, RunToRead[]>();
  for (const run of wanted) {
    byJob.set(run.jobName, [...(byJob.get(run.jobName) ?? []), run]);
  }
  const reads = new Map<string, RunRead>();
  const paged = [...byJob.entries()].filter(([, runs]) => readByPages(runs.length));
  await mapSettledBounded(paged, concurrency, async ([jobName, runs]) => {
    for (const run of await pageThroughRuns(jobName, runs)) {
      reads.set(run.Id!, { run });
    }
  });
  const single = wanted.filter((r) => !reads.has(r.jobRunId));
  const results = await mapSettledBounded(single, concurrency, (r) => getJobRun(r.jobName, r.jobRunId));
  results.forEach((result, i) => {
    reads.set(single[i].jobRunId, result.status === 'fulfilled' ? { run: result.value } : { error: result.reason });
  });
  return reads;
}

/** The wanted runs of one job that its GetJobRuns pages show. A failed page ends the paging. */
async function pageThroughRuns(jobName: string, runs: readonly RunToRead[]): Promise<JobRun[]> {
  const missing = new Set(runs.map((r) => r.jobRunId));
  const oldest = Math.min(...runs.map((r) => r.notBefore));
  const found: JobRun[] = [];
  let pagesRead = 0;
  let pastOldest = false;
  for await (const page of paginateGetJobRuns({ client: glue, pageSize: RUNS_PAGE_SIZE }, { JobName: jobName })) {
    pagesRead++;
    for (const run of page.JobRuns ?? []) {
      if (run.Id && missing.delete(run.Id)) {
        found.push(run);
      }
      if (run.StartedOn && run.StartedOn.getTime() < oldest) {
        pastOldest = true;
      }
    }
    // The paginator follows every NextToken: stopping here reads no further page.
    if (!readAnotherPage({ missing: missing.size, pagesRead, hasNextPage: Boolean(page.NextToken), pastOldest })) {
      break;
    }
  }
  return found;
}
