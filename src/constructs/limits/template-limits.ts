import { AwsLimits } from './aws-limits';
import { resolvedJsonLength, resolvedStringLength, TokenBound } from './resolved-length';

/** A CloudFormation template, as synthesized. */
export interface TemplateJson {
  readonly Resources?: Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>;
}

/** Where the pipeline's own resources are in the template, by logical id. */
export interface PipelineResourceIds {
  readonly rules: readonly string[];
  readonly stateMachine: string;
  readonly runner: string;
  readonly runnerRole: string;
  /** How many resources the pipeline adds. */
  readonly resourceCount: number;
}

/**
 * Every deployment limit the template breaks, as errors naming the limit, the value and what
 * to do. `templateBytes` is the size of the template file; `bound` the longest each token can
 * resolve to.
 */
export function templateLimitErrors(template: TemplateJson, templateBytes: number, ids: PipelineResourceIds, bound: TokenBound): string[] {
  const resources = template.Resources ?? {};
  const errors: string[] = [];
  const props = (id: string) => resources[id]?.Properties ?? {};

  for (const rule of ids.rules) {
    const pattern = props(rule).EventPattern;
    const chars = pattern === undefined ? 0 : resolvedJsonLength(pattern, bound);
    if (chars > AwsLimits.EVENT_PATTERN_CHARACTERS) {
      errors.push(`event pattern size: rule ${rule} has a pattern of up to ${chars} characters once deployed, more than `
        + `EventBridge's ${AwsLimits.EVENT_PATTERN_CHARACTERS}; shorten the names it matches`);
    }
    const targets = props(rule).Targets;
    if (Array.isArray(targets) && targets.length > AwsLimits.TARGETS_PER_RULE) {
      errors.push(`targets per rule: rule ${rule} has ${targets.length} targets, more than EventBridge's ${AwsLimits.TARGETS_PER_RULE}; `
        + 'add the other targets to a rule of your own');
    }
  }

  const definition = resolvedStringLength(props(ids.stateMachine).DefinitionString, bound);
  if (definition > AwsLimits.DEFINITION_BYTES) {
    errors.push(`state machine definition size: up to ${definition} bytes once deployed, more than Step Functions' `
      + `${AwsLimits.DEFINITION_BYTES}; use fewer steps, shorter step and job names and fewer arguments, or split the pipeline in two`);
  }

  const environment = props(ids.runner).Environment;
  const variables = isRecord(environment) && isRecord(environment.Variables) ? environment.Variables : {};
  const envBytes = Object.entries(variables).reduce((sum, [k, v]) => sum + Buffer.byteLength(k, 'utf8') + resolvedStringLength(v, bound), 0);
  if (envBytes > AwsLimits.LAMBDA_ENVIRONMENT_BYTES) {
    errors.push(`lambda environment size: the runner's environment variables take up to ${envBytes} bytes once deployed, more than `
      + `Lambda's ${AwsLimits.LAMBDA_ENVIRONMENT_BYTES}; list fewer or shorter failure email recipients (a mailing list address)`);
  }

  errors.push(...policyErrors(resources, ids.runnerRole, bound));

  const count = Object.keys(resources).length;
  if (count > AwsLimits.STACK_RESOURCES) {
    errors.push(`resources per stack: the stack declares ${count} resources (${ids.resourceCount} of them this pipeline's), more than `
      + `CloudFormation's ${AwsLimits.STACK_RESOURCES}; put the pipeline in a stack of its own, or split it in two`);
  }
  if (templateBytes > AwsLimits.TEMPLATE_BYTES) {
    errors.push(`template size: the stack's template has ${templateBytes} bytes, more than the ${AwsLimits.TEMPLATE_BYTES} CloudFormation `
      + 'accepts from S3 (how the CDK deploys a template); put the pipeline in a stack of its own, use fewer steps, or split it in two');
  }
  return errors;
}

/** IAM counts the policies of the runner's role: its inline policies together, and each managed one. */
function policyErrors(resources: NonNullable<TemplateJson['Resources']>, role: string, bound: TokenBound): string[] {
  const ofRole = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type
    && Array.isArray(r.Properties?.Roles) && r.Properties.Roles.some((x: unknown) => isRecord(x) && x.Ref === role));
  const errors: string[] = [];
  const inline = ofRole('AWS::IAM::Policy').reduce((sum, [, r]) => sum + resolvedJsonLength(r.Properties?.PolicyDocument, bound), 0);
  if (inline > AwsLimits.ROLE_INLINE_POLICY_CHARACTERS) {
    errors.push(`role policy size: the runner role's inline policies take up to ${inline} characters once deployed, more than IAM's `
      + `${AwsLimits.ROLE_INLINE_POLICY_CHARACTERS}; use fewer or shorter Glue resource names`);
  }
  const managed = ofRole('AWS::IAM::ManagedPolicy');
  for (const [id, r] of managed) {
    const size = resolvedJsonLength(r.Properties?.PolicyDocument, bound);
    if (size > AwsLimits.MANAGED_POLICY_CHARACTERS) {
      errors.push(`managed policy size: ${id} takes up to ${size} characters once deployed, more than IAM's `
        + `${AwsLimits.MANAGED_POLICY_CHARACTERS}; use fewer or shorter Glue resource names`);
    }
  }
  if (managed.length > AwsLimits.MANAGED_POLICIES_PER_ROLE) {
    errors.push(`managed policies per role: the runner role needs ${managed.length} managed policies to hold its permissions, more than `
      + `IAM's default quota of ${AwsLimits.MANAGED_POLICIES_PER_ROLE}; use fewer or shorter Glue resource names, or split the pipeline in two`);
  }
  return errors;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
