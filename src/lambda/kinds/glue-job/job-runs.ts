import { BatchStopJobRunCommand, GetJobCommand, GetJobRunCommand, GetJobRunsCommand, JobRun, StartJobRunCommand, WorkerType } from '@aws-sdk/client-glue';
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
 * Every attempt of the run a task started: the job's runs that carry the task's correlation
 * argument (Glue's retries keep the arguments), newest first. Pages through the job's runs until
 * the first attempt (no `PreviousRunId`) is found, or the runs are older than `notBefore`.
 */
export async function attemptsOfTask(jobName: string, tokenId: string, notBefore: Date): Promise<JobRun[]> {
  const attempts: JobRun[] = [];
  for await (const run of newestRunsFirst(jobName)) {
    if (run.Arguments?.[CORRELATION_ARGUMENT] === tokenId) {
      attempts.push(run);
      if (!run.PreviousRunId) {
        return attempts;
      }
    }
    if (run.StartedOn && run.StartedOn < notBefore) {
      return attempts;
    }
  }
  return attempts;
}

/**
 * A run of the job that the trigger started at `notBefore` or later (`JobRun.TriggerName`), if
 * any: pages through the job's runs (newest first) until they are older than `notBefore`.
 */
export async function findRunStartedBy(jobName: string, triggerName: string, notBefore: Date): Promise<JobRun | undefined> {
  for await (const run of newestRunsFirst(jobName)) {
    if (run.StartedOn && run.StartedOn < notBefore) {
      return undefined;
    }
    if (run.TriggerName === triggerName) {
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
  let nextToken: string | undefined;
  do {
    const res = await glue.send(new GetJobRunsCommand({ JobName: jobName, MaxResults: 200, NextToken: nextToken }));
    yield* res.JobRuns ?? [];
    nextToken = res.NextToken;
  } while (nextToken);
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
