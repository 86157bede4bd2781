import type { Context } from 'aws-lambda';
import { runCheckPhase } from './check-phase';
import { log } from './log';
import { readRunnerConfig } from './runner-config';
import { runStartPhase } from './start-phase';
import { TrackingStore } from './tracking-store';

/**
 * The runner. Each invocation first checks every tracked run (so a finished step's successor
 * becomes ready at once), then starts every pending task, as long as a full long poll still fits
 * before the Lambda deadline.
 */
export async function handler(_event: unknown, context: Context) {
  const config = readRunnerConfig(process.env);
  const store = new TrackingStore(config.tableName, config.pipelineId);
  const remainingMs = () => context.getRemainingTimeInMillis();

  const check = await runCheckPhase({ config, store });
  const start = await runStartPhase({ config, store, remainingMs, workerName: context.awsRequestId });

  const summary = { pipelineId: config.pipelineId, check, start };
  log.info('cycle done', summary);
  return summary;
}
