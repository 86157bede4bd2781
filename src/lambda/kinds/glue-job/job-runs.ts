import { BatchStopJobRunCommand, GetJobCommand, GetJobRunCommand, JobRun, paginateGetJobRuns, StartJobRunCommand, WorkerType } from '@aws-sdk/client-glue';
import { CORRELATION_ARGUMENT, GlueJobTaskInput } from '../../../shared/contract';
import { glue, glueStart } from '../../aws/clients';

/**
 * Starts the Glue run for one step. Arguments are the step's declared `arguments` plus the
 * correlation argument naming the task; no other control field of the task input reaches Glue.
 */
export async function startJobRun(input: GlueJobTaskInput, tokenId: string): Promise<string> {
  const res = await glueStart.send(new StartJobRunCommand({
    JobName: input.jobName,
    Arguments: { ...input.arguments, [CORRELATION_ARGUMENT]: tokenId },
    // Worker types Glue adds later pass through: the runner does not gate them.
    WorkerType: input.workerType as WorkerType | undefined,
    NumberOfWorkers: input.numberOfWorkers,
    MaxCapacity: input.maxCapacity,
    ExecutionClass: input.executionClass,
    Timeout: input.runTimeoutMinutes,
  }));
  if (!res.JobRunId) {
    throw new MissingJobRunIdError(`StartJobRun for job ${input.jobName} returned no JobRunId`);
  }
  return res.JobRunId;
}

/** StartJobRun answered without a run id: whether a run started is unknown. */
export class MissingJobRunIdError extends Error {
  public readonly name = 'MissingJobRunIdError';
}

export async function getJobRun(jobName: string, runId: string): Promise<JobRun> {
  const res = await glue.send(new GetJobRunCommand({ JobName: jobName, RunId: runId }));
  if (!res.JobRun) {
    throw new Error(`GetJobRun for ${jobName}/${runId} returned no JobRun`);
  }
  return res.JobRun;
}

/**
 * The run a task started, found by its correlation argument: pages through the job's runs
 * (newest first) until they are older than `notBefore`.
 */
export async function findRunOfTask(jobName: string, tokenId: string, notBefore: Date): Promise<JobRun | undefined> {
  for await (const run of newestRunsFirst(jobName)) {
    if (run.Arguments?.[CORRELATION_ARGUMENT] === tokenId) {
      return run;
    }
    if (run.StartedOn && run.StartedOn < notBefore) {
      return undefined;
    }
  }
  return undefined;
}

/** The job's `MaxRetries`: how many times Glue runs a failed run again (0 when unset). */
export async function jobMaxRetries(jobName: string): Promise<number> {
  const res = await glue.send(new GetJobCommand({ JobName: jobName }));
  return res.Job?.MaxRetries ?? 0;
}

/**
 * Every attempt of the run a task started, newest first: the job's runs that carry the task's
 * correlation argument, and those whose `PreviousRunId` names one of them (Glue's retries are
 * documented to name the run they retry; that they keep its arguments is not). Pages through the
 * job's runs until the first attempt (no `PreviousRunId`) is found, or the runs are older than
 * `notBefore`.
 */
export async function attemptsOfTask(jobName: string, tokenId: string, notBefore: Date): Promise<JobRun[]> {
  const seen: JobRun[] = [];
  for await (const run of newestRunsFirst(jobName)) {
    seen.push(run);
    if ((run.Arguments?.[CORRELATION_ARGUMENT] === tokenId && !run.PreviousRunId) || (run.StartedOn && run.StartedOn < notBefore)) {
      break;
    }
  }
  return chainOfTask(seen, tokenId);
}

/** The runs of `runs` (newest first) that belong to the task's chain of attempts. Pure. */
export function chainOfTask(runs: readonly JobRun[], tokenId: string): JobRun[] {
  const chain = new Set(runs.filter((r) => r.Arguments?.[CORRELATION_ARGUMENT] === tokenId).map((r) => r.Id));
  // Older runs come later in the list: walk it from the oldest, so a retry follows the run it names.
  for (const run of [...runs].reverse()) {
    if (run.PreviousRunId !== undefined && chain.has(run.PreviousRunId)) {
      chain.add(run.Id);
    }
  }
  return runs.filter((r) => chain.has(r.Id));
}

/**
 * A run of the job that the trigger started from `notBefore` to `notAfter` (`JobRun.TriggerName`),
 * if any: pages through the job's runs (newest first) until they are older than `notBefore`; a
 * later firing's runs are passed over.
 */
export async function findRunStartedBy(jobName: string, triggerName: string, notBefore: Date, notAfter: Date): Promise<JobRun | undefined> {
  for await (const run of newestRunsFirst(jobName)) {
    if (run.StartedOn && run.StartedOn < notBefore) {
      return undefined;
    }
    if (run.TriggerName === triggerName && !(run.StartedOn && run.StartedOn > notAfter)) {
      return run;
    }
  }
  return undefined;
}

/**
 * The job's runs, newest first (GetJobRuns' order), one page of 200 at a time: the next page is
 * read only when the caller asks for a run past the last, so a caller that stops early reads no
 * further page.
 */
async function* newestRunsFirst(jobName: string): AsyncGenerator<JobRun> {
  for await (const page of paginateGetJobRuns({ client: glue, pageSize: 200 }, { JobName: jobName })) {
    yield* page.JobRuns ?? [];
  }
}

/** Stops a run nobody waits for any more, so no Glue run is left orphaned. */
export async function stopJobRun(jobName: string, runId: string): Promise<void> {
  const res = await glue.send(new BatchStopJobRunCommand({ JobName: jobName, JobRunIds: [runId] }));
  // BatchStopJobRun reports per-run failures in Errors rather than throwing.
  const failed = res.Errors?.find((e) => e.JobRunId === runId);
  if (failed) {
    throw new Error(`BatchStopJobRun did not stop ${jobName}/${runId}: ${failed.ErrorDetail?.ErrorCode ?? 'error'}: ${failed.ErrorDetail?.ErrorMessage ?? ''}`);
  }
}
