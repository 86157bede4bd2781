import { ArnFormat, CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

/**
 * A re-run (`rerunFrom`) reuses the results of an earlier execution of the state machine, which
 * the runner reads from that execution's history (`states:GetExecutionHistory`). Which execution
 * is named in the re-run's input at run time, so the grant is on every execution of this state
 * machine: read-only, in a managed policy of its own (on `pipeline`, once) that says so in cdk-nag's
 * metadata.
 */
export function grantEarlierExecutionReads(pipeline: Construct, stateMachine: sfn.IStateMachine, role: iam.IRole): void {
  const stack = Stack.of(pipeline);
  const stateMachineName = stack.splitArn(stateMachine.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName;
  // A managed policy: the runner role's inline policies are near IAM's 10,240 characters in a
  // pipeline of many steps, and this one does not grow with the steps.
  const policy = new iam.ManagedPolicy(pipeline, 'EarlierExecutionReads', {
    description: 'Lets the pipeline runner read the history of the executions a re-run reuses results of',
    roles: [role],
    statements: [new iam.PolicyStatement({
      actions: ['states:GetExecutionHistory'],
      resources: [stack.formatArn({ service: 'states', resource: 'execution', arnFormat: ArnFormat.COLON_RESOURCE_NAME, resourceName: `${stateMachineName}:*` })],
    })],
  });
  (policy.node.defaultChild as CfnResource).addMetadata('cdk_nag', {
    rules_to_suppress: [{
      id: 'AwsSolutions-IAM5',
      reason: 'Read-only, on this state machine\'s executions: a re-run reuses the results of the earlier execution '
        + 'its input names at run time, read from that execution\'s history.',
      applies_to: [{ regex: '/^Resource::arn:(<AWS::Partition>|[^:]+):states:(<AWS::Region>|[^:]+):(<AWS::AccountId>|[^:]+):execution:.+:\\*$/g' }],
    }],
  });
}
