import { GetActivityTaskCommand, SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { sfn } from './clients';

/** A task handed out by GetActivityTask. Delivered exactly once: it must not be dropped. */
export interface ActivityTask {
  readonly taskToken: string;
  readonly input: string | undefined;
}

/**
 * Waits up to 60 s for a task. Never aborted early: a token handed out to an aborted call is
 * lost until the state's heartbeat timeout.
 */
export async function pollActivity(activityArn: string, workerName: string): Promise<ActivityTask | undefined> {
  const res = await sfn.send(new GetActivityTaskCommand({ activityArn, workerName }));
  return res.taskToken ? { taskToken: res.taskToken, input: res.input } : undefined;
}

/**
 * Outcome of a SendTask* call. `closed`: Step Functions no longer accepts this token (the task
 * timed out, was already closed or never existed); the caller closes its record and moves on.
 */
export type TaskReport = 'sent' | 'closed';

const CLOSED_TOKEN_ERRORS = ['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken'];

/** Step Functions limits: `error` 256 characters, `cause` 32,768 characters. */
const MAX_ERROR = 256;
const MAX_CAUSE = 32_768;

export function reportSuccess(taskToken: string, output: Record<string, unknown>): Promise<TaskReport> {
  return report(() => sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })));
}

export function reportFailure(taskToken: string, error: string, cause: string): Promise<TaskReport> {
  return report(() => sfn.send(new SendTaskFailureCommand({
    taskToken,
    error: truncate(error, MAX_ERROR),
    cause: truncate(cause, MAX_CAUSE),
  })));
}

export function reportHeartbeat(taskToken: string): Promise<TaskReport> {
  return report(() => sfn.send(new SendTaskHeartbeatCommand({ taskToken })));
}

async function report(call: () => Promise<unknown>): Promise<TaskReport> {
  try {
    await call();
    return 'sent';
  } catch (err) {
    if (err instanceof Error && CLOSED_TOKEN_ERRORS.includes(err.name)) {
      return 'closed';
    }
    throw err;
  }
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
