import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { JobScript } from '../../simulator/local-aws/glue-service';
import { Simulation, SimulationOptions } from '../../simulator/simulation';
import { GlueJob, GlueOrchestratedPipeline, GlueOrchestratedPipelineProps, PipelineStep } from '../../src';
import { tokenId } from '../../src/lambda/store/token-id';
import { CORRELATION_ARGUMENT } from '../../src/shared/contract';

/** The three-step pipeline most scenarios run: extract -> transform -> load, one job each. */
export const STEPS = ['extract', 'transform', 'load'] as const;
export const jobOf = (step: string) => `${step}-job`;

/** A job run of `seconds` that ends `finalState`; `then` is how the job's next run behaves (the fix). */
export const scriptedRun = (seconds: number, finalState: 'SUCCEEDED' | 'FAILED' = 'SUCCEEDED', then?: JobScript): JobScript => ({
  phases: [{ state: 'RUNNING', seconds }],
  finalState,
  errorMessage: finalState === 'FAILED' ? 'scripted failure' : undefined,
  next: then,
});

/** A runner log line, parsed; undefined for a line that is no JSON object. */
type LogEntry = Record<string, unknown>;

/**
 * Whether the runner did `later` in the same invocation as the last time it did `earlier`: the
 * same container wrote both lines, `later` after `earlier`, with no `cycle done` (the end of an
 * invocation) between. An order of events, not a duration: it holds however busy the machine is.
 */
export function inOneInvocation(sim: Simulation, earlier: (entry: LogEntry) => boolean, later: (entry: LogEntry) => boolean): boolean {
  const lines = sim.runners.linesByContainer.map(({ container, line }) => ({ container, entry: parsed(line) }));
  const start = lines.map((l) => l.entry !== undefined && earlier(l.entry)).lastIndexOf(true);
  if (start < 0) {
    return false;
  }
  for (const { entry } of lines.slice(start + 1).filter((l) => l.container === lines[start].container)) {
    if (entry === undefined) {
      continue;
    }
    if (later(entry)) {
      return true;
    }
    if (entry.message === 'cycle done') {
      return false;
    }
  }
  return false;
}

function parsed(line: string): LogEntry | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? value as LogEntry : undefined;
  } catch {
    return undefined;
  }
}

/** Glue runs started per step, in the order the steps are given. */
export const startsOf = (sim: Simulation, steps: readonly string[]) =>
  steps.map((step) => sim.glue.runs.filter((r) => r.jobName === jobOf(step)).length);

/**
 * A pipeline with every kind of step, in sequence: crawl the raw data, transform it with a job,
 * fire an on-demand trigger, run the reporting workflow.
 */
export function everyKindOfStep(): PipelineStep[] {
  return [
    PipelineStep.glueCrawler({ stepName: 'crawl', crawlerName: 'raw-crawler' }),
    PipelineStep.glueJob({ stepName: 'transform', job: GlueJob.fromName('transform-job') }),
    PipelineStep.glueTrigger({ stepName: 'notify', triggerName: 'notify-trigger' }),
    PipelineStep.glueWorkflow({ stepName: 'report', workflowName: 'reporting-workflow', runProperties: { day: 'today' } }),
  ];
}

/**
 * Synthesizes a stack with one pipeline into a fresh cloud assembly, as `cdk synth` would, and
 * returns its template file. A 1-minute check interval keeps heartbeats short in simulated time.
 */
export function synthesizeToCloudAssembly(
  props: Partial<GlueOrchestratedPipelineProps> = {},
  prepare: (pipeline: GlueOrchestratedPipeline) => void = () => {},
): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gop-e2e-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'E2eStack', { env: { account: '123456789012', region: 'us-east-1' } });
  const pipeline = new GlueOrchestratedPipeline(stack, 'Pipeline', {
    checkInterval: Duration.minutes(1),
    steps: STEPS.map((step) => PipelineStep.glueJob({
      stepName: step,
      job: GlueJob.fromName(jobOf(step)),
      arguments: { '--step': step },
    })),
    failureEmail: { sender: 'pipelines@example.com', recipients: ['data-team@example.com'] },
    ...props,
  });
  prepare(pipeline);
  app.synth();
  return path.join(outdir, 'E2eStack.template.json');
}

/**
 * The guarantee every fault scenario checks at its end: each Glue run belongs to exactly one
 * task attempt (its correlation argument names the attempt's token), no attempt started two
 * runs, and after the dust settles no record is left in the table. Glue's own retries of a
 * failed run (`previousRunId` set) carry the same arguments as the run they retry: they are
 * that run's later attempts, not runs the runner started.
 */
export async function expectNothingLostOrDuplicated(sim: Simulation): Promise<void> {
  const owners = sim.glue.runs
    .filter((r) => r.previousRunId === undefined && r.request.Arguments?.[CORRELATION_ARGUMENT] !== undefined)
    .map((r) => r.request.Arguments![CORRELATION_ARGUMENT]);
  expect(new Set(owners).size).toBe(owners.length);
  const attempts = new Set(sim.activity.tasks.map((t) => tokenId(t.token)));
  for (const owner of owners) {
    expect(attempts.has(owner)).toBe(true);
  }
  // Leases run out after the runner's timeout plus a margin; give the cleanup two cycles more.
  await sim.advance(sim.pipeline.runnerTimeoutSeconds + 30 + 2 * sim.pipeline.checkIntervalSeconds);
  expect(await sim.trackedRecords()).toBe(0);
}

/** Starts a simulation of `templateFile`; stop it in afterEach. */
export function simulate(templateFile: string, options: Omit<SimulationOptions, 'templateFile'> = {}): Promise<Simulation> {
  return Simulation.start({ templateFile, ...options });
}

/**
 * The lifecycle every scenario file shares: the pipeline is synthesized once for the file, and
 * each test starts its own simulation with `start`, stopped after the test.
 */
export function simulationPerTest(props: Partial<GlueOrchestratedPipelineProps> = {}, prepare?: (pipeline: GlueOrchestratedPipeline) => void) {
  let templateFile: string | undefined;
  let current: Simulation | undefined;
  beforeAll(() => {
    templateFile = synthesizeToCloudAssembly(props, prepare);
  });
  afterEach(async () => {
    await current?.stop();
    current = undefined;
  });
  return {
    start: async (options: Omit<SimulationOptions, 'templateFile'> = {}): Promise<Simulation> => {
      current = await simulate(templateFile!, options);
      return current;
    },
  };
}
