import { RunnerEnv } from '../../shared/contract';
import { MailSettings } from '../aws/failure-email';

export interface RunnerConfig {
  readonly activityArn: string;
  readonly tableName: string;
  readonly pipelineId: string;
  readonly stateMachineArn: string;
  /** The schedule's period: heartbeats are planned against it. */
  readonly checkIntervalMs: number;
  /** Unset when the pipeline has no failure mail. */
  readonly mail?: MailSettings;
  /** The number of steps when they form a graph; unset for a sequence. */
  readonly graphSteps?: number;
}

/** Reads the runner's settings from the environment the construct wrote. */
export function readRunnerConfig(env: NodeJS.ProcessEnv): RunnerConfig {
  const required = (name: string): string => {
    const value = env[name];
    if (!value) {
      throw new Error(`environment variable ${name} is not set; the runner must be deployed by GlueOrchestratedPipeline`);
    }
    return value;
  };
  const sender = env[RunnerEnv.NOTIFY_SENDER];
  const recipients = (env[RunnerEnv.NOTIFY_RECIPIENTS] ?? '').split(',').map((r) => r.trim()).filter(Boolean);
  const intervalSeconds = Number(required(RunnerEnv.CHECK_INTERVAL_SECONDS));
  if (!Number.isInteger(intervalSeconds) || intervalSeconds <= 0) {
    throw new Error(`environment variable ${RunnerEnv.CHECK_INTERVAL_SECONDS} must be a positive whole number of seconds, got "${env[RunnerEnv.CHECK_INTERVAL_SECONDS]}"`);
  }
  const graph = env[RunnerEnv.GRAPH_STEPS];
  const graphSteps = graph === undefined || graph === '' ? undefined : Number(graph);
  if (graphSteps !== undefined && !(Number.isInteger(graphSteps) && graphSteps > 0)) {
    throw new Error(`environment variable ${RunnerEnv.GRAPH_STEPS} must be a positive whole number of steps, got "${graph}"`);
  }
  return {
    activityArn: required(RunnerEnv.ACTIVITY_ARN),
    graphSteps,
    stateMachineArn: required(RunnerEnv.STATE_MACHINE_ARN),
    checkIntervalMs: intervalSeconds * 1000,
    tableName: required(RunnerEnv.TRACKING_TABLE),
    pipelineId: required(RunnerEnv.PIPELINE_ID),
    mail: sender && recipients.length > 0
      ? { sender, recipients, configurationSet: env[RunnerEnv.NOTIFY_CONFIGURATION_SET] || undefined }
      : undefined,
  };
}
