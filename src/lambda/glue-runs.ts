import { BatchStopJobRunCommand, GetJobRunCommand, JobRun, StartJobRunCommand, WorkerType } from '@aws-sdk/client-glue';
import { glue } from './clients';
import { StepTaskInput } from '../shared/contract';

/**
 * Starts the Glue run for one step. Arguments come only from the step's declared `arguments`:
 * no control field of the task input ever reaches the job.
 */
export async function startJobRun(input: StepTaskInput): Promise<string> {
  const res = await glue.send(new StartJobRunCommand({
    JobName: input.jobName,
    Arguments: input.arguments,
    // Worker types Glue adds later pass through: the runner does not gate them.
    WorkerType: input.workerType as WorkerType | undefined,
    NumberOfWorkers: input.numberOfWorkers,
    MaxCapacity: input.maxCapacity,
    ExecutionClass: input.executionClass,
    Timeout: input.runTimeoutMinutes,
  }));
  if (!res.JobRunId) {
    throw new Error(`StartJobRun for job ${input.jobName} returned no JobRunId`);
  }
  return res.JobRunId;
}

export async function getJobRun(jobName: string, runId: string): Promise<JobRun> {
  const res = await glue.send(new GetJobRunCommand({ JobName: jobName, RunId: runId }));
  if (!res.JobRun) {
    throw new Error(`GetJobRun for ${jobName}/${runId} returned no JobRun`);
  }
  return res.JobRun;
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
