import { JobRun } from '@aws-sdk/client-glue';
import { CORRELATION_ARGUMENT, GlueJobResult, GlueJobTaskInput } from '../../../shared/contract';
import { Observation } from '../observation';
import type { ObserveRead, StepDriver, TrackedWork } from '../step-driver';
import { jobRunMeasures } from './job-measures';
import { attemptsOfTask, findRunOfTask, getJobRun, jobMaxRetries, startJobRun, stopJobRun } from './job-runs';
import { readRuns } from './run-reads';
import { actionForAttempt, actionForRunState, AttemptDecision, decideAttempts, retriedByGlue } from './run-state-actions';

/** A run is looked up among the job's runs that started at most this long before its record. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * A Glue job step: one job run, read by id, found again by its correlation argument; when the
 * job's MaxRetries makes Glue run a failed run again, the step follows the attempts to the last.
 */
export const glueJobDriver: StepDriver<GlueJobTaskInput> = {
  startCall: 'StartJobRun',
  doneWhenStarted: false,
  marksStart: false,
  start: (input, tokenId) => startJobRun(input, tokenId),
  observe: async (work, now) => observeJobAttempts(work, await getJobRun(work.input.jobName, work.runId), now ?? Date.now()),
  // The newest run of the task: with Glue's retries, its latest attempt.
  findStarted: async (work) =>
    (await findRunOfTask(work.input.jobName, work.tokenId, new Date(work.createdAt - CLOCK_SKEW_MS)))?.Id,
  stop: (work: TrackedWork<GlueJobTaskInput>) => stopJobRun(work.input.jobName, work.runId),
  // Runs read by job: GetJobRuns pages where they save calls (run-reads.ts); every run gets an entry.
  observeMany: async (works, concurrency) => {
    const wanted = works.map((w) => ({ jobName: w.input.jobName, jobRunId: w.runId, notBefore: w.createdAt - CLOCK_SKEW_MS }));
    const reads = await readRuns(wanted, concurrency);
    const observers = new Map<string, ObserveRead>();
    for (const work of works) {
      const read = reads.get(work.runId);
      if (read !== undefined) {
        observers.set(work.runId, async (now) => {
          if ('error' in read) {
            throw read.error;
          }
          return observeJobAttempts(work, read.run, now);
        });
      }
    }
    return observers;
  },
  // The run's correlation argument names its task. A failed attempt that Glue runs again (the
  // job's MaxRetries) does not end the step; an attempt after the first moves the record on
  // from the earlier ones it may still track (the observation's `retried`).
  observeEnded: async (jobName, jobRunId, now) => {
    let run;
    try {
      run = await getJobRun(jobName, jobRunId);
    } catch (err) {
      if (err instanceof Error && err.name === 'EntityNotFoundException') {
        return undefined;
      }
      throw err;
    }
    const tokenId = run.Arguments?.[CORRELATION_ARGUMENT];
    if (!tokenId) {
      return undefined;
    }
    // The step's input is not known before the claim: the job's MaxRetries comes from GetJob.
    const input = { kind: 'glue-job', jobName } as GlueJobTaskInput;
    return { tokenId, runId: jobRunId, observation: await observeJobAttempts({ input, tokenId }, run, now) };
  },
};

/** What a job run's state means for its step, when no attempt follows it (run-state-actions.ts). Pure. */
export function observeJobRun(input: GlueJobTaskInput, run: JobRun): Observation {
  const action = actionForRunState(run.JobRunState);
  switch (action.kind) {
    case 'heartbeat': return inFlight(run);
    case 'succeed': return succeeded(input, run);
    case 'fail': return failed(action.error, run);
    case 'await-retry': return inFlight(run);
  }
}

/** Where the task's work is, read from one of its attempts. */
export interface AttemptsOfWork {
  readonly input: GlueJobTaskInput;
  readonly tokenId: string;
  /** The run the record tracks; unknown to an event, which may name a later attempt. */
  readonly runId?: string;
  /** Epoch ms the task's record was created, when known: its first attempt started after it. */
  readonly createdAt?: number;
}

/**
 * What a job step's run means, following Glue's retries: a failed attempt Glue runs again is
 * not the step's end. The other attempts are listed (one GetJobRuns page, usually) only when
 * `run` failed with attempts left, or when `run` is itself a retry and the record may still
 * track an earlier attempt (`run` came from an event). The job's MaxRetries is the task input's,
 * else GetJob's, read only when an attempt failed.
 */
export async function observeJobAttempts(work: AttemptsOfWork, run: JobRun, now: number): Promise<Observation> {
  const maxRetries = retriedByGlue(run.JobRunState) ? work.input.maxRetries ?? await jobMaxRetries(work.input.jobName) : 0;
  const retriedLater = actionForAttempt(run.JobRunState, run.Attempt ?? 0, maxRetries).kind === 'await-retry';
  const mayTrackEarlier = work.runId === undefined && (run.Attempt ?? 0) > 0;
  if (!retriedLater && !mayTrackEarlier) {
    return observationOf(work.input, decideAttempts(run, [], maxRetries, now));
  }
  const notBefore = new Date(work.createdAt === undefined ? 0 : work.createdAt - CLOCK_SKEW_MS);
  const attempts = await attemptsOfTask(work.input.jobName, work.tokenId, notBefore);
  const decision = decideAttempts(run, attempts, maxRetries, now);
  const known = new Map([run, ...attempts].map((a) => [a.Id!, a.Attempt ?? 0]));
  const earlier = [...known].filter(([, attempt]) => attempt < (decision.run.Attempt ?? 0)).map(([id]) => id);
  const observation = observationOf(work.input, decision);
  return decision.run.Id !== work.runId && earlier.length > 0 ? { ...observation, retried: { runId: decision.run.Id!, earlier } } : observation;
}

function observationOf(input: GlueJobTaskInput, decision: AttemptDecision): Observation {
  switch (decision.action.kind) {
    case 'heartbeat': return decision.between ? { ...inFlight(decision.run), between: true } : inFlight(decision.run);
    case 'succeed': return succeeded(input, decision.run);
    case 'fail': return failed(decision.action.error, decision.run);
  }
}

/** In flight, with the run's state as Glue gave it. */
function inFlight(run: JobRun): Extract<Observation, { kind: 'in-flight' }> {
  return run.JobRunState === undefined ? { kind: 'in-flight' } : { kind: 'in-flight', state: run.JobRunState };
}

function succeeded(input: GlueJobTaskInput, run: JobRun): Observation {
  return { kind: 'succeed', output: { ...jobOutput(input, run) }, measures: jobRunMeasures(run) };
}

function failed(error: string, run: JobRun): Observation {
  return { kind: 'fail', error, finalState: run.JobRunState ?? 'UNKNOWN', message: run.ErrorMessage ?? '', measures: jobRunMeasures(run) };
}

function jobOutput(input: GlueJobTaskInput, run: JobRun): GlueJobResult {
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
