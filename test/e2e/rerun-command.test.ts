import { DescribeExecutionCommand, DescribeExecutionOutput, SFNClient } from '@aws-sdk/client-sfn';
import { backfillOn, CliRun, gluePipeline } from './backfill-fixture';
import { jobOf, simulationPerTest } from './e2e-fixture';
import { Simulation } from '../../simulator/simulation';
import { ExitCode } from '../../src/cli/exit-codes';
import { executionArnOf } from '../../src/shared/logical-date';

jest.setTimeout(240_000);

/**
 * `glue-pipeline rerun` in-process against the simulation of the three-step pipeline (extract,
 * transform, load). Which steps a rerun runs is the runner's business and is not checked here:
 * only what the command does, the execution it starts (name, input) and how it waits.
 */
const sims = simulationPerTest();
const DAY = 'run-2026-11-30';
/** A run of a day: no execution ends while a test looks at it running. */
const ONE_DAY = { phases: [{ state: 'RUNNING' as const, seconds: 86_400 }] };

function rerunOn(sim: Simulation, args: string[], interruptAfter?: number): Promise<CliRun> {
  return gluePipeline(sim, ['rerun', '--state-machine-arn', sim.pipeline.stateMachineArn, '--poll-seconds', '30', ...args], interruptAfter);
}

