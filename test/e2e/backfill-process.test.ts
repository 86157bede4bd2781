import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import { DAILY_JOB, dailyPipeline, executionNames } from './backfill-fixture';
import { simulationPerTest } from './e2e-fixture';
import { Simulation } from '../../simulator/simulation';
import { ExitCode } from '../../src/cli/exit-codes';

jest.setTimeout(120_000);

const sims = simulationPerTest(dailyPipeline());

/**
 * `glue-pipeline backfill` as its own process, wired as the installed command is (`run()`): the
 * SDK's own configuration (the endpoint from AWS_ENDPOINT_URL_SFN, the region from the ARN), real
 * timers, a real SIGINT. Its waits are real seconds, so only outcomes that do not depend on
 * timing are checked here; in-process runs (backfill.test.ts) check the rest on the simulated clock.
 */
function backfillProcess(sim: Simulation, args: string[]): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'glue-pipeline-process.ts'),
    'backfill', '--state-machine-arn', sim.pipeline.stateMachineArn, '--poll-seconds', '1', ...args], {
    cwd: path.join(__dirname, '..', '..'),
    env: {
      PATH: process.env.PATH,
      AWS_ENDPOINT_URL_SFN: sim.proxies.get('sfn')!.url,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (text += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => text, exit };
}

test('GIVEN the command as a process WHEN it backfills 4 dates THEN each runs once, it prints a line per change (no terminal), and exits 0 on its own', async () => {
  const sim = await sims.start({ jobs: { [DAILY_JOB]: { phases: [{ state: 'RUNNING', seconds: 120 }] } } });
  const cli = backfillProcess(sim, ['--from', '2026-11-01', '--to', '2026-11-04', '--max-concurrent', '2']);
  expect(await cli.exit).toBe(ExitCode.SUCCEEDED);
  expect(executionNames(sim)).toEqual(['run-2026-11-01', 'run-2026-11-02', 'run-2026-11-03', 'run-2026-11-04']);
  expect(cli.output()).toContain('2026-11-01  started run-2026-11-01\n');
  expect(cli.output()).toMatch(/2026-11-01 {2}SUCCEEDED run-2026-11-01 after 2m \d\ds\n/);
  expect(cli.output()).not.toContain('\x1b[');
});

test('GIVEN the command as a process WHEN it gets SIGINT after its first starts THEN it starts nothing more, leaves them running, exits 130', async () => {
  // Runs of a day: none ends in the few real seconds the signal may take to arrive on a loaded machine.
  const sim = await sims.start({ jobs: { [DAILY_JOB]: { phases: [{ state: 'RUNNING', seconds: 86_400 }] } } });
  const cli = backfillProcess(sim, ['--from', '2026-11-01', '--to', '2026-11-30', '--max-concurrent', '3']);
  // Once the third start is printed, the first round of starts is over: the command sleeps until its next poll.
  await new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (cli.output().includes('started run-2026-11-03')) {
        clearInterval(check);
        resolve();
      }
    }, 20);
  });
  cli.child.kill('SIGINT');
  expect(await cli.exit).toBe(ExitCode.INTERRUPTED);
  expect(executionNames(sim)).toEqual(['run-2026-11-01', 'run-2026-11-02', 'run-2026-11-03']);
  expect(sim.executions.map((e) => e.status)).toEqual(['RUNNING', 'RUNNING', 'RUNNING']);
  expect(cli.output()).toContain('Interrupted: starting nothing more; running executions are left alone.');
  expect(cli.output()).toContain('Still running, left alone:');
});
