import type { JobRun } from '@aws-sdk/client-glue';
import { jobRunMeasures } from '../../src/lambda/kinds/glue-job/job-measures';

const STARTED = new Date('2025-03-01T12:00:00.000Z');
const at = (seconds: number) => new Date(STARTED.getTime() + seconds * 1000);

describe('jobRunMeasures: what a job run tells of its capacity wait, DPU-seconds and attempts', () => {
  it.each<[string, JobRun, ReturnType<typeof jobRunMeasures>]>([
    ['Glue reports DPUSeconds (FLEX, auto scaling): taken as reported, no estimate',
      { Attempt: 0, StartedOn: STARTED, CompletedOn: at(100), ExecutionTime: 80, DPUSeconds: 512.5, MaxCapacity: 10 },
      { attempts: 1, capacityWaitSeconds: 20, dpuSeconds: 512.5 }],
    ['no DPUSeconds, MaxCapacity given: ExecutionTime x MaxCapacity',
      { Attempt: 0, StartedOn: STARTED, CompletedOn: at(70), ExecutionTime: 60, MaxCapacity: 10 },
      { attempts: 1, capacityWaitSeconds: 10, dpuSecondsEstimated: 600 }],
    ['no DPUSeconds nor MaxCapacity: ExecutionTime x workers x the worker type\'s DPUs',
      { Attempt: 0, StartedOn: STARTED, CompletedOn: at(60), ExecutionTime: 60, WorkerType: 'G.2X', NumberOfWorkers: 5 },
      { attempts: 1, capacityWaitSeconds: 0, dpuSecondsEstimated: 600 }],
    ['a worker type whose DPUs are not known: no estimate',
      { Attempt: 0, StartedOn: STARTED, CompletedOn: at(60), ExecutionTime: 60, WorkerType: 'R.1X', NumberOfWorkers: 5 },
      { attempts: 1, capacityWaitSeconds: 0 }],
    ['the third attempt of a retried run (Attempt 2): three attempts',
      { Attempt: 2, StartedOn: STARTED, CompletedOn: at(45), ExecutionTime: 30, MaxCapacity: 2 },
      { attempts: 3, capacityWaitSeconds: 15, dpuSecondsEstimated: 60 }],
    ['ExecutionTime longer than the run\'s span (Glue rounds it up): no negative wait',
      { Attempt: 0, StartedOn: STARTED, CompletedOn: at(59.5), ExecutionTime: 60, MaxCapacity: 2 },
      { attempts: 1, capacityWaitSeconds: 0, dpuSecondsEstimated: 120 }],
    ['a run with no times (ended before it ran): attempts only',
      { Attempt: 0 },
      { attempts: 1 }],
  ])('%s', (_, run, expected) => {
    expect(jobRunMeasures(run)).toEqual(expected);
  });
});
