import * as fs from 'fs';
import * as path from 'path';

/** A stack of a cloud assembly, as its manifest names it. */
export interface AssemblyStack {
  /** The artifact id (the stack's construct path in the app, e.g. `OrdersPipeline`). */
  readonly artifactId: string;
  /** The CloudFormation stack name. */
  readonly stackName: string;
  /** Absolute path of its template. */
  readonly templateFile: string;
}

/** A mistake in what the user pointed at: shown with the usage text, exit code 1. */
export class AssemblyError extends Error {}

/** Every stack of a cloud assembly (`cdk.out`) whose template holds a GlueOrchestratedPipeline. */
export function pipelineStacks(cdkOut: string): AssemblyStack[] {
  const manifestFile = path.join(cdkOut, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new AssemblyError(`${cdkOut} is not a cloud assembly (no manifest.json): synthesize your app first (cdk synth)`);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as {
    artifacts?: Record<string, { type: string; properties?: { templateFile?: string; stackName?: string } }>;
  };
  return Object.entries(manifest.artifacts ?? {})
    .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile)
    .map(([artifactId, artifact]) => ({
      artifactId,
      stackName: artifact.properties!.stackName ?? artifactId,
      templateFile: path.resolve(cdkOut, artifact.properties!.templateFile!),
    }))
    .filter((stack) => holdsPipeline(stack.templateFile));
}

/**
 * The template of the stack to simulate: the one named `stack` (artifact id or stack name), or,
 * without a name, the only stack that holds a pipeline.
 */
export function findPipelineTemplate(cdkOut: string, stack?: string): string {
  const stacks = pipelineStacks(cdkOut);
  const names = stacks.map((s) => s.artifactId).join(', ') || 'none';
  if (stack !== undefined) {
    const found = stacks.find((s) => s.artifactId === stack || s.stackName === stack);
    if (!found) {
      throw new AssemblyError(`no stack "${stack}" holding a GlueOrchestratedPipeline in ${cdkOut}; the stacks that hold one: ${names}`);
    }
    return found.templateFile;
  }
  if (stacks.length !== 1) {
    throw new AssemblyError(stacks.length === 0
      ? `no stack in ${cdkOut} holds a GlueOrchestratedPipeline`
      : `${cdkOut} has ${stacks.length} stacks holding a GlueOrchestratedPipeline (${names}): name one with --stack`);
  }
  return stacks[0].templateFile;
}

/** A pipeline's template has its state machine and the runner's Lambda function. */
function holdsPipeline(templateFile: string): boolean {
  const template = JSON.parse(fs.readFileSync(templateFile, 'utf8')) as { Resources?: Record<string, { Type: string }> };
  const types = Object.values(template.Resources ?? {}).map((r) => r.Type);
  return types.includes('AWS::StepFunctions::StateMachine') && types.includes('AWS::StepFunctions::Activity');
}
