import type { ExecutionReport } from './execution';
import { ServiceError } from './local-aws/service-error';

/**
 * Step Functions' redrivable period: an execution can be redriven for 14 days after it ended
 * (RedriveExecution API reference; docs/aws-assumptions.md). The stand-in's own copy of the AWS
 * fact, apart from the library's (`REDRIVE_WINDOW_SECONDS` in src/shared/timing-policy.ts), so a
 * test can hold one against the other.
 */
export const REDRIVABLE_PERIOD_SECONDS = 14 * 24 * 3600;

/**
 * Why `RedriveExecution` refuses the execution now (`now` in simulated seconds), in the words of
 * the service's `redriveStatusReason`; undefined when it may be redriven: it ended FAILED,
 * TIMED_OUT or ABORTED no more than 14 days ago. Pure.
 */
export function notRedrivableReason(execution: Pick<ExecutionReport, 'status' | 'endedAt'>, now: number): string | undefined {
  switch (execution.status) {
    case 'RUNNING':
      return 'Execution is RUNNING and cannot be redriven.';
    case 'SUCCEEDED':
      return 'Execution is SUCCEEDED and cannot be redriven.';
    case 'FAILED':
    case 'TIMED_OUT':
    case 'ABORTED':
      return execution.endedAt !== undefined && now - execution.endedAt > REDRIVABLE_PERIOD_SECONDS
        ? 'Execution redrivable period exceeded.'
        : undefined;
  }
}

/**
 * The execution `RedriveExecution` may redrive, or the service's error: `ExecutionDoesNotExist`
 * for an ARN it does not know, `ExecutionNotRedrivable` (with the reason) for one it may not
 * redrive now.
 */
export function redrivableExecution(executions: readonly ExecutionReport[], executionArn: string, now: number): ExecutionReport {
  const execution = executions.find((e) => e.executionArn === executionArn);
  if (!execution) {
    throw new ServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
  }
  const reason = notRedrivableReason(execution, now);
  if (reason) {
    throw new ServiceError('ExecutionNotRedrivable', `${reason} Execution: '${executionArn}'`);
  }
  return execution;
}
