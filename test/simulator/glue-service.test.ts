import { GlueService } from '../../simulator/local-aws/glue-service';
import { ServiceError } from '../../simulator/local-aws/service-error';
import { SimClock } from '../../simulator/sim-clock';

/** The Glue fake decides what every scenario sees; its timeline must be what the script says. */
let clock: SimClock;
beforeEach(() => {
  clock = new SimClock();
});

test('GIVEN a scripted job WHEN time passes THEN a run walks through its phases and ends in the final state with its message', async () => {
  const glue = new GlueService(clock, {
    etl: { phases: [{ state: 'WAITING', seconds: 30 }, { state: 'RUNNING', seconds: 30 }], finalState: 'FAILED', errorMessage: 'boom' },
  });
  const { JobRunId } = glue.startJobRun({ JobName: 'etl', Arguments: { '--a': '1' } });
  const state = () => glue.getJobRun('etl', JobRunId).JobRun;
  expect(state()).toMatchObject({ JobRunState: 'WAITING', ErrorMessage: undefined, CompletedOn: undefined });
  await clock.sleep(40);
  expect(state().JobRunState).toBe('RUNNING');
  await clock.sleep(30);
  expect(state()).toMatchObject({ JobRunState: 'FAILED', ErrorMessage: 'boom', Arguments: { '--a': '1' }, ExecutionTime: 60 });
});

test('GIVEN a job script keyed on the run\'s arguments WHEN runs start THEN each follows the script its arguments pick', async () => {
  const glue = new GlueService(clock, {
    daily: {
      phases: [{ state: 'RUNNING', seconds: 10 }],
      byArguments: (args) => (args['--day'] === '2026-11-07' ? { phases: [{ state: 'RUNNING', seconds: 10 }], finalState: 'FAILED', errorMessage: 'no file' } : undefined),
    },
  });
  const bad = glue.startJobRun({ JobName: 'daily', Arguments: { '--day': '2026-11-07' } }).JobRunId;
  const good = glue.startJobRun({ JobName: 'daily', Arguments: { '--day': '2026-11-08' } }).JobRunId;
  await clock.sleep(20);
  expect(glue.getJobRun('daily', bad).JobRun).toMatchObject({ JobRunState: 'FAILED', ErrorMessage: 'no file' });
  expect(glue.getJobRun('daily', good).JobRun.JobRunState).toBe('SUCCEEDED');
});

test('GIVEN scripted start errors WHEN StartJobRun is called THEN each call throws the next one, then runs start', () => {
  const glue = new GlueService(clock, { etl: { startErrors: ['ConcurrentRunsExceededException', 'ThrottlingException'] } });
  expect(() => glue.startJobRun({ JobName: 'etl' })).toThrow(expect.objectContaining({ code: 'ConcurrentRunsExceededException' }));
  expect(() => glue.startJobRun({ JobName: 'etl' })).toThrow(expect.objectContaining({ code: 'ThrottlingException' }));
  expect(glue.startJobRun({ JobName: 'etl' }).JobRunId).toMatch(/^jr_[0-9a-f]{64}$/);
});

test('GIVEN a running run WHEN stopped THEN it is STOPPING, then STOPPED; a finished run cannot be stopped', async () => {
  const glue = new GlueService(clock, { etl: { phases: [{ state: 'RUNNING', seconds: 1000 }] }, quick: { phases: [] } });
  const run = glue.startJobRun({ JobName: 'etl' }).JobRunId;
  const done = glue.startJobRun({ JobName: 'quick' }).JobRunId;
  expect(glue.batchStopJobRun('etl', [run])).toMatchObject({ SuccessfulSubmissions: [{ JobRunId: run }], Errors: [] });
  expect(glue.getJobRun('etl', run).JobRun.JobRunState).toBe('STOPPING');
  await clock.sleep(10);
  expect(glue.getJobRun('etl', run).JobRun).toMatchObject({ JobRunState: 'STOPPED', ErrorMessage: 'Job run was stopped' });
  expect(glue.batchStopJobRun('quick', [done]).Errors).toEqual([expect.objectContaining({ JobRunId: done })]);
});

test('GIVEN a next-run script WHEN the job runs twice THEN the second run follows it', () => {
  const glue = new GlueService(clock, { etl: { phases: [], finalState: 'FAILED', next: { phases: [], finalState: 'SUCCEEDED' } } });
  const first = glue.startJobRun({ JobName: 'etl' }).JobRunId;
  const second = glue.startJobRun({ JobName: 'etl' }).JobRunId;
  expect([first, second].map((id) => glue.getJobRun('etl', id).JobRun.JobRunState)).toEqual(['FAILED', 'SUCCEEDED']);
});

test('GIVEN runs of two jobs WHEN listed THEN GetJobRuns pages one job\'s runs, newest first; an unknown run is EntityNotFound', () => {
  const glue = new GlueService(clock);
  const ids = [1, 2, 3].map(() => glue.startJobRun({ JobName: 'a' }).JobRunId);
  glue.startJobRun({ JobName: 'b' });
  const page1 = glue.getJobRuns('a', 2);
  const page2 = glue.getJobRuns('a', 2, page1.NextToken);
  expect([...page1.JobRuns, ...page2.JobRuns].map((r) => r.Id)).toEqual([...ids].reverse());
  expect(page2.NextToken).toBeUndefined();
  expect(() => glue.getJobRun('a', 'jr_nope')).toThrow(ServiceError);
});

