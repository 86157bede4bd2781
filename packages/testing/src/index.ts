/**
 * glue-orchestrated-pipeline-testing: run a synthesized GlueOrchestratedPipeline locally, with no
 * AWS account, from a Jest test (this module) or a command line (`glue-pipeline-simulate`).
 *
 * The state machine definition from the template runs unchanged on aws-local-stepfunctions; the
 * runner Lambda's bundled asset from the cloud assembly runs in plain `node` processes against
 * local stand-ins for Step Functions activities, Glue, DynamoDB (dynalite) and SES; simulated
 * time skips whenever everything waits, so a pipeline of hours takes seconds.
 */
import { findPipelineTemplate } from './cloud-assembly';
import { parseCliArgs, scriptsFor } from '../../../simulator/cli-options';
import { ExecutionReport, ExecutionStatus, StateReport } from '../../../simulator/execution';
import { JobRunState } from '../../../simulator/local-aws/glue-service';
import { SentEmail } from '../../../simulator/local-aws/ses';
import { readPipelineTemplate } from '../../../simulator/pipeline-template';
import { Simulation } from '../../../simulator/simulation';

export { AssemblyError, AssemblyStack, findPipelineTemplate, pipelineStacks } from './cloud-assembly';
export { ExecutionReport, ExecutionStatus, SentEmail, Simulation, StateReport };

/** How a step's Glue work ends: a job run's final state (a crawler or workflow step: SUCCEEDED or FAILED). */
export type StepOutcome = JobRunState;

export interface PipelineSimulationOptions {
  /** The cloud assembly directory your app synthesized (`cdk.out`). */
  readonly cdkOut: string;
  /** The stack holding the pipeline (artifact id or stack name). @default the only stack in `cdkOut` holding one */
  readonly stack?: string;
  /** How steps end, by step name. @default every step SUCCEEDED */
  readonly outcomes?: Record<string, StepOutcome>;
  /** Simulated minutes each Glue run, crawl or workflow run takes. @default 4 */
  readonly runMinutes?: number;
  /** Lose every EventBridge event: only the runner's schedule moves the pipeline. @default false */
  readonly loseEvents?: boolean;
}

/** A Glue job run the runner started, as the local Glue saw it. */
export interface GlueJobRun {
  readonly jobRunId: string;
  readonly jobName: string;
  /** The arguments it was started with, references resolved. */
  readonly arguments: Record<string, string>;
  /** Seconds since the simulation started. */
  readonly startedAt: number;
}

/**
 * One pipeline running locally. Start it, run executions, read what happened, stop it:
 *
 * ```ts
 * const sim = await PipelineSimulation.start({ cdkOut: 'cdk.out', outcomes: { transform: 'FAILED' } });
 * try {
 *   const execution = await sim.run({ runDate: '2026-11-24' });
 *   expect(execution.status).toBe('FAILED');
 *   expect((await sim.mails())[0].subject).toMatch(/transform/);
 * } finally {
 *   await sim.stop();
 * }
 * ```
 */
export class PipelineSimulation {
  public static async start(options: PipelineSimulationOptions): Promise<PipelineSimulation> {
    const templateFile = findPipelineTemplate(options.cdkOut, options.stack);
    const simulation = await Simulation.start({
      templateFile,
      ...scriptsForOutcomes(templateFile, options),
      events: options.loseEvents ? false : undefined,
    });
    return new PipelineSimulation(simulation, templateFile);
  }

  private constructor(
    /** The harness underneath, for what this class does not wrap (faults, the clock, every call). */
    public readonly simulation: Simulation,
    /** The template being run. */
    public readonly templateFile: string,
  ) {}

  /** The pipeline's step names, in the order they are listed. */
  public get stepNames(): string[] {
    return [...this.simulation.pipeline.stepNames];
  }

  /** Runs one execution with `input` to its end and reports it (status, output, error and cause, states). */
  public run(input: Record<string, unknown> = {}, options: { readonly maxSeconds?: number } = {}): Promise<ExecutionReport> {
    return this.simulation.run({ input, maxSeconds: options.maxSeconds });
  }

  /** Every Glue job run started so far, oldest first. */
  public jobRuns(): GlueJobRun[] {
    return this.simulation.glue.runs.map((run) => ({
      jobRunId: run.id,
      jobName: run.jobName,
      arguments: { ...(run.request.Arguments ?? {}) } as Record<string, string>,
      startedAt: run.startedAt,
    }));
  }

  /** The failure mail the runner sent through SES. */
  public mails(): Promise<SentEmail[]> {
    return this.simulation.emails();
  }

  /** Task records left in the tracking table (0 once every execution has ended cleanly). */
  public trackedRecords(): Promise<number> {
    return this.simulation.trackedRecords();
  }

  /** Stops the runner processes and the local services. */
  public stop(): Promise<void> {
    return this.simulation.stop();
  }
}

/** The Glue scripts for the pipeline: the CLI's, from `outcomes` and `runMinutes`. */
function scriptsForOutcomes(templateFile: string, options: PipelineSimulationOptions) {
  const args = ['--template', templateFile, '--run-minutes', String(options.runMinutes ?? 4)];
  for (const [step, outcome] of Object.entries(options.outcomes ?? {})) {
    args.push('--end', `${step}=${outcome}`);
  }
  const cli = parseCliArgs(args);
  return scriptsFor(readPipelineTemplate(templateFile), cli);
}
