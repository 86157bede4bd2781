import { synthesizeBenchPipeline } from './bench-pipeline';
import { summarize, Summary } from './stats';
import { Simulation } from '../simulator/simulation';

export interface IdleResult {
  /** The first invocation of a fresh container: module load and first connections included. */
  readonly coldMs: number;
  /** Warm invocations, milliseconds each. */
  readonly warm: Summary;
  /** AWS calls one warm idle invocation makes. */
  readonly callsPerInvocation: number;
}

/**
 * (b) An idle invocation: nothing tracked, no execution running, a scheduled sweep, with
 * `apiLatencyMs` on every call. Measured on the simulation's clock, which counts the runner's own
 * work at its real duration and each call's emulated latency in full: the wall time Lambda bills.
 */
export async function measureIdleInvocation(
  apiLatencyMs: number, warmSamples = 10, runnerAssetDir?: string,
): Promise<IdleResult> {
  const sim = await Simulation.start({
    templateFile: synthesizeBenchPipeline(1),
    schedule: false,
    events: false,
    runnerAssetDir,
    apiLatencySeconds: apiLatencyMs / 1000,
    maxContainers: 1,
  });
  const sweep = { 'source': 'aws.events', 'detail-type': 'Scheduled Event' };
  const ms = (i: { startedAt: number; endedAt?: number }) => (i.endedAt! - i.startedAt) * 1000;
  try {
    const cold = await sim.runners.invoke(sweep);
    const warm: number[] = [];
    let calls = 0;
    for (let i = 0; i < warmSamples; i++) {
      const before = totalCalls(sim);
      const invocation = await sim.runners.invoke(sweep);
      if (!invocation.ok) {
        throw new Error(`idle invocation failed: ${invocation.error}`);
      }
      calls = totalCalls(sim) - before;
      warm.push(ms(invocation));
    }
    return { coldMs: ms(cold), warm: summarize(warm), callsPerInvocation: calls };
  } finally {
    await sim.stop();
  }
}

/** Every AWS call the runner has made so far, over every service. */
export function totalCalls(sim: Simulation): number {
  return [...sim.proxies.values()].reduce((sum, proxy) => sum + proxy.calls.length, 0);
}
