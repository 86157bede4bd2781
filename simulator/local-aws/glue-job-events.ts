import type { JobRunState } from './glue-service';

/**
 * The run states Glue sends "Glue Job State Change" for. ERROR and EXPIRED runs end without an
 * event: only a read of the run (a sweep) finds them.
 */
export const JOB_STATE_CHANGE_STATES: readonly JobRunState[] = ['SUCCEEDED', 'FAILED', 'TIMEOUT', 'STOPPED'];

/**
 * The `detail` of the "Glue Job State Change" event Glue sends when a run reaches `state`, or
 * undefined when Glue sends none for that state.
 */
export function jobStateChange(jobName: string, jobRunId: string, state: JobRunState): Record<string, unknown> | undefined {
  if (!JOB_STATE_CHANGE_STATES.includes(state)) {
    return undefined;
  }
  return { jobName, jobRunId, state, severity: state === 'SUCCEEDED' ? 'INFO' : 'ERROR', message: '' };
}
