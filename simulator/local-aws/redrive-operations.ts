import type { Body, Operation } from './aws-json-endpoint';
import { ServiceError } from './service-error';

/**
 * `AWSStepFunctions.RedriveExecution` on the local endpoint, so the real SDK's
 * `RedriveExecutionCommand` (and `aws stepfunctions redrive-execution`) reach the simulation:
 * `redrive` starts the redrive of an execution (its errors are the service's, see
 * simulator/redrive.ts) and answers when it was redriven (simulated seconds), which the answer
 * gives as `redriveDate` (epoch seconds, as awsJson1_0 sends timestamps).
 */
export function redriveOperations(
  redrive: (executionArn: string) => number, epochSeconds: (simSeconds: number) => number,
): Record<string, Operation> {
  return {
    'AWSStepFunctions.RedriveExecution': (b: Body) => {
      if (typeof b.executionArn !== 'string' || b.executionArn.length === 0) {
        throw new ServiceError('ValidationException', `executionArn must be a string, got ${JSON.stringify(b.executionArn)}`);
      }
      if (!/^arn:aws[a-z-]*:states:[^:]+:\d{12}:execution:[^:]+:[^:]+$/.test(b.executionArn)) {
        throw new ServiceError('InvalidArn', `Invalid Arn: '${b.executionArn}'`);
      }
      return { redriveDate: epochSeconds(redrive(b.executionArn)) };
    },
  };
}
