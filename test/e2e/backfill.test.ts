import { backfillOn, DAILY_JOB, dailyPipeline, executionNames } from './backfill-fixture';
import { simulationPerTest } from './e2e-fixture';
import { JobScript } from '../../simulator/local-aws/glue-service';
import { mostRunningAtOnce } from '../../simulator/local-aws/sfn-executions';
import { ExitCode } from '../../src/cli/exit-codes';
import { logicalDatesBetween } from '../../src/shared/logical-date';

jest.setTimeout(240_000);

const sims = simulationPerTest(dailyPipeline());
const NOVEMBER = logicalDatesBetween('2026-11-01', '2026-11-30');
const RANGE = ['--from', '2026-11-01', '--to', '2026-11-30', '--max-concurrent', '3', '--poll-seconds', '30'];
/** Every run of the daily job takes 5 minutes. */
const FIVE_MINUTES: JobScript = { phases: [{ state: 'STARTING', seconds: 10 }, { state: 'RUNNING', seconds: 290 }] };

test('GIVEN 30 dates and --max-concurrent 3 WHEN the backfill runs THEN 30 executions, never more than 3 running, all succeed, exit 0; the same command again starts none', async () => {
  // GIVEN
  const sim = await sims.start({ jobs: { [DAILY_JOB]: FIVE_MINUTES } });
  // WHEN
  const first = await backfillOn(sim, RANGE);
  // THEN
  expect(first.code).toBe(ExitCode.SUCCEEDED);
  expect(executionNames(sim)).toEqual(NOVEMBER.map((d) => `run-${d}`));
  expect(sim.executions.every((e) => e.status === 'SUCCEEDED')).toBe(true);
  expect(mostRunningAtOnce(sim.executions)).toBe(3);
  // each date's run got its own date
  expect(sim.glue.runs.map((r) => r.request.Arguments?.['--day']).sort()).toEqual(NOVEMBER);
  expect(first.output).toContain('Backfill of 30 dates: 30 SUCCEEDED');
  expect(first.output).toContain('This run: 30 started, 0 redriven, 0 found already started');

  // WHEN the same command runs again
  const startsBefore = sim.callsTo('sfn', 'StartExecution').length;
  const second = await backfillOn(sim, RANGE);
  // THEN it starts nothing
  expect(second.code).toBe(ExitCode.SUCCEEDED);
  expect(sim.executions).toHaveLength(30);
  expect(sim.callsTo('sfn', 'StartExecution')).toHaveLength(startsBefore);
  expect(second.output).toContain('This run: 0 started, 0 redriven, 0 found already started');
});

test('GIVEN two dates whose job fails WHEN the backfill runs THEN exit 1 naming them; the same command starts none; after the fix --only-failed reruns exactly those two, and again none', async () => {
  // GIVEN the job fails for two days
  const failing = new Set(['2026-11-07', '2026-11-19']);
  const sim = await sims.start({
    jobs: {
      [DAILY_JOB]: {
        ...FIVE_MINUTES,
        byArguments: (args) => (failing.has(args['--day']) ? { ...FIVE_MINUTES, finalState: 'FAILED', errorMessage: 'no orders file' } : undefined),
      },
    },
  });
  // WHEN
  const first = await backfillOn(sim, RANGE);
  // THEN
  expect(first.code).toBe(ExitCode.NOT_ALL_SUCCEEDED);
  expect(mostRunningAtOnce(sim.executions)).toBe(3);
  const failed = sim.executions.filter((e) => e.status !== 'SUCCEEDED');
  expect(failed.map((e) => e.executionArn.split(':').pop())).toEqual(['run-2026-11-07', 'run-2026-11-19']);
  expect(first.output).toContain('Backfill of 30 dates: 28 SUCCEEDED, 2 FAILED');
  for (const e of failed) {
    expect(first.output).toContain(`FAILED  ${e.executionArn}`);
    expect(first.output).toContain(`https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1#/v2/executions/details/${e.executionArn}`);
  }

  // WHEN the same command runs again: nothing is started, the failures still count
  const again = await backfillOn(sim, RANGE);
  expect(again.code).toBe(ExitCode.NOT_ALL_SUCCEEDED);
  expect(sim.executions).toHaveLength(30);
  expect(again.output).toContain('This run: 0 started, 0 redriven, 0 found already started');

  // WHEN the job is fixed and --only-failed runs, within Step Functions' 14 days
  failing.clear();
  const runsBefore = sim.glue.runs.length;
  const rerun = await backfillOn(sim, [...RANGE, '--only-failed']);
  // THEN exactly the two dates ran again, by redrive (same executions, no new ones), and succeeded
  expect(rerun.code).toBe(ExitCode.SUCCEEDED);
  expect(sim.executions).toHaveLength(30);
  expect(failed.map((e) => [e.status, e.redriveCount])).toEqual([['SUCCEEDED', 1], ['SUCCEEDED', 1]]);
  expect(sim.glue.runs.slice(runsBefore).map((r) => r.request.Arguments?.['--day']).sort()).toEqual(['2026-11-07', '2026-11-19']);
  expect(sim.callsTo('sfn', 'RedriveExecution').map((c) => JSON.parse(c.body).executionArn)).toEqual(failed.map((e) => e.executionArn));
  expect(rerun.output).toContain('This run: 0 started, 2 redriven, 0 found already started');

  // WHEN --only-failed runs again: nothing failed any more
  const rerunAgain = await backfillOn(sim, [...RANGE, '--only-failed']);
  expect(rerunAgain.code).toBe(ExitCode.SUCCEEDED);
  expect(sim.executions).toHaveLength(30);
  expect(rerunAgain.output).toContain('This run: 0 started, 0 redriven, 0 found already started');
  // and the plain backfill sees every date succeeded
  expect((await backfillOn(sim, RANGE)).code).toBe(ExitCode.SUCCEEDED);
  expect(sim.executions).toHaveLength(30);
});

