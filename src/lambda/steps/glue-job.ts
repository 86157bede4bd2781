import { JobRun } from '@aws-sdk/client-glue';
import { Observation } from './observation';
import type { StepDriver, TrackedWork } from './step-driver';
import { GlueJobTaskInput, StepTaskOutput } from '../../shared/contract';
import { findRunOfTask, getJobRun, startJobRun, stopJobRun } from '../glue-runs';
import { actionForRunState } from '../run-state-actions';

/** A run is looked up among the job's runs that started at most this long before its record. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** A Glue job step: one job run, read by id, found again by its correlation argument. */
export const glueJobDriver: StepDriver<GlueJobTaskInput> = {
  startCall: 'StartJobRun',
  doneWhenStarted: false,
  start: (input, tokenId) => startJobRun(input, tokenId),
  observe: async (work) => observeJobRun(work.input, await getJobRun(work.input.jobName, work.runId)),
  findStarted: async (work) =>
    (await findRunOfTask(work.input.jobName, work.tokenId, new Date(work.createdAt - CLOCK_SKEW_MS)))?.Id,
  stop: (work: TrackedWork<GlueJobTaskInput>) => stopJobRun(work.input.jobName, work.runId),
};

/** What a job run's state means for its step (the table in run-state-actions.ts). Pure. */
export function observeJobRun(input: GlueJobTaskInput, run: JobRun): Observation {
  const action = actionForRunState(run.JobRunState);
  switch (action.kind) {
    case 'heartbeat': return { kind: 'in-flight' };
    case 'succeed': return { kind: 'succeed', output: { ...jobOutput(input, run) } };
    case 'fail': return { kind: 'fail', error: action.error, finalState: run.JobRunState ?? 'UNKNOWN', message: run.ErrorMessage ?? '' };
  }
}

function jobOutput(input: GlueJobTaskInput, run: JobRun): StepTaskOutput {
  return {
    stepName: input.stepName,
    jobName: input.jobName,
    jobRunId: run.Id!,
    state: 'SUCCEEDED',
    startedOn: run.StartedOn?.toISOString(),
    completedOn: run.CompletedOn?.toISOString(),
    executionTimeSeconds: run.ExecutionTime,
  };
}
