import { benchJob, seededRandom, synthesizeBenchPipeline } from './bench-pipeline';
import { summarize, Summary } from './stats';
import { JobScript } from '../simulator/local-aws/glue-service';
import { Simulation } from '../simulator/simulation';
import { tokenId } from '../src/lambda/store/token-id';
import { CORRELATION_ARGUMENT } from '../src/shared/contract';

/** How the runner is driven in a latency run. */
export type RunnerMode =
  /** Our runner with Glue and execution events, and the schedule as the sweep. */
  | 'event'
  /** Our runner on the schedule alone: every event lost. */
  | 'schedule'
  /** The 2018 sample's behaviour: start before check, one call at a time, one 60 s poll each invocation. */
  | 'old-sample';

export interface LatencyOptions {
  readonly mode: RunnerMode;
  readonly executions: number;
  readonly steps: number;
  readonly apiLatencyMs: number;
  /** Simulated seconds from a Glue run's end to the runner's invocation by its event. */
  readonly eventDelaySeconds: number;
  /** The old sample's runner asset (a directory with index.js); needed for `old-sample`. */
  readonly oldSampleAssetDir?: string;
}

export interface LatencyResult {
  readonly mode: RunnerMode;
  /** Seconds from a run's end to its execution's next run starting, over every transition. */
  readonly transitions: Summary;
  readonly executionsSucceeded: number;
  readonly invocations: number;
}

/** Run durations, simulated seconds: 60 to 240 s, the same sequence for every mode. */
export function runScripts(executions: number, steps: number): Record<string, JobScript> {
  const random = seededRandom(2018);
  const scripts: Record<string, JobScript> = {};
  for (let step = 0; step < steps; step++) {
    let script: JobScript | undefined;
    for (let i = 0; i < executions + 5; i++) {
      script = { phases: [{ state: 'RUNNING', seconds: Math.round(60 + random() * 180) }], finalState: 'SUCCEEDED', next: script };
    }
    scripts[benchJob(step)] = script!;
  }
  return scripts;
}

/**
 * (a) Step transition latency: `executions` executions of a `steps`-step pipeline run at once;
 * for each step after the first, the time from the previous step's run ending (Glue's own end
 * time) to the next run starting (StartJobRun reaching Glue), in simulated seconds.
 */
export async function measureTransitionLatency(options: LatencyOptions): Promise<LatencyResult> {
  const sim = await Simulation.start({
    templateFile: synthesizeBenchPipeline(options.steps),
    jobs: runScripts(options.executions, options.steps),
    events: options.mode === 'event' ? { delaySeconds: options.eventDelaySeconds } : false,
    runnerAssetDir: options.mode === 'old-sample' ? options.oldSampleAssetDir : undefined,
    apiLatencySeconds: options.apiLatencyMs / 1000,
    maxContainers: 20,
  });
  try {
    const reports = await Promise.all(Array.from({ length: options.executions }, () => sim.run({ maxSeconds: 4 * 3600 })));
    const gaps = transitionGaps(sim);
    return {
      mode: options.mode,
      transitions: summarize(gaps),
      executionsSucceeded: reports.filter((r) => r.status === 'SUCCEEDED').length,
      invocations: sim.runners.invocations.length,
    };
  } finally {
    await sim.stop();
  }
}

/**
 * Every step transition of the simulation's executions: for each run after an execution's
 * first, seconds from the end of the run before it (Glue's own end time) to its start
 * (StartJobRun reaching Glue). Runs are tied to executions by the correlation argument.
 */
export function transitionGaps(sim: Simulation): number[] {
  const executionOfToken = new Map(sim.activity.tasks.map((t) => [tokenId(t.token), String(JSON.parse(t.input).executionId)]));
  const runsByExecution = new Map<string, typeof sim.glue.runs>();
  for (const run of sim.glue.runs) {
    const execution = executionOfToken.get(run.request.Arguments?.[CORRELATION_ARGUMENT] ?? '');
    if (execution) {
      runsByExecution.set(execution, [...(runsByExecution.get(execution) ?? []), run]);
    }
  }
  const gaps: number[] = [];
  for (const runs of runsByExecution.values()) {
    const ordered = [...runs].sort((a, b) => a.startedAt - b.startedAt);
    for (let i = 1; i < ordered.length; i++) {
      const previousEnd = sim.glue.endedAt(ordered[i - 1]);
      if (previousEnd !== undefined) {
        gaps.push(ordered[i].startedAt - previousEnd);
      }
    }
  }
  return gaps;
}