test('GIVEN a date that failed more than 14 days ago WHEN --only-failed runs THEN it starts the date\'s second attempt, once', async () => {
  // GIVEN
  let failing = true;
  const sim = await sims.start({
    jobs: { [DAILY_JOB]: { ...FIVE_MINUTES, byArguments: (args) => (failing && args['--day'] === '2026-11-02' ? { ...FIVE_MINUTES, finalState: 'FAILED' } : undefined) } },
  });
  await backfillOn(sim, ['--dates', '2026-11-01,2026-11-02', '--poll-seconds', '30']);
  failing = false;
  await sim.idle(15 * 24 * 3600);
  // WHEN
  const dry = await backfillOn(sim, ['--dates', '2026-11-01,2026-11-02', '--dry-run', '--only-failed']);
  const rerun = await backfillOn(sim, ['--dates', '2026-11-01,2026-11-02', '--only-failed', '--poll-seconds', '30']);
  const again = await backfillOn(sim, ['--dates', '2026-11-01,2026-11-02', '--only-failed', '--poll-seconds', '30']);
  // THEN
  expect(dry.output).toContain('2026-11-02  would start run-2026-11-02-attempt-2 (run-2026-11-02 is FAILED, not redrivable: Execution redrivable period exceeded');
  expect(rerun.code).toBe(ExitCode.SUCCEEDED);
  expect(executionNames(sim)).toEqual(['run-2026-11-01', 'run-2026-11-02', 'run-2026-11-02-attempt-2']);
  expect(rerun.output).toContain('This run: 1 started, 0 redriven, 0 found already started');
  expect(again.output).toContain('This run: 0 started, 0 redriven, 0 found already started');
  expect(sim.executions).toHaveLength(3);
});

