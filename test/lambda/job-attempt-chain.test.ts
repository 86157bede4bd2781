import { JobRun } from '@aws-sdk/client-glue';
import { chainOfTask } from '../../src/lambda/kinds/glue-job/job-runs';
import { CORRELATION_ARGUMENT } from '../../src/shared/contract';

const run = (id: string, extra: Partial<JobRun> = {}): JobRun => ({ Id: id, ...extra });
const ours = { Arguments: { [CORRELATION_ARGUMENT]: 'task-1' } };
const theirs = { Arguments: { [CORRELATION_ARGUMENT]: 'task-2' } };

describe('chainOfTask: the attempts of one task among a job\'s runs, newest first', () => {
  it.each<[string, JobRun[], string[]]>([
    ['retries that keep the arguments', [run('r3', { ...ours, PreviousRunId: 'r2' }), run('r2', { ...ours, PreviousRunId: 'r1' }), run('r1', ours)], ['r3', 'r2', 'r1']],
    ['retries that name the run they retry but carry no arguments', [run('r3', { PreviousRunId: 'r2' }), run('r2', { PreviousRunId: 'r1' }), run('r1', ours)], ['r3', 'r2', 'r1']],
    ['another task\'s runs and retries in between', [
      run('x2', { ...theirs, PreviousRunId: 'x1' }), run('r2', { PreviousRunId: 'r1' }), run('x1', theirs), run('r1', ours), run('old'),
    ], ['r2', 'r1']],
    ['a run of no task naming a run of no task', [run('b', { PreviousRunId: 'a' }), run('a'), run('r1', ours)], ['r1']],
    ['nothing of the task', [run('a'), run('b')], []],
  ])('GIVEN %s WHEN the chain is built THEN it is %j', (_label, runs, expected) => {
    expect(chainOfTask(runs, 'task-1').map((r) => r.Id)).toEqual(expected);
  });
});
