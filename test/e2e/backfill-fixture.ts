import { SFNClient } from '@aws-sdk/client-sfn';
import { Simulation } from '../../simulator/simulation';
import { GlueJob, PipelineStep, StepValue } from '../../src';
import { main } from '../../src/cli/glue-pipeline';

/** The pipeline the backfill scenarios run: one job, given the execution input's `runDate` as `--day`. */
export const DAILY_JOB = 'daily-job';
export const dailyPipeline = () => ({
  steps: [PipelineStep.glueJob({ stepName: 'daily', job: GlueJob.fromName(DAILY_JOB), arguments: { '--day': StepValue.fromExecutionInput('runDate') } })],
});

export interface CliRun {
  readonly code: number;
  readonly output: string;
}

/**
 * Runs `glue-pipeline <args>` in-process against the simulation: the real SDK client, through the
 * simulation's Step Functions endpoint (the proxy that records every call), with the CLI's waits
 * on the simulation's clock. The command holds the clock while it works and lets it skip while it
 * sleeps between polls, so its runs are the same whatever the machine's speed. `interruptAfter`:
 * Ctrl-C after that many simulated seconds.
 */
export async function gluePipeline(sim: Simulation, args: string[], interruptAfter?: number): Promise<CliRun> {
  const text: string[] = [];
  const out = { write: (t: string) => void text.push(t) };
  const hold = sim.clock.hold('glue-pipeline command');
  const client = new SFNClient({
    region: 'us-east-1',
    endpoint: sim.proxies.get('sfn')!.url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const ctrlC = new AbortController();
  const timer = interruptAfter === undefined ? undefined : sim.clock.after(interruptAfter, () => ctrlC.abort());
  try {
    const code = await main(args, {
      sfnClient: () => client,
      out,
      err: out,
      sleep: async (seconds, signal) => {
        hold.pause();
        try {
          await new Promise<void>((resolve) => {
            const done = () => {
              wake.cancel();
              signal.removeEventListener('abort', done);
              resolve();
            };
            const wake = sim.clock.after(seconds, done);
            signal.addEventListener('abort', done, { once: true });
          });
        } finally {
          hold.resume();
        }
      },
      interrupt: ctrlC.signal,
    });
    return { code, output: text.join('') };
  } finally {
    timer?.cancel();
    hold.release();
    client.destroy();
  }
}

/** `backfill --state-machine-arn <the simulation's>` and `args`. */
export function backfillOn(sim: Simulation, args: string[], interruptAfter?: number): Promise<CliRun> {
  return gluePipeline(sim, ['backfill', '--state-machine-arn', sim.pipeline.stateMachineArn, ...args], interruptAfter);
}

/** The name of each execution the simulation ran, in start order. */
export const executionNames = (sim: Simulation) => sim.executions.map((e) => e.executionArn.split(':').pop()!);
