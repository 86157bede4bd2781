import { DynamoDBClient, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { synthesizeBenchPipeline } from './bench-pipeline';
import { totalCalls } from './idle-invocation';
import { sequentialCheck } from './sequential-check';
import { Simulation } from '../simulator/simulation';
import { RunnerEnv } from '../src/shared/contract';

export interface CycleMeasurement {
  readonly calls: number;
  readonly ms: number;
}

export interface CheckCycleResult {
  readonly runs: number;
  readonly jobs: number;
  /** Our runner's sweep when a heartbeat round is due: every task heartbeated. */
  readonly round: CycleMeasurement;
  /** Our runner's next sweep: no heartbeat due. */
  readonly quiet: CycleMeasurement;
  /** One call at a time: GetJobRun and SendTaskHeartbeat for every run. */
  readonly sequential: CycleMeasurement;
}

/** The state's HeartbeatSeconds at a 1-minute check interval. */
const HEARTBEAT_SECONDS = 300;

/**
 * (c) One check cycle over `runs` runs in flight spread over `jobs` Glue jobs, in real time with
 * `apiLatencyMs` on every call. The runs are put in flight by the runner itself (tasks on the
 * activity, started by sweeps with no latency); their records are then aged ten minutes so the
 * first measured sweep is a heartbeat round.
 */
export async function measureCheckCycle(runs: number, jobs: number, apiLatencyMs: number): Promise<CheckCycleResult> {
  const sim = await Simulation.start({
    templateFile: synthesizeBenchPipeline(1),
    schedule: false,
    events: false,
    maxContainers: 1,
    defaultJob: { phases: [{ state: 'RUNNING', seconds: 1_000_000 }], finalState: 'SUCCEEDED' },
  });
  try {
    for (let i = 0; i < runs; i++) {
      void sim.scheduleTask(`step${i}`, taskInput(i, jobs), HEARTBEAT_SECONDS, 100_000).catch(() => undefined);
    }
    for (let i = 0; i < 10 && sim.glue.runs.length < runs; i++) {
      await sim.invokeRunner();
    }
    if (sim.glue.runs.length !== runs) {
      throw new Error(`only ${sim.glue.runs.length} of ${runs} runs started`);
    }
    // The harness's own work (dynalite writes, the sequential check's processing) holds the clock:
    // time must not skip to the tasks' heartbeat timeouts while it runs.
    const aging = sim.clock.hold('aging records');
    try {
      await ageRecords(sim, 10 * 60_000);
    } finally {
      aging.release();
    }
    sim.apiLatencySeconds = apiLatencyMs / 1000;

    const sweep = async (): Promise<CycleMeasurement> => {
      const before = totalCalls(sim);
      const invocation = await sim.invokeRunner();
      if (!invocation.ok) {
        throw new Error(`sweep failed: ${invocation.error}`);
      }
      return { calls: totalCalls(sim) - before, ms: (invocation.endedAt! - invocation.startedAt) * 1000 };
    };
    const round = await sweep();
    const quiet = await sweep();

    const before = totalCalls(sim);
    const startedAt = performance.now();
    const checking = sim.clock.hold('sequential check');
    await sequentialCheck(
      { sfn: sim.proxies.get('sfn')!.url, glue: sim.proxies.get('glue')!.url, dynamodb: sim.proxies.get('dynamodb')!.url },
      String(sim.pipeline.table.TableName),
      sim.pipeline.runnerEnv[RunnerEnv.PIPELINE_ID],
    ).finally(() => checking.release());
    const sequential = { calls: totalCalls(sim) - before, ms: performance.now() - startedAt };
    return { runs, jobs, round, quiet, sequential };
  } finally {
    await sim.stop();
  }
}

function taskInput(i: number, jobs: number): string {
  return JSON.stringify({
    version: 2,
    kind: 'glue-job',
    stepName: `step${i}`,
    jobName: `cycle-job-${i % jobs}`,
    arguments: {},
    taskTimeoutSeconds: 100_000,
    heartbeatSeconds: HEARTBEAT_SECONDS,
    executionId: `arn:aws:states:us-east-1:123456789012:execution:cycle:${i}`,
  });
}

/** Moves every task record's creation `ms` into the past, as if the runs had been going that long. */
async function ageRecords(sim: Simulation, ms: number): Promise<void> {
  const client = new DynamoDBClient({ endpoint: sim.dynamo.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const TableName = String(sim.pipeline.table.TableName);
  try {
    let start: Record<string, any> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName, ExclusiveStartKey: start }));
      for (const item of page.Items ?? []) {
        if (!item.createdAt?.S) {
          continue;
        }
        await client.send(new UpdateItemCommand({
          TableName,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: 'SET createdAt = :at',
          ExpressionAttributeValues: { ':at': { S: new Date(Date.parse(item.createdAt.S) - ms).toISOString() } },
        }));
      }
      start = page.LastEvaluatedKey;
    } while (start);
  } finally {
    client.destroy();
  }
}
