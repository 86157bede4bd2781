import { CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * A StartTrigger whose answer was lost is told from one that did not take effect by the runs
 * and crawls the firing started (`JobRun.TriggerName`, crawls begun since): the trigger's
 * actions, read with GetTrigger at run time, are not known at synth. Read-only, in a policy of
 * its own (on `pipeline`, once) that says so in cdk-nag's metadata.
 */
export function grantTriggerFiringReads(pipeline: Construct, role: iam.IRole): void {
  const stack = Stack.of(pipeline);
  const anyOf = (resource: string) => stack.formatArn({ service: 'glue', resource, resourceName: '*' });
  const policy = new iam.Policy(pipeline, 'TriggerFiringReads', {
    statements: [new iam.PolicyStatement({
      actions: ['glue:GetJobRuns', 'glue:ListCrawls'],
      resources: [anyOf('job'), anyOf('crawler')],
    })],
  });
  policy.attachToRole(role);
  (policy.node.defaultChild as CfnResource).addMetadata('cdk_nag', {
    rules_to_suppress: [{
      id: 'AwsSolutions-IAM5',
      reason: 'Read-only: whether a trigger fired is read from the job runs and crawls it started; a trigger\'s '
        + 'jobs and crawlers are read from the trigger at run time, not known at synth.',
      // A pattern, not the rendered ARNs: a stack with an `env` renders its region and account.
      applies_to: [{ regex: '/^Resource::arn:(<AWS::Partition>|[^:]+):glue:(<AWS::Region>|[^:]+):(<AWS::AccountId>|[^:]+):(job|crawler)\\/\\*$/g' }],
    }],
  });
}
