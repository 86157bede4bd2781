import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { AwsLimits } from './aws-limits';
import { Intrinsic, PSEUDO_PARAMETER_BOUNDS, TokenBound } from './resolved-length';

/**
 * The longest each `Ref` and `Fn::GetAtt` of `stack` can resolve to: a Glue resource's name
 * where the app gives it, else Glue's longest name; the ARN of an activity or state machine
 * built from the longest parts; a table's longest name; any other, the longest ARN.
 */
export function stackTokenBound(stack: Stack): TokenBound {
  const byLogicalId = new Map<string, CfnResource>();
  for (const child of stack.node.findAll()) {
    if (CfnResource.isCfnResource(child) && Stack.of(child) === stack) {
      byLogicalId.set(stack.resolve(child.logicalId), child);
    }
  }
  const region = concreteLength(stack.region, PSEUDO_PARAMETER_BOUNDS['AWS::Region']);
  const account = concreteLength(stack.account, AwsLimits.ACCOUNT_ID_CHARACTERS);
  const partition = PSEUDO_PARAMETER_BOUNDS['AWS::Partition'];
  // arn:<partition>:<service>:<region>:<account>:<resource>
  const arn = (serviceAndResource: string, name: number) => `arn:::::${serviceAndResource}`.length + partition + region + account + name;
  const statesArn = (type: string, name: number) => arn(`states${type}::`, name);

  /** The ARN attribute of the resources the pipeline's policies name. */
  const arnAttributeBound = (resource: CfnResource): number => {
    if (resource instanceof dynamodb.CfnTable) {
      return arn('dynamodbtable/', concreteLength(resource.tableName, AwsLimits.TABLE_NAME_CHARACTERS));
    }
    if (resource instanceof logs.CfnLogGroup) {
      return arn('logslog-group::*', concreteLength(resource.logGroupName, AwsLimits.LOG_GROUP_NAME_CHARACTERS));
    }
    if (resource instanceof lambda.CfnFunction) {
      return arn('lambdafunction:', concreteLength(resource.functionName, AwsLimits.FUNCTION_NAME_CHARACTERS));
    }
    if (resource instanceof sfn.CfnStateMachine) {
      return statesArn('stateMachine', concreteLength(resource.stateMachineName, AwsLimits.STATES_NAME_CHARACTERS));
    }
    return AwsLimits.ARN_CHARACTERS;
  };

  return (intrinsic: Intrinsic): number => {
    const pseudo = PSEUDO_PARAMETER_BOUNDS[intrinsic.target];
    if (intrinsic.kind === 'ref' && pseudo !== undefined) {
      return pseudo;
    }
    const resource = byLogicalId.get(intrinsic.target);
    if (!resource) {
      return AwsLimits.ARN_CHARACTERS;
    }
    if (intrinsic.kind === 'get-att') {
      return intrinsic.attribute === 'Arn' ? arnAttributeBound(resource) : AwsLimits.ARN_CHARACTERS;
    }
    if (resource instanceof glue.CfnJob || resource instanceof glue.CfnCrawler
      || resource instanceof glue.CfnTrigger || resource instanceof glue.CfnWorkflow) {
      return concreteLength(resource.name, AwsLimits.GLUE_NAME_CHARACTERS);
    }
    if (resource instanceof sfn.CfnActivity) {
      return statesArn('activity', concreteLength(resource.name, AwsLimits.STATES_NAME_CHARACTERS));
    }
    if (resource instanceof sfn.CfnStateMachine) {
      return statesArn('stateMachine', concreteLength(resource.stateMachineName, AwsLimits.STATES_NAME_CHARACTERS));
    }
    if (resource instanceof dynamodb.CfnTable) {
      return concreteLength(resource.tableName, AwsLimits.TABLE_NAME_CHARACTERS);
    }
    return AwsLimits.ARN_CHARACTERS;
  };
}

/** The length of `value` when the app knows it, else `bound`. */
function concreteLength(value: string | undefined, bound: number): number {
  return typeof value === 'string' && !Token.isUnresolved(value) ? Buffer.byteLength(value, 'utf8') : bound;
}