/** DescribeExecution of a name, through the simulation's Step Functions endpoint. */
async function describe(sim: Simulation, name: string): Promise<DescribeExecutionOutput> {
  const client = new SFNClient({ region: 'us-east-1', endpoint: sim.proxies.get('sfn')!.url, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    return await client.send(new DescribeExecutionCommand({ executionArn: executionArnOf(sim.pipeline.stateMachineArn, name) }));
  } finally {
    client.destroy();
  }
}

/** The day's execution, started by a backfill of that one date, ended. */
async function dayRan(sim: Simulation): Promise<string> {
  expect((await backfillOn(sim, ['--dates', '2026-11-30', '--poll-seconds', '30'])).code).toBe(ExitCode.SUCCEEDED);
  return executionArnOf(sim.pipeline.stateMachineArn, DAY);
}

test('GIVEN a day\'s execution ended WHEN rerun --from transform --wait THEN it starts <day>-from-transform with the day\'s input and rerunFrom, and returns once it ended; the same rerun again starts -2', async () => {
  // GIVEN
  const sim = await sims.start();
  const earlierArn = await dayRan(sim);
  // WHEN
  const first = await rerunOn(sim, ['--from', 'transform', '--execution', DAY, '--wait']);
  // THEN
  const rerun = await describe(sim, `${DAY}-from-transform`);
  expect(JSON.parse(rerun.input!)).toEqual({ runDate: '2026-11-30', rerunFrom: { step: 'transform', execution: earlierArn } });
  expect(rerun.status).not.toBe('RUNNING');
  expect(first.code).toBe(rerun.status === 'SUCCEEDED' ? ExitCode.SUCCEEDED : ExitCode.NOT_ALL_SUCCEEDED);
  expect(first.output).toContain(`Rerun of ${DAY} (SUCCEEDED) from step transform: started ${DAY}-from-transform\n  ${rerun.executionArn}\n`);
  expect(first.output).toContain(`https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1#/v2/executions/details/${rerun.executionArn}`);
  expect(first.output).toMatch(new RegExp(`${rerun.status} ${DAY}-from-transform after \\d+m \\d\\ds\\n`));

  // WHEN the same rerun runs again (without --wait): the default name is taken, the next is not
  const second = await rerunOn(sim, ['--from', 'transform', '--execution', DAY]);
  // THEN
  expect(second.code).toBe(ExitCode.SUCCEEDED);
  expect(second.output).toContain(`${DAY}-from-transform exists already (${rerun.status}): trying the next name`);
  expect(second.output).toContain(`started ${DAY}-from-transform-2\n`);
  expect(JSON.parse((await describe(sim, `${DAY}-from-transform-2`)).input!)).toEqual(JSON.parse(rerun.input!));
});

test('GIVEN a rerun ended WHEN it is rerun by ARN from load with --name and --input THEN that name, that input, and rerunFrom points at the rerun', async () => {
  // GIVEN
  const sim = await sims.start();
  await dayRan(sim);
  await rerunOn(sim, ['--from', 'transform', '--execution', DAY, '--wait']);
  const firstRerunArn = executionArnOf(sim.pipeline.stateMachineArn, `${DAY}-from-transform`);
  // WHEN
  const cli = await rerunOn(sim, ['--from', 'load', '--execution', firstRerunArn, '--name', 'fix-load', '--input', '{"runDate":"2026-11-30","full":true}']);
  // THEN
  expect(cli.code).toBe(ExitCode.SUCCEEDED);
  expect(JSON.parse((await describe(sim, 'fix-load')).input!)).toEqual({ runDate: '2026-11-30', full: true, rerunFrom: { step: 'load', execution: firstRerunArn } });

  // WHEN the same --name is given again: it is taken, and only that name is tried
  const again = await rerunOn(sim, ['--from', 'load', '--execution', firstRerunArn, '--name', 'fix-load', '--input', '{"runDate":"2026-12-01"}']);
  // THEN
  expect(again.code).toBe(ExitCode.USAGE);
  expect(again.output).toMatch(/an execution named fix-load exists already \((RUNNING|SUCCEEDED|FAILED), with another input\): choose another --name/);
  expect(again.output).toContain('Nothing was started.');
});

test('GIVEN the day\'s execution still RUNNING WHEN rerun THEN refused, exit 2, nothing started', async () => {
  // GIVEN a backfill left the day's execution running (Ctrl-C after a minute)
  const sim = await sims.start({ jobs: { [jobOf('extract')]: ONE_DAY } });
  expect((await backfillOn(sim, ['--dates', '2026-11-30'], 60)).code).toBe(ExitCode.INTERRUPTED);
  const starts = sim.callsTo('sfn', 'StartExecution').length;
  // WHEN
  const cli = await rerunOn(sim, ['--from', 'load', '--execution', DAY]);
  // THEN
  expect(cli.code).toBe(ExitCode.USAGE);
  expect(cli.output).toContain(`glue-pipeline rerun: ${DAY} is RUNNING: its results are not all there yet; wait for it to end, then rerun it\nNothing was started.\n`);
  expect(sim.callsTo('sfn', 'StartExecution')).toHaveLength(starts);
});

test('GIVEN the same rerun still RUNNING WHEN it is run again THEN "already running", no second start, exit 0', async () => {
  // GIVEN load's second run lasts a day, and the rerun from load was started
  const sim = await sims.start({ jobs: { [jobOf('load')]: { next: ONE_DAY } } });
  await dayRan(sim);
  const first = await rerunOn(sim, ['--from', 'load', '--execution', DAY]);
  expect(first.output).toContain(`from step load: started ${DAY}-from-load\n`);
  const starts = sim.callsTo('sfn', 'StartExecution').length;
  // WHEN
  const again = await rerunOn(sim, ['--from', 'load', '--execution', DAY]);
  // THEN the running one is reported, not started again, and no -2 is started beside it
  expect(again.code).toBe(ExitCode.SUCCEEDED);
  expect(again.output).toContain(`Rerun of ${DAY} (SUCCEEDED) from step load: already running: ${DAY}-from-load\n  ${executionArnOf(sim.pipeline.stateMachineArn, `${DAY}-from-load`)}\n`);
  expect(again.output).not.toContain('started');
  expect(sim.callsTo('sfn', 'StartExecution')).toHaveLength(starts);
  expect((await describe(sim, `${DAY}-from-load`)).status).toBe('RUNNING');
});

test('GIVEN the day\'s execution FAILED at transform WHEN rerun --from load THEN refused from its history, naming the steps it reached, exit 2, nothing started', async () => {
  // GIVEN
  const sim = await sims.start({ jobs: { [jobOf('transform')]: { phases: [{ state: 'RUNNING', seconds: 60 }], finalState: 'FAILED', errorMessage: 'scripted failure' } } });
  expect((await backfillOn(sim, ['--dates', '2026-11-30', '--poll-seconds', '30'])).code).toBe(ExitCode.NOT_ALL_SUCCEEDED);
  expect((await describe(sim, DAY)).status).toBe('FAILED');
  const starts = sim.callsTo('sfn', 'StartExecution').length;
  // WHEN
  const cli = await rerunOn(sim, ['--from', 'load', '--execution', DAY]);
  // THEN
  expect(cli.code).toBe(ExitCode.USAGE);
  expect(cli.output).toContain(`glue-pipeline rerun: ${DAY} never reached step load: a re-run starts from a step the earlier execution reached; `
    + 'it reached: extract, transform\nNothing was started.\n');
  expect(sim.callsTo('sfn', 'GetExecutionHistory').length).toBeGreaterThan(0);
  expect(sim.callsTo('sfn', 'StartExecution')).toHaveLength(starts);

  // WHEN rerun from the step that failed THEN started
  const fromTransform = await rerunOn(sim, ['--from', 'transform', '--execution', DAY]);
  expect(fromTransform.code).toBe(ExitCode.SUCCEEDED);
  expect(fromTransform.output).toContain(`started ${DAY}-from-transform\n`);
});

test('GIVEN no execution of that name WHEN rerun THEN a clear error, exit 2, nothing started', async () => {
  const sim = await sims.start();
  const cli = await rerunOn(sim, ['--from', 'load', '--execution', 'run-2026-11-31']);
  expect(cli.code).toBe(ExitCode.USAGE);
  expect(cli.output).toContain(`no execution ${executionArnOf(sim.pipeline.stateMachineArn, 'run-2026-11-31')} (Step Functions: ExecutionDoesNotExist): check --execution`);
  expect(sim.callsTo('sfn', 'StartExecution')).toHaveLength(0);
});

test('GIVEN a rerun that runs for a day WHEN Ctrl-C while --wait THEN it stops waiting, exit 130, the execution left RUNNING', async () => {
  // GIVEN load's second run lasts a day
  const sim = await sims.start({ jobs: { [jobOf('load')]: { next: ONE_DAY } } });
  await dayRan(sim);
  // WHEN
  const cli = await rerunOn(sim, ['--from', 'load', '--execution', DAY, '--wait'], 3600);
  // THEN
  expect(cli.code).toBe(ExitCode.INTERRUPTED);
  expect(cli.output).toContain(`Interrupted: stopped waiting; ${DAY}-from-load is left running\n`);
  expect((await describe(sim, `${DAY}-from-load`)).status).toBe('RUNNING');
});

test('WHEN glue-pipeline --help and rerun --help THEN the command is listed and its usage printed, exit 0', async () => {
  const sim = await sims.start();
  const top = await gluePipeline(sim, ['--help']);
  expect(top.code).toBe(ExitCode.SUCCEEDED);
  expect(top.output).toContain('rerun      start an execution that runs a step and the steps after it again');
  const help = await gluePipeline(sim, ['rerun', '--help']);
  expect(help.code).toBe(ExitCode.SUCCEEDED);
  expect(help.output).toContain('Usage: glue-pipeline rerun --state-machine-arn <arn> --from <step> --execution <name or ARN> [options]');
});
