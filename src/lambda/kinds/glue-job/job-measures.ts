import type { JobRun } from '@aws-sdk/client-glue';
import type { WorkMeasures } from '../observation';

/**
 * DPUs per worker of the worker types Glue documents in DPUs (`JobRun.WorkerType`). The R and
 * Z types are documented in M-DPUs, priced apart: they get no estimate.
 */
export const DPUS_PER_WORKER: Readonly<Record<string, number>> = {
  'G.025X': 0.25,
  'G.1X': 1,
  'G.2X': 2,
  'G.4X': 4,
  'G.8X': 8,
  'G.12X': 12,
  'G.16X': 16,
};

/**
 * What a job run that ended tells of the step's work, for its metrics. Pure.
 *
 * - `attempts`: `Attempt + 1` (Glue numbers a run's attempts from 0; a retry of the job's
 *   MaxRetries is the next attempt).
 * - `capacityWaitSeconds`: `(CompletedOn - StartedOn) - ExecutionTime`, not below 0: the run's
 *   time in Glue not spent consuming resources (`ExecutionTime`), i.e. waiting for capacity
 *   and starting up. Only when Glue gives all three.
 * - `dpuSeconds`: `DPUSeconds` as Glue reports it (FLEX runs and auto-scaled runs).
 * - `dpuSecondsEstimated`, when Glue reports no `DPUSeconds`: `ExecutionTime x MaxCapacity`,
 *   else `ExecutionTime x NumberOfWorkers x` the worker type's DPUs (`DPUS_PER_WORKER`).
 */
export function jobRunMeasures(run: JobRun): WorkMeasures {
  const measures: { -readonly [K in keyof WorkMeasures]: WorkMeasures[K] } = { attempts: (run.Attempt ?? 0) + 1 };
  const executionTime = run.ExecutionTime;
  if (run.StartedOn && run.CompletedOn && executionTime !== undefined) {
    const span = (run.CompletedOn.getTime() - run.StartedOn.getTime()) / 1000;
    measures.capacityWaitSeconds = Math.max(0, span - executionTime);
  }
  if (run.DPUSeconds !== undefined) {
    measures.dpuSeconds = run.DPUSeconds;
  } else if (executionTime !== undefined) {
    const capacity = run.MaxCapacity ?? workerCapacity(run);
    if (capacity !== undefined) {
      measures.dpuSecondsEstimated = executionTime * capacity;
    }
  }
  return measures;
}

function workerCapacity(run: JobRun): number | undefined {
  const perWorker = run.WorkerType === undefined ? undefined : DPUS_PER_WORKER[run.WorkerType];
  return perWorker === undefined || run.NumberOfWorkers === undefined ? undefined : perWorker * run.NumberOfWorkers;
}