describe('end announcements (Glue Job State Change)', () => {
  const ended = (glue: GlueService) => {
    const seen: Array<{ id: string; state: string; at: number }> = [];
    glue.on('ended', (run: { id: string }, state: string, at: number) => seen.push({ id: run.id, state, at }));
    return seen;
  };

  test('GIVEN many runs WHEN each reaches its final state THEN each is announced exactly once, with its state and its end time, none missed', async () => {
    // GIVEN 50 runs started a simulated second apart
    const glue = new GlueService(clock, {}, { phases: [{ state: 'RUNNING', seconds: 7 }], finalState: 'TIMEOUT' });
    const seen = ended(glue);
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      ids.push(glue.startJobRun({ JobName: 'etl' }).JobRunId);
      await clock.sleep(1);
    }
    // WHEN
    await clock.sleep(10);
    // THEN each was announced in order, at its end, with the clock reading that end
    expect(seen.map((e) => e.id)).toEqual(ids);
    expect(seen.every((e) => e.state === 'TIMEOUT')).toBe(true);
    seen.forEach((e, i) => expect(e.at).toBeCloseTo(glue.runs[i].startedAt + 7, 6));
    glue.dispose();
  });

  test('GIVEN a run stopped before its natural end WHEN it has stopped THEN only its STOPPED end is announced', async () => {
    const glue = new GlueService(clock, {}, { phases: [{ state: 'RUNNING', seconds: 60 }], finalState: 'SUCCEEDED' });
    const seen = ended(glue);
    const { JobRunId } = glue.startJobRun({ JobName: 'etl' });
    await clock.sleep(10);
    glue.batchStopJobRun('etl', [JobRunId]);
    await clock.sleep(80);
    expect(seen.map((e) => e.state)).toEqual(['STOPPED']);
    glue.dispose();
  });

  test('GIVEN dispose WHEN runs would end later THEN nothing is announced', async () => {
    const glue = new GlueService(clock);
    const seen = ended(glue);
    glue.startJobRun({ JobName: 'etl' });
    glue.dispose();
    await clock.sleep(100);
    expect(seen).toEqual([]);
  });
});

describe('Glue\'s own retries (MaxRetries)', () => {
  const RETRIED = { phases: [{ state: 'RUNNING' as const, seconds: 60 }], maxRetries: 2, retryDelaySeconds: 10, errorMessage: 'boom' };

  test('GIVEN a job with MaxRetries 2 whose attempts fail, fail, succeed WHEN run THEN Glue starts two retries, each with Attempt one higher, PreviousRunId and the same arguments, and announces every attempt\'s end', async () => {
    // GIVEN
    const glue = new GlueService(clock, { etl: { ...RETRIED, attemptStates: ['FAILED', 'FAILED', 'SUCCEEDED'] } });
    const ends: string[] = [];
    glue.on('ended', (run, state) => ends.push(`${run.attempt}:${state}`));
    // WHEN
    const { JobRunId } = glue.startJobRun({ JobName: 'etl', Arguments: { '--a': '1' } });
    await clock.sleep(60 + 10 + 60 + 10 + 60 + 1);
    // THEN
    const runs = glue.getJobRuns('etl').JobRuns.reverse();
    expect(runs.map((r) => [r.Attempt, r.JobRunState, r.Arguments])).toEqual([
      [0, 'FAILED', { '--a': '1' }], [1, 'FAILED', { '--a': '1' }], [2, 'SUCCEEDED', { '--a': '1' }],
    ]);
    expect(runs.map((r) => r.PreviousRunId)).toEqual([undefined, JobRunId, runs[1].Id]);
    expect(runs[1].StartedOn! - runs[0].CompletedOn!).toBeCloseTo(10);
    expect(ends).toEqual(['0:FAILED', '1:FAILED', '2:SUCCEEDED']);
    expect(glue.getJob('etl')).toEqual({ Job: { Name: 'etl', MaxRetries: 2 } });
  });

  test.each(['TIMEOUT', 'STOPPED', 'ERROR', 'EXPIRED'] as const)('GIVEN a job with MaxRetries 2 whose run ends %s WHEN it ends THEN Glue does not retry it', async (finalState) => {
    const glue = new GlueService(clock, { etl: { ...RETRIED, finalState } });
    glue.startJobRun({ JobName: 'etl' });
    await clock.sleep(600);
    expect(glue.runs).toHaveLength(1);
  });

  test('GIVEN a run stopped by its owner WHEN it ends STOPPED THEN Glue does not retry it; the last attempt failing leaves no more', async () => {
    const glue = new GlueService(clock, { etl: { ...RETRIED, finalState: 'FAILED' }, other: { ...RETRIED, finalState: 'FAILED' } });
    const run = glue.startJobRun({ JobName: 'etl' }).JobRunId;
    glue.batchStopJobRun('etl', [run]);
    glue.startJobRun({ JobName: 'other', Arguments: { '--b': '2' } });
    await clock.sleep(1000);
    expect(glue.runs.filter((r) => r.jobName === 'etl')).toHaveLength(1);
    expect(glue.runs.filter((r) => r.jobName === 'other').map((r) => r.attempt)).toEqual([0, 1, 2]);
    expect(glue.getJob('unlisted')).toEqual({ Job: { Name: 'unlisted', MaxRetries: 0 } });
  });
});
