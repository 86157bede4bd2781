import { TimeZone } from 'aws-cdk-lib';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { backfillOn, DAILY_JOB, dailyPipeline, executionNames } from './backfill-fixture';
import { simulationPerTest } from './e2e-fixture';
import { Simulation } from '../../simulator/simulation';
import { ExitCode } from '../../src/cli/exit-codes';

jest.setTimeout(120_000);

// A nightly schedule at 02:00 in Lisbon, for the day before, with the rest of the input fixed.
const sims = simulationPerTest(dailyPipeline(), (pipeline) => pipeline.addExecutionSchedule('Nightly', {
  schedule: ScheduleExpression.cron({ hour: '2', minute: '0', timeZone: TimeZone.EUROPE_LISBON }),
  input: { mode: 'full' },
}));
const JOB = { [DAILY_JOB]: { phases: [{ state: 'RUNNING' as const, seconds: 300 }] } };

/** Scheduler fires the schedule for `scheduledTime`; the runner's result. */
async function fire(sim: Simulation, scheduledTime: string) {
  const invocation = await sim.fireExecutionSchedule(scheduledTime);
  expect(invocation.ok).toBe(true);
  return invocation.result as { scheduled: { outcome: string; logicalDate: string; executionName: string } };
}

test('GIVEN a nightly schedule WHEN it fires at 02:00 on 1 December THEN the execution of 30 November runs, with its date in the input', async () => {
  const sim = await sims.start({ jobs: JOB });
  const result = await fire(sim, '2026-12-01T02:00:00Z');
  expect(result.scheduled).toMatchObject({ outcome: 'started', logicalDate: '2026-11-30', executionName: 'run-2026-11-30' });
  await sim.advance(15 * 60);
  expect(executionNames(sim)).toEqual(['run-2026-11-30']);
  expect(sim.executions[0].status).toBe('SUCCEEDED');
  expect(sim.glue.runs.map((r) => r.request.Arguments?.['--day'])).toEqual(['2026-11-30']);
  expect(sim.stepFunctions.describeExecution(sim.executions[0].executionArn).input).toBe(JSON.stringify({ mode: 'full', runDate: '2026-11-30' }));
});

test('GIVEN the date ran WHEN the schedule fires for it again (while running, and after) THEN nothing more starts', async () => {
  const sim = await sims.start({ jobs: JOB });
  await fire(sim, '2026-12-01T02:00:00Z');
  // Again while it runs: the same name and input, StartExecution starts nothing new.
  expect((await fire(sim, '2026-12-01T02:00:00Z')).scheduled.outcome).toBe('started');
  await sim.advance(15 * 60);
  // Again once it ended: ExecutionAlreadyExists.
  expect((await fire(sim, '2026-12-01T02:00:00Z')).scheduled.outcome).toBe('exists');
  expect(executionNames(sim)).toEqual(['run-2026-11-30']);
  expect(sim.glue.runs).toHaveLength(1);
});

test('GIVEN a backfill ran a date WHEN the schedule fires for the same date THEN it starts nothing: one date, one execution', async () => {
  const sim = await sims.start({ jobs: JOB });
  const backfill = await backfillOn(sim, ['--dates', '2026-12-01', '--input', '{"mode":"full","runDate":"{{date}}"}', '--poll-seconds', '30']);
  expect(backfill.code).toBe(ExitCode.SUCCEEDED);
  expect((await fire(sim, '2026-12-02T02:00:00Z')).scheduled).toMatchObject({ outcome: 'exists', executionName: 'run-2026-12-01' });
  await sim.advance(15 * 60);
  expect(executionNames(sim)).toEqual(['run-2026-12-01']);
  expect(sim.glue.runs).toHaveLength(1);
});
