/** The state machine a command works on, read from its ARN option; shared by every command. */
import { UsageError } from './exit-codes';

/** `arn:<partition>:states:<region>:<account>:stateMachine:<name>`, unqualified (no version or alias). */
const STATE_MACHINE_ARN = /^arn:(aws[a-z-]*):states:([a-z0-9-]+):(\d{12}):stateMachine:([0-9A-Za-z_-]{1,80})$/;

export interface StateMachineTarget {
  readonly stateMachineArn: string;
  /** The state machine's region: `--region` may only repeat it. */
  readonly region: string;
}

/**
 * The state machine of `option` (its ARN) and the region to call. A `UsageError` naming the
 * option when the ARN is missing or is not an unqualified state machine ARN, or when `region`
 * is not the state machine's (Step Functions only knows a state machine in its own region).
 */
export function readStateMachineArn(option: string, arn: string | undefined, region: string | undefined): StateMachineTarget {
  if (!arn) {
    throw new UsageError(`${option} is required: the ARN of the pipeline's state machine (the stack output or the Step Functions console shows it)`);
  }
  const parts = STATE_MACHINE_ARN.exec(arn);
  if (!parts) {
    throw new UsageError(`${option} ${arn} is not a state machine ARN: expected arn:aws:states:<region>:<account>:stateMachine:<name>, with no version or alias`);
  }
  const own = parts[2];
  if (region !== undefined && region !== own) {
    throw new UsageError(`--region ${region} is not the state machine's region ${own}: leave --region out, or give the ARN of the state machine in ${region}`);
  }
  return { stateMachineArn: arn, region: own };
}
