import { EventEmitter } from 'events';
import { ExecutionReport } from '../../simulator/execution';
import { ActivityTask } from '../../simulator/local-aws/activity-service';
import { GlueService } from '../../simulator/local-aws/glue-service';
import { ChangeLog, clockText, executionTime, phaseBoundaries, renderSteps, RunTracker, shownArguments, stageOf, StepView } from '../../simulator/step-progress';

test.each([[0, '0:00'], [59.6, '1:00'], [605, '10:05'], [undefined, '']])('clockText(%p) = %p', (seconds, text) => {
  expect(clockText(seconds)).toBe(text);
});

test('renderSteps lines up name, status, elapsed and run id, and marks repeated attempts', () => {
  expect(renderSteps([
    { name: 'extract', status: 'SUCCEEDED', elapsed: 312, jobRunId: 'jr_1', attempt: 1 },
    { name: 'load', status: 'Glue RUNNING', elapsed: 5, jobRunId: 'jr_2', attempt: 2, arguments: { '--day': '2026-11-24' } },
    { name: 'report', status: 'pending' },
  ])).toEqual([
    'step     status        elapsed  Glue run id',
    'extract  SUCCEEDED        5:12  jr_1',
    'load     Glue RUNNING     0:05  jr_2 (attempt 2)  with --day=2026-11-24',
    'report   pending                ',
  ]);
});

describe('stageOf: where a step stands, from its state, its latest task and the execution', () => {
  test.each([
    ['not entered yet', undefined, undefined, 'RUNNING', { kind: 'pending' }],
    ['never entered', undefined, undefined, 'FAILED', { kind: 'not run' }],
    ['entered, task not yet scheduled', { status: 'RUNNING' }, undefined, 'RUNNING', { kind: 'waiting' }],
    ['task waits for the runner', { status: 'RUNNING' }, { status: 'SCHEDULED' }, 'RUNNING', { kind: 'waiting' }],
    ['the runner took the task', { status: 'RUNNING' }, { status: 'STARTED' }, 'RUNNING', { kind: 'taken' }],
    ['succeeded', { status: 'SUCCEEDED' }, { status: 'SUCCEEDED' }, 'RUNNING', { kind: 'succeeded' }],
    ['an attempt failed; the retry is not scheduled yet', { status: 'FAILED', error: 'Glue.JobFailed' }, { status: 'FAILED' }, 'RUNNING', { kind: 'failed', error: 'Glue.JobFailed' }],
    ['a retry waits for the runner', { status: 'FAILED', error: 'Glue.JobFailed' }, { status: 'SCHEDULED' }, 'RUNNING', { kind: 'waiting', retryAfter: 'Glue.JobFailed' }],
    ['the runner took the retry', { status: 'FAILED', error: 'Glue.JobFailed' }, { status: 'STARTED' }, 'RUNNING', { kind: 'taken' }],
    ['failed before any task (input field missing)', { status: 'FAILED', error: 'States.Runtime' }, undefined, 'FAILED', { kind: 'failed', error: 'States.Runtime' }],
    ['open when another branch failed the execution', { status: 'RUNNING' }, { status: 'STARTED' }, 'FAILED', { kind: 'closed' }],
    ['a retry scheduled when the execution failed', { status: 'FAILED', error: 'Glue.JobFailed' }, { status: 'SCHEDULED' }, 'FAILED', { kind: 'closed' }],
  ] as const)('%s', (_, state, task, execution, stage) => {
    expect(stageOf(state, task, execution)).toEqual(stage);
  });
});

