import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { GlueJob, GlueOrchestratedPipeline, GlueOrchestratedPipelineProps, PipelineStep } from '../../src';

export const ENV = { account: '123456789012', region: 'us-east-1' };

/** Three plain job steps, the usual subject of a test. */
export function threeSteps(): PipelineStep[] {
  return ['extract', 'transform', 'load'].map((name) =>
    PipelineStep.glueJob({ job: GlueJob.fromName(`${name}-orders`), stepName: name }));
}

export interface Synthesized {
  readonly stack: Stack;
  readonly pipeline: GlueOrchestratedPipeline;
  readonly template: Template;
}

/**
 * GIVEN a stack holding one pipeline with `props` (three steps by default); `prepare` may add
 * more to the stack before it is synthesized.
 */
export function synthPipeline(
  props: Partial<GlueOrchestratedPipelineProps> | ((stack: Stack) => Partial<GlueOrchestratedPipelineProps>) = {},
  prepare: (stack: Stack, pipeline: GlueOrchestratedPipeline) => void = () => {},
): Synthesized {
  const stack = emptyStack();
  const resolved = typeof props === 'function' ? props(stack) : props;
  const pipeline = new GlueOrchestratedPipeline(stack, 'Pipeline', { steps: threeSteps(), ...resolved });
  prepare(stack, pipeline);
  return { stack, pipeline, template: Template.fromStack(stack) };
}

/** A fresh stack, for tests that build the pipeline themselves (validation errors). */
export function emptyStack(): Stack {
  return new Stack(new App(), 'TestStack', { env: ENV });
}

/** The ASL of the template's only state machine, with Refs replaced by readable stand-ins. */
export function definitionOf(template: Template): AslDefinition {
  const machines = template.findResources('AWS::StepFunctions::StateMachine');
  const [machine] = Object.values(machines);
  const body = machine.Properties.DefinitionString;
  const parts: unknown[] = body['Fn::Join'] ? body['Fn::Join'][1] : [body];
  const resources = template.toJSON().Resources as Record<string, { Type: string }>;
  const text = parts.map((part) => {
    if (typeof part === 'string') {
      return part;
    }
    const ref = (part as { Ref?: string }).Ref;
    if (ref && resources[ref]?.Type === 'AWS::StepFunctions::Activity') {
      return `arn:aws:states:us-east-1:123456789012:activity:${ref}`;
    }
    return ref ?? JSON.stringify(part);
  }).join('');
  return JSON.parse(text);
}

/** The states of the steps: every Task state, the re-run Choice and Pass at the start left out. */
export function stepStatesOf(asl: AslDefinition): AslState[] {
  return Object.values(asl.States).filter((state) => state.Type === 'Task');
}

/** The state the first states lead to when the execution is no re-run: the first step, or the graph. */
export function firstStepOf(asl: AslDefinition): string {
  return asl.States['Not a rerun'].Next!;
}

export interface AslState {
  readonly Type: string;
  readonly Result?: unknown;
  readonly Default?: string;
  readonly Choices?: Array<Record<string, unknown>>;
  readonly Resource?: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly HeartbeatSeconds?: number;
  readonly TimeoutSeconds?: number;
  readonly ResultPath?: string;
  readonly Parameters?: Record<string, unknown>;
  readonly Retry?: Array<{ ErrorEquals: string[]; MaxAttempts?: number }>;
  readonly Catch?: unknown[];
}

export interface AslDefinition {
  readonly StartAt: string;
  readonly States: Record<string, AslState>;
  readonly TimeoutSeconds?: number;
}
