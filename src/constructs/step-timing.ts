import { Duration, Token } from 'aws-cdk-lib';
import type { StepRetry } from './pipeline-step';
import { heartbeatSeconds, RUNNER_TIMEOUT_SECONDS, START_ALLOWANCE_SECONDS, taskTimeoutSeconds } from '../shared/timing-policy';

/** The runner's Lambda timeout: a full 60 s long poll plus the check and start work around it. */
export const RUNNER_TIMEOUT = Duration.seconds(RUNNER_TIMEOUT_SECONDS);

/** The run timeout of a step whose job is known only by name (Glue's default before 5.0). */
export const GLUE_DEFAULT_RUN_TIMEOUT_MINUTES = 2_880;

/** Time a run may sit in WAITING for capacity before it starts (Flex: up to about 20 minutes). */
export const START_ALLOWANCE = Duration.seconds(START_ALLOWANCE_SECONDS);

/** How many times a step whose task token was lost (heartbeat timeout) is dispatched again. */
export const LOST_TOKEN_RETRIES = 2;

export interface StepTimeouts {
  /** The activity state's HeartbeatSeconds. */
  readonly heartbeat: Duration;
  /** The activity state's TimeoutSeconds. */
  readonly task: Duration;
}

/**
 * How long a step's activity state waits: the shared timing policy's heartbeat and timeout
 * (src/shared/timing-policy.ts), which the runner plans its heartbeats by. Pure and derived,
 * never guessed by the user. A step of a graph also waits for its dependencies first: see
 * wait-budget.ts.
 */
export function stepTimeouts(checkInterval: Duration, runTimeoutMinutes: number): StepTimeouts {
  return {
    heartbeat: Duration.seconds(heartbeatSeconds(checkInterval.toSeconds())),
    task: Duration.seconds(taskTimeoutSeconds(checkInterval.toSeconds(), runTimeoutMinutes)),
  };
}

/** One Retry of a step's state, defaults applied. */
export interface StateRetry {
  readonly errors: string[];
  readonly maxAttempts: number;
  readonly interval: Duration;
  readonly backoffRate: number;
}

/** The Retry list of a step's state: a lost token's first, then the step's own policy. */
export function stateRetries(retry: StepRetry | undefined): StateRetry[] {
  const lostToken: StateRetry = {
    errors: ['States.HeartbeatTimeout'],
    maxAttempts: LOST_TOKEN_RETRIES,
    interval: Duration.seconds(1),
    backoffRate: 1,
  };
  return retry ? [lostToken, {
    errors: retry.errors,
    maxAttempts: retry.maxAttempts ?? 2,
    interval: retry.interval ?? Duration.minutes(1),
    backoffRate: retry.backoffRate ?? 2,
  }] : [lostToken];
}

/** Glue 5.0 and later default a job's timeout to 480 minutes; earlier versions to 2,880. */
export const GLUE_5_DEFAULT_RUN_TIMEOUT_MINUTES = 480;

/**
 * Glue's default run timeout for a job of `glueVersion` (StartJobRun's `Timeout`: "2,880 minutes
 * for Glue version 4.0 and earlier, or 480 minutes for Glue version 5.0 and later"). Unknown
 * (unset or a token): undefined, and the step's default applies.
 */
export function glueDefaultTimeoutMinutes(glueVersion: string | undefined): number | undefined {
  if (glueVersion === undefined || Token.isUnresolved(glueVersion)) {
    return undefined;
  }
  const major = Number.parseInt(glueVersion, 10);
  return Number.isFinite(major) && major >= 5 ? GLUE_5_DEFAULT_RUN_TIMEOUT_MINUTES : GLUE_DEFAULT_RUN_TIMEOUT_MINUTES;
}
