import { JobRun } from '@aws-sdk/client-glue';
import { actionForAttempt, decideAttempts, RETRY_START_GRACE_MS, RunAction } from '../../src/lambda/kinds/glue-job/run-state-actions';
import { StepErrorNames } from '../../src/shared/contract';

/**
 * Glue's own retries: a run that ends FAILED is run again by Glue while its job's MaxRetries
 * allows (Attempt 0 is the run the runner started; the last attempt has Attempt = MaxRetries).
 * A failed attempt that is not the last does not end the step.
 */
describe('actionForAttempt', () => {
  const AWAIT: RunAction = { kind: 'await-retry' };
  it.each<[string, number, number, RunAction]>([
    // state, attempt, MaxRetries -> action
    ['FAILED', 0, 0, { kind: 'fail', error: StepErrorNames.JOB_FAILED }],
    ['FAILED', 0, 2, AWAIT],
    ['FAILED', 1, 2, AWAIT],
    ['FAILED', 2, 2, { kind: 'fail', error: StepErrorNames.JOB_FAILED }],
    ['FAILED', 3, 2, { kind: 'fail', error: StepErrorNames.JOB_FAILED }],
    // Glue does not retry a run that timed out, was stopped, errored or expired
    ['TIMEOUT', 0, 2, { kind: 'fail', error: StepErrorNames.JOB_TIMEOUT }],
    ['STOPPED', 0, 2, { kind: 'fail', error: StepErrorNames.JOB_STOPPED }],
    ['ERROR', 0, 2, { kind: 'fail', error: StepErrorNames.JOB_ERROR }],
    ['EXPIRED', 0, 2, { kind: 'fail', error: StepErrorNames.JOB_EXPIRED }],
    ['SUCCEEDED', 1, 2, { kind: 'succeed' }],
    ['RUNNING', 1, 2, { kind: 'heartbeat' }],
    ['PAUSED', 0, 2, { kind: 'heartbeat' }],
  ])('GIVEN an attempt that is %s with Attempt %d of a job with MaxRetries %d WHEN decided THEN %o', (state, attempt, maxRetries, expected) => {
    expect(actionForAttempt(state, attempt, maxRetries)).toEqual(expected);
  });
});

describe('decideAttempts', () => {
  const NOW = Date.parse('2025-03-01T12:00:00Z');
  const ago = (ms: number) => new Date(NOW - ms);
  const run = (id: string, attempt: number, state: string, completedMsAgo?: number, previous?: string): JobRun => ({
    Id: id,
    Attempt: attempt,
    JobRunState: state as JobRun['JobRunState'],
    PreviousRunId: previous,
    CompletedOn: completedMsAgo === undefined ? undefined : ago(completedMsAgo),
  });
  const first = run('jr_0', 0, 'FAILED', 60_000);

  it.each<[string, JobRun[], number, { id: string; kind: string; between?: boolean }]>([
    ['the tracked attempt failed, no retry seen yet', [first], 2, { id: 'jr_0', kind: 'heartbeat', between: true }],
    ['the tracked attempt failed, and its retry runs', [run('jr_1', 1, 'RUNNING', undefined, 'jr_0'), first], 2, { id: 'jr_1', kind: 'heartbeat' }],
    ['the retry succeeded', [run('jr_1', 1, 'SUCCEEDED', 1000, 'jr_0'), first], 2, { id: 'jr_1', kind: 'succeed' }],
    ['the last attempt failed', [run('jr_2', 2, 'FAILED', 1000, 'jr_1'), run('jr_1', 1, 'FAILED', 5000, 'jr_0'), first], 2, { id: 'jr_2', kind: 'fail' }],
    ['attempts listed oldest first', [first, run('jr_1', 1, 'FAILED', 1000, 'jr_0'), run('jr_2', 2, 'RUNNING', undefined, 'jr_1')], 2, { id: 'jr_2', kind: 'heartbeat' }],
    ['a failed attempt whose retry Glue never started', [run('jr_0', 0, 'FAILED', RETRY_START_GRACE_MS + 1)], 2, { id: 'jr_0', kind: 'fail' }],
    ['the tracked attempt is the first and only, failed, MaxRetries 0', [first], 0, { id: 'jr_0', kind: 'fail' }],
  ])('GIVEN %s WHEN the step is decided THEN the newest attempt decides it: %o', (_label, attempts, maxRetries, expected) => {
    // WHEN
    const decision = decideAttempts(first, attempts, maxRetries, NOW);
    // THEN
    expect([decision.run.Id, decision.action.kind, decision.between ?? undefined]).toEqual([expected.id, expected.kind, expected.between]);
  });

  it('GIVEN the last attempt failed WHEN decided THEN the failure names the last attempt\'s error', () => {
    const decision = decideAttempts(first, [run('jr_2', 2, 'FAILED', 1000, 'jr_1')], 2, NOW);
    expect(decision.action).toEqual({ kind: 'fail', error: StepErrorNames.JOB_FAILED });
  });
});
