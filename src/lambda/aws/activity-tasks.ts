import { GetActivityTaskCommand, SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { sfn, sfnOnce } from './clients';

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
  const res = await sfnOnce.send(new GetActivityTaskCommand({ activityArn, workerName }));
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

/** Tries of one failure report at most. */
export const FAILURE_REPORT_TRIES = 3;

/**
 * A failure report that failed after every try. `outcomeUnknown`: a try failed with no answer
 * or a 5xx, so Step Functions may have accepted it (throttling refused the call).
 */
export class FailureReportError extends Error {
  public readonly name = 'FailureReportError';
  constructor(message: string, public readonly outcomeUnknown: boolean, public readonly reason: unknown) {
    super(message);
  }
}

/**
 * Reports a failure, trying again itself (not through the SDK) so it knows what each try met. A
 * try whose answer was lost (no answer, a 5xx) may have closed the task: a later try that hears
 * the token is closed counts as sent then, so the team hears of the failure; after throttling
 * only, `TaskTimedOut` means someone else closed it. `TaskTimedOut` itself does not tell.
 */
export async function reportFailure(taskToken: string, error: string, cause: string, pause = sleep): Promise<TaskReport> {
  const command = new SendTaskFailureCommand({ taskToken, error: truncate(error, MAX_ERROR), cause: truncate(cause, MAX_CAUSE) });
  let lost = false;
  for (let tries = 1; ; tries++) {
    try {
      await sfnOnce.send(command);
      return 'sent';
    } catch (err) {
      if (err instanceof Error && CLOSED_TOKEN_ERRORS.includes(err.name)) {
        return lost ? 'sent' : 'closed';
      }
      const kind = failureKind(err);
      lost ||= kind === 'lost';
      if (kind === 'refused' || tries >= FAILURE_REPORT_TRIES) {
        throw new FailureReportError(`SendTaskFailure failed after ${tries} tries: ${(err as Error)?.message ?? String(err)}`, lost, err);
      }
      await pause(Math.min(2_000, 100 * 2 ** tries));
    }
  }
}

/** What a failed Step Functions call met: throttling (not acted on), a lost answer, or a refusal. Pure. */
export function failureKind(err: unknown): 'throttled' | 'lost' | 'refused' {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = e?.$metadata?.httpStatusCode;
  if (status === 429 || (e?.name !== undefined && /Throttl|TooManyRequests|RequestLimitExceeded/.test(e.name))) {
    return 'throttled';
  }
  return status === undefined || status >= 500 ? 'lost' : 'refused';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
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
