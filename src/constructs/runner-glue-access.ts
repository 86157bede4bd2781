import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsLimits } from './limits/aws-limits';
import { PSEUDO_PARAMETER_BOUNDS } from './limits/resolved-length';
import { PipelineStep } from './pipeline-step';
import { STEP_KINDS } from '../shared/contract';

/**
 * The most characters of resource ARNs one statement holds. The CDK moves whole statements into
 * managed policies when the role's inline policy outgrows IAM's limit (10,240 characters; each
 * managed policy 6,144), so no statement may be too large to move.
 */
export const MAX_STATEMENT_RESOURCE_CHARACTERS = 1_800;

/** The CDK's default estimate of an ARN it cannot resolve, which it packs policies by. */
const CDK_ARN_ESTIMATE = 150;

/** The context key of that estimate (aws-iam `ARN_SIZE_ESTIMATE_CONTEXT_KEY`). */
export const CDK_ARN_ESTIMATE_CONTEXT = '@aws-cdk/aws-iam.arnSizeEstimate';

/**
 * The estimate the CDK must use for the runner's policies to pack them within IAM's limits:
 * the longest ARN of the steps' Glue resources, when longer than the CDK's default.
 */
export function runnerArnEstimate(steps: readonly PipelineStep[]): number {
  return Math.max(CDK_ARN_ESTIMATE, ...steps.map((s) => glueArnCharacters(s._glueAccess.resourceType, s.resourceName)));
}

/**
 * What the runner may do in Glue: per kind of step present, that kind's actions on exactly the
 * resources the pipeline's steps name (each named once), in as many statements as keep each
 * small enough to be moved to a managed policy.
 */
export function glueAccessStatements(stack: Stack, steps: readonly PipelineStep[]): iam.PolicyStatement[] {
  return STEP_KINDS.flatMap((kind) => {
    const ofKind = steps.filter((s) => s.kind === kind);
    if (ofKind.length === 0) {
      return [];
    }
    const access = ofKind[0]._glueAccess;
    const names = [...new Set(ofKind.map((s) => s.resourceName))];
    const size = (name: string) => Math.max(CDK_ARN_ESTIMATE, glueArnCharacters(access.resourceType, name)) + 3;
    return chunkByCharacters(names, size).map((chunk) => new iam.PolicyStatement({
      actions: [...access.actions],
      resources: chunk.map((name) => stack.formatArn({ service: 'glue', resource: access.resourceType, resourceName: name })),
    }));
  });
}

/** The most characters the ARN of a Glue resource can have once deployed. */
function glueArnCharacters(resourceType: string, name: string): number {
  const nameLength = Token.isUnresolved(name) ? AwsLimits.GLUE_NAME_CHARACTERS : name.length;
  return `arn::glue:::${resourceType}/`.length + PSEUDO_PARAMETER_BOUNDS['AWS::Partition'] + PSEUDO_PARAMETER_BOUNDS['AWS::Region']
    + AwsLimits.ACCOUNT_ID_CHARACTERS + nameLength;
}

/** Splits `items` in order into groups whose sizes add up to at most MAX_STATEMENT_RESOURCE_CHARACTERS (one item at least). */
export function chunkByCharacters<T>(items: readonly T[], size: (item: T) => number): T[][] {
  const chunks: T[][] = [];
  let chunk: T[] = [];
  let total = 0;
  for (const item of items) {
    const s = size(item);
    if (chunk.length > 0 && total + s > MAX_STATEMENT_RESOURCE_CHARACTERS) {
      chunks.push(chunk);
      chunk = [];
      total = 0;
    }
    chunk.push(item);
    total += s;
  }
  if (chunk.length > 0) {
    chunks.push(chunk);
  }
  return chunks;
}