describe('ChangeLog: the progress as CI log lines', () => {
  const view = (status: string, extra: Partial<StepView> = {}): StepView => ({ name: 'orders', status, attempt: 1, ...extra });

  test('GIVEN a step retried after a failed run WHEN it goes on THEN "attempt 2" first shows on the line where the runner took the retry', () => {
    const log = new ChangeLog();
    const lines = [
      log.lines([view('Glue RUNNING', { jobRunId: 'jr_1' })], 60),
      log.lines([view('FAILED Glue.JobFailed', { jobRunId: 'jr_1' })], 300),
      // The retry's task is scheduled: the runner has not taken it, so the attempt has no number yet.
      log.lines([view('retrying after Glue.JobFailed: waiting for the runner', { attempt: undefined })], 330),
      log.lines([view('starting', { attempt: 2 })], 340),
      log.lines([view('Glue STARTING', { jobRunId: 'jr_2', attempt: 2 })], 341),
    ].flat();
    expect(lines).toEqual([
      '[  1:00] orders: Glue RUNNING  run jr_1',
      '[  5:00] orders: FAILED Glue.JobFailed  run jr_1',
      '[  5:30] orders: retrying after Glue.JobFailed: waiting for the runner',
      '[  5:40] orders: starting  (attempt 2)',
      '[  5:41] orders: Glue STARTING  run jr_2  (attempt 2)',
    ]);
  });

  test('GIVEN a run started with arguments WHEN it is logged THEN they show once, on the line that first names the run', () => {
    const log = new ChangeLog();
    const args = { '--day': '2026-11-24', '--note': 'two words' };
    expect([
      log.lines([view('Glue STARTING', { jobRunId: 'jr_1', arguments: args })], 10),
      log.lines([view('Glue RUNNING', { jobRunId: 'jr_1', arguments: args })], 20),
    ].flat()).toEqual([
      '[  0:10] orders: Glue STARTING  run jr_1  with --day=2026-11-24 --note="two words"',
      '[  0:20] orders: Glue RUNNING  run jr_1',
    ]);
  });

  test('GIVEN nothing changed WHEN logged again THEN no line', () => {
    const log = new ChangeLog();
    log.lines([view('Glue RUNNING', { jobRunId: 'jr_1' })], 10);
    expect(log.lines([view('Glue RUNNING', { jobRunId: 'jr_1' })], 20)).toEqual([]);
  });

  test('GIVEN an execution that ended WHEN the last line is drawn later THEN its stamp is the execution\'s duration, as the summary says', () => {
    const report = { status: 'FAILED' as const, startedAt: 113.5, endedAt: 113.6 + 44.9 };
    const drawnAt = 180;
    expect(new ChangeLog().end(report, drawnAt)).toBe(`[  ${clockText(executionTime(report, drawnAt))}] execution FAILED`);
    expect(clockText(executionTime(report, drawnAt))).toBe('0:45');
  });
});

test.each([
  ['while running: from the start to now', { startedAt: 100 }, 160, 60],
  ['once ended: from the start to the end, however late it is drawn', { startedAt: 100, endedAt: 130 }, 500, 30],
])('executionTime %s', (_, report, now, seconds) => {
  expect(executionTime(report, now)).toBe(seconds);
});

test.each([
  ['a job run without the correlation argument', { '--day': '2026-11-24', '--glue-orchestrated-pipeline-task': 'ab12' }, { '--day': '2026-11-24' }],
  ['a workflow run without the correlation property', { 'day': '2026-11-24', 'glue-orchestrated-pipeline-task': 'ab12' }, { day: '2026-11-24' }],
  ['nothing but the correlation argument', { '--glue-orchestrated-pipeline-task': 'ab12' }, undefined],
  ['no arguments', undefined, undefined],
])('shownArguments: %s', (_, args, shown) => {
  expect(shownArguments(args)).toEqual(shown);
});

describe('RunTracker: a step retried after a failed attempt', () => {
  // The view reads Glue only for runs it paired with tasks; none here, so Glue is a bare emitter.
  const glue = Object.assign(new EventEmitter(), { stateOf: () => 'RUNNING' }) as unknown as GlueService;
  const task = (status: ActivityTask['status'], startedAt?: number): ActivityTask =>
    ({ token: `t${Math.random()}`, activityArn: 'arn', stateName: 'orders', input: '{"kind":"glue-job","jobName":"extract-orders"}', scheduledAt: 0, status, startedAt, heartbeats: 0 });
  const report = (): ExecutionReport => ({
    executionArn: 'arn:exec',
    status: 'RUNNING',
    startedAt: 0,
    // aws-local-stepfunctions reports StateFailed for every failed attempt, then retries the state.
    states: [{ name: 'orders', enteredAt: 0, exitedAt: 300, status: 'FAILED', retries: 1, error: 'Glue.JobFailed' }],
  });

  test('GIVEN the retry\'s task waits for the runner THEN it is retrying, not FAILED, and names no attempt yet', () => {
    const tasks = [task('FAILED', 10), task('SCHEDULED')];
    const [view] = new RunTracker(glue, tasks).steps(['orders'], report(), 330);
    expect(view).toMatchObject({ status: 'retrying after Glue.JobFailed: waiting for the runner', elapsed: 330 });
    expect(view.attempt).toBeUndefined();
  });

  test('GIVEN the runner took the retry\'s task THEN it is attempt 2, and running again', () => {
    const tasks = [task('FAILED', 10), task('STARTED', 340)];
    const [view] = new RunTracker(glue, tasks).steps(['orders'], report(), 340);
    expect(view).toMatchObject({ status: 'starting', attempt: 2, elapsed: 340 });
  });
});

test.each([
  ['STARTING 10 s, RUNNING 240 s: one boundary, the end is the run\'s own', [{ state: 'STARTING', seconds: 10 }, { state: 'RUNNING', seconds: 240 }], [110]],
  ['three phases', [{ state: 'WAITING', seconds: 5 }, { state: 'STARTING', seconds: 10 }, { state: 'RUNNING', seconds: 60 }], [105, 115]],
  ['no phases', undefined, []],
] as const)('phaseBoundaries: %s', (_, phases, boundaries) => {
  expect(phaseBoundaries({ startedAt: 100, script: { phases: phases as never } })).toEqual(boundaries);
});
