import { synthesizeBenchPipeline } from './bench-pipeline';
import { BurstCost, burstCost, EmptyPollsOfTrigger, emptyPollsByTrigger } from './burst-cost';
import { summarize, Summary } from './stats';
import { runScripts, transitionGaps } from './transition-latency';
import { Simulation } from '../simulator/simulation';

export interface BurstOptions {
  readonly executions: number;
  readonly steps: number;
  readonly apiLatencyMs: number;
  /** Simulated seconds from a change to its event invoking the runner. */
  readonly eventDelaySeconds: number;
  /** Runner containers that may run at once: the concurrency Lambda gives the runner. */
  readonly concurrency: number;
  /** Called every few real seconds with a line on the progress made. */
  readonly onProgress?: (line: string) => void;
}

export interface BurstResult {
  readonly transitions: Summary;
  readonly executionsSucceeded: number;
  /** Most GetActivityTask calls waiting at once at the activity (Step Functions allows 1,000). */
  readonly peakPolls: number;
  /** Most runner invocations running at once. */
  readonly peakInvocations: number;
  readonly cost: BurstCost;
  /** Polls and empty polls by the trigger kind of the invocation that made them. */
  readonly byTrigger: EmptyPollsOfTrigger[];
  /** Invocations that ran, attempts Lambda throttled (every container busy) and events it dropped. */
  readonly invocations: number;
  readonly throttled: number;
  readonly dropped: number;
  readonly polls: number;
  readonly emptyPolls: number;
  /** Simulated seconds from the burst to the last execution's end, and the real seconds that took. */
  readonly simulatedSeconds: number;
  readonly realSeconds: number;
}

/**
 * (e) A burst, as a backfill makes: `executions` executions of a `steps`-step pipeline started at
 * the same moment, with events (Lambda retrying the throttled ones from its queue) and the
 * schedule, runs of 60 to 240 s. Everything is read off the simulation's clock.
 */
export async function measureBurst(options: BurstOptions): Promise<BurstResult> {
  const sim = await Simulation.start({
    templateFile: synthesizeBenchPipeline(options.steps),
    jobs: runScripts(options.executions, options.steps),
    events: { delaySeconds: options.eventDelaySeconds },
    retryThrottledEvents: true,
    apiLatencySeconds: options.apiLatencyMs / 1000,
    maxContainers: options.concurrency,
  });
  const realStart = performance.now();
  const progress = setInterval(() => options.onProgress?.(
    `t=${Math.round(sim.clock.now())} s: ${sim.executions.filter((e) => e.status !== 'RUNNING').length}/${options.executions} executions ended, `
    + `${sim.glue.runs.length} runs started, ${sim.runners.invocations.length} invocation attempts, ${sim.runners.asyncWaiting} events waiting for a retry`,
  ), 15_000);
  try {
    const startedAt = sim.clock.now();
    const reports = await Promise.all(Array.from({ length: options.executions }, () => sim.run({ maxSeconds: 6 * 3600 })));
    await sim.runners.settle();
    const now = sim.clock.now();
    const ran = sim.runners.invocations.filter((i) => !i.throttled);
    return {
      transitions: summarize(transitionGaps(sim)),
      executionsSucceeded: reports.filter((r) => r.status === 'SUCCEEDED').length,
      peakPolls: sim.activity.peakPollsInFlight,
      peakInvocations: sim.runners.peakConcurrency,
      cost: burstCost(sim.runners.invocations, sim.activity.polls, now),
      byTrigger: emptyPollsByTrigger(sim.runners.invocations, sim.activity.polls, now),
      invocations: ran.length,
      throttled: sim.runners.invocations.length - ran.length,
      dropped: sim.runners.asyncDropped,
      polls: sim.activity.polls.length,
      emptyPolls: sim.activity.polls.filter((p) => !p.handedOut).length,
      simulatedSeconds: now - startedAt,
      realSeconds: (performance.now() - realStart) / 1000,
    };
  } finally {
    clearInterval(progress);
    await sim.stop();
  }
}
