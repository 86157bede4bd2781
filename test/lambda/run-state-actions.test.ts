import { actionForRunState, JOB_RUN_STATES, RunAction } from '../../src/lambda/kinds/glue-job/run-state-actions';
import { StepErrorNames } from '../../src/shared/contract';

describe('actionForRunState', () => {
  it.each<[string, RunAction]>([
    ['STARTING', { kind: 'heartbeat' }],
    ['RUNNING', { kind: 'heartbeat' }],
    ['STOPPING', { kind: 'heartbeat' }],
    ['WAITING', { kind: 'heartbeat' }],
    ['SUCCEEDED', { kind: 'succeed' }],
    ['FAILED', { kind: 'fail', error: 'Glue.JobFailed' }],
    ['STOPPED', { kind: 'fail', error: 'Glue.JobStopped' }],
    ['TIMEOUT', { kind: 'fail', error: 'Glue.JobTimeout' }],
    ['ERROR', { kind: 'fail', error: 'Glue.JobError' }],
    ['EXPIRED', { kind: 'fail', error: 'Glue.JobExpired' }],
  ])('GIVEN Glue reports %s WHEN the action is decided THEN it is %o', (state, expected) => {
    // WHEN
    const action = actionForRunState(state);
    // THEN
    expect(action).toEqual(expected);
  });

  it('GIVEN the table above WHEN compared with JOB_RUN_STATES THEN it covers every Glue state', () => {
    // GIVEN / WHEN
    const states = [...JOB_RUN_STATES].sort();
    // THEN
    expect(states).toEqual(['ERROR', 'EXPIRED', 'FAILED', 'RUNNING', 'STARTING', 'STOPPED', 'STOPPING', 'SUCCEEDED', 'TIMEOUT', 'WAITING']);
  });

  it('GIVEN the failure error names WHEN compared with the contract THEN they are the names Retry/Catch match', () => {
    // GIVEN / WHEN
    const errors = ['FAILED', 'STOPPED', 'TIMEOUT', 'ERROR', 'EXPIRED'].map((s) => {
      const action = actionForRunState(s);
      return action.kind === 'fail' ? action.error : undefined;
    });
    // THEN
    expect(errors).toEqual([
      StepErrorNames.JOB_FAILED, StepErrorNames.JOB_STOPPED, StepErrorNames.JOB_TIMEOUT, StepErrorNames.JOB_ERROR, StepErrorNames.JOB_EXPIRED,
    ]);
  });

  it.each([['a state Glue added later', 'PAUSED'], ['a lower-case state', 'failed'], ['an empty state', ''], ['no state', undefined]])(
    'GIVEN %s WHEN the action is decided THEN the task is only heartbeated, never failed or succeeded on a guess',
    (_label, state) => {
      // WHEN
      const action = actionForRunState(state);
      // THEN
      expect(action).toEqual({ kind: 'heartbeat' });
    },
  );
});
