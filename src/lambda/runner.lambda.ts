import type { Context } from 'aws-lambda';
import { runCheckPhase } from './check-phase';
import { log } from './log';
import { readRunnerConfig } from './runner-config';
import { runnerContext } from './runner-context';
import { runStartPhase } from './start-phase';
import { TrackingStore } from './tracking-store';

/**
 * The runner. Each invocation first checks every tracked run (so a finished step's successor
 * becomes ready at once), then starts every pending task, as long as a full long poll still fits
 * before the Lambda deadline.
 */
export async function handler(_event: unknown, context: Context) {
  const config = readRunnerConfig(process.env);
  const ctx = runnerContext(config, new TrackingStore(config.tableName, config.pipelineId), () => context.getRemainingTimeInMillis());

  const check = await runCheckPhase(ctx);
  const start = await runStartPhase(ctx, context.awsRequestId);

  const summary = { pipelineId: config.pipelineId, check, start };
  log.info('cycle done', summary);
  return summary;
}