test('GIVEN some dates ran WHEN --dry-run THEN it starts nothing and lists what it would do for each date', async () => {
  // GIVEN two of five dates ran, one of them failed
  const sim = await sims.start({
    jobs: { [DAILY_JOB]: { ...FIVE_MINUTES, byArguments: (args) => (args['--day'] === '2026-11-02' ? { ...FIVE_MINUTES, finalState: 'FAILED' } : undefined) } },
  });
  await backfillOn(sim, ['--dates', '2026-11-01,2026-11-02', '--poll-seconds', '30']);
  const startsBefore = sim.callsTo('sfn', 'StartExecution').length;
  // WHEN
  const plain = await backfillOn(sim, ['--from', '2026-11-01', '--to', '2026-11-05', '--dry-run']);
  const onlyFailed = await backfillOn(sim, ['--from', '2026-11-01', '--to', '2026-11-05', '--dry-run', '--only-failed']);
  // THEN
  expect([plain.code, onlyFailed.code]).toEqual([ExitCode.SUCCEEDED, ExitCode.SUCCEEDED]);
  expect(sim.callsTo('sfn', 'StartExecution')).toHaveLength(startsBefore);
  expect(sim.executions).toHaveLength(2);
  expect(plain.output).toContain('2026-11-01  nothing to do: run-2026-11-01 is SUCCEEDED');
  expect(plain.output).toContain('2026-11-02  would leave it: run-2026-11-02 is FAILED');
  expect(plain.output).toContain('2026-11-03  would start run-2026-11-03');
  expect(plain.output).toContain('Dry run: would start or redrive 3');
  expect(onlyFailed.output).toContain('2026-11-02  would redrive run-2026-11-02 (FAILED)');
  expect(onlyFailed.output).toContain('2026-11-03  would leave it: no execution (--only-failed starts only failed dates)');
  expect(onlyFailed.output).toContain('Dry run: would start or redrive 1');
});

test('GIVEN a backfill running WHEN Ctrl-C THEN nothing more starts, the running executions are left to finish, exit 130; the same command later goes on', async () => {
  // GIVEN
  const sim = await sims.start({ jobs: { [DAILY_JOB]: FIVE_MINUTES } });
  // WHEN Ctrl-C a minute in: the first three run
  const interrupted = await backfillOn(sim, RANGE, 60);
  // THEN
  expect(interrupted.code).toBe(ExitCode.INTERRUPTED);
  expect(executionNames(sim)).toEqual(['run-2026-11-01', 'run-2026-11-02', 'run-2026-11-03']);
  expect(sim.executions.every((e) => e.status === 'RUNNING')).toBe(true);
  expect(interrupted.output).toContain('Interrupted: started nothing more.');
  expect(interrupted.output).toContain('Still running, left alone:');
  expect(interrupted.output).toContain('Not started: 2026-11-04');
  // the three are left alone: they succeed
  await sim.advance(600);
  expect(sim.executions.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);

  // WHEN the same command runs again, it starts the rest only
  const resumed = await backfillOn(sim, RANGE);
  expect(resumed.code).toBe(ExitCode.SUCCEEDED);
  expect(executionNames(sim)).toEqual(NOVEMBER.map((d) => `run-${d}`));
  expect(resumed.output).toContain('This run: 27 started');
});

test('GIVEN an earlier backfill left 2 executions running WHEN a new one runs with --max-concurrent 3 THEN they count: at most 3 run at once', async () => {
  // GIVEN
  const sim = await sims.start({ jobs: { [DAILY_JOB]: FIVE_MINUTES } });
  await backfillOn(sim, ['--dates', '2026-11-01,2026-11-02'], 30);
  expect(sim.executions.map((e) => e.status)).toEqual(['RUNNING', 'RUNNING']);
  // WHEN
  const run = await backfillOn(sim, ['--from', '2026-11-01', '--to', '2026-11-10', '--max-concurrent', '3', '--poll-seconds', '30']);
  // THEN
  expect(run.code).toBe(ExitCode.SUCCEEDED);
  expect(sim.executions).toHaveLength(10);
  expect(mostRunningAtOnce(sim.executions)).toBe(3);
});

test('GIVEN StartExecution takes effect and its answer is lost WHEN the backfill runs THEN the SDK\'s retry finds the same execution: one per date', async () => {
  // GIVEN the first start's answer is lost (an error after it took effect), as a dropped connection would
  const sim = await sims.start({
    jobs: { [DAILY_JOB]: FIVE_MINUTES },
    faults: [{ service: 'sfn', op: 'StartExecution', action: { kind: 'error-after', type: 'InternalFailure', status: 500 } }],
  });
  // WHEN
  const run = await backfillOn(sim, ['--from', '2026-11-01', '--to', '2026-11-04', '--poll-seconds', '30']);
  // THEN
  expect(run.code).toBe(ExitCode.SUCCEEDED);
  expect(sim.callsTo('sfn', 'StartExecution')).toHaveLength(5);
  expect(executionNames(sim)).toEqual(['run-2026-11-01', 'run-2026-11-02', 'run-2026-11-03', 'run-2026-11-04']);
});
