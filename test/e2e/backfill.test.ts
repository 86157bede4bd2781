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
