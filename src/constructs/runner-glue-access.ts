import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { PipelineStep } from './pipeline-step';
import { STEP_KINDS } from '../shared/contract';

/**
 * What the runner may do in Glue: one statement per kind of step present, each with that
 * kind's actions on exactly the resources the pipeline's steps name (each named once).
 */
export function glueAccessStatements(stack: Stack, steps: readonly PipelineStep[]): iam.PolicyStatement[] {
  return STEP_KINDS.flatMap((kind) => {
    const ofKind = steps.filter((s) => s.kind === kind);
    if (ofKind.length === 0) {
      return [];
    }
    const access = ofKind[0]._glueAccess;
    const names = [...new Set(ofKind.map((s) => s.resourceName))];
    return [new iam.PolicyStatement({
      actions: [...access.actions],
      resources: names.map((name) => stack.formatArn({ service: 'glue', resource: access.resourceType, resourceName: name })),
    })];
  });
}
