import { CfnElement, CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { stackTokenBound } from './stack-token-bound';
import { PipelineResourceIds, templateLimitErrors, TemplateJson } from './template-limits';

/** The pipeline's resources whose limits are checked. */
export interface CheckedResources {
  readonly rules: readonly IConstruct[];
  readonly stateMachine: IConstruct;
  readonly runner: IConstruct;
  readonly runnerRole: IConstruct;
}

/**
 * Checks, when the app is synthesized, every deployment limit the stack's template may break
 * because of `pipeline`: by then the stack holds every resource the app adds, and the CDK has
 * split the runner role's policy. The errors fail synth.
 */
export function addDeployLimitValidation(pipeline: IConstruct, checked: CheckedResources): void {
  pipeline.node.addValidation({
    validate: () => {
      const stack = Stack.of(pipeline);
      const template = renderTemplate(stack);
      const logicalId = (c: IConstruct) => {
        const child = c.node.defaultChild;
        return CfnResource.isCfnResource(child) ? stack.resolve(child.logicalId) as string : '';
      };
      const ids: PipelineResourceIds = {
        rules: checked.rules.map(logicalId),
        stateMachine: logicalId(checked.stateMachine),
        runner: logicalId(checked.runner),
        runnerRole: logicalId(checked.runnerRole),
        resourceCount: pipeline.node.findAll().filter(CfnResource.isCfnResource).length,
      };
      // The CDK writes templates indented by one space (unless told otherwise): count that.
      const bytes = Buffer.byteLength(JSON.stringify(template, undefined, 1), 'utf8');
      return templateLimitErrors(template, bytes, ids, stackTokenBound(stack));
    },
  });
}

/** The stack's template, as the CDK will write it. */
function renderTemplate(stack: Stack): TemplateJson {
  const template: Record<string, Record<string, unknown>> = {};
  for (const element of stack.node.findAll()) {
    if (CfnElement.isCfnElement(element) && element.stack === stack) {
      const fragment = stack.resolve(element._toCloudFormation()) as Record<string, Record<string, unknown>>;
      for (const [section, body] of Object.entries(fragment)) {
        template[section] = { ...template[section], ...body };
      }
    }
  }
  return template;
}
