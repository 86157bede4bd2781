import type { StepKindSpec } from './kind-spec';
import { GLUE_CRAWLER, GlueCrawlerResult, GlueCrawlerTaskInput } from './kinds/glue-crawler';
import { GLUE_JOB, GlueJobResult, GlueJobTaskInput } from './kinds/glue-job';
import { GLUE_TRIGGER, GlueTriggerResult, GlueTriggerTaskInput } from './kinds/glue-trigger';
import { GLUE_WORKFLOW, GlueWorkflowResult, GlueWorkflowTaskInput } from './kinds/glue-workflow';

export * from './kinds/glue-crawler';
export * from './kinds/glue-job';
export * from './kinds/glue-trigger';
export * from './kinds/glue-workflow';

/**
 * The input of one activity task: what the state machine hands to the runner for one step.
 * Every field is a control field except `arguments` and `runProperties`, the only values
 * passed on to Glue. One member per step kind.
 */
export type StepTaskInput = GlueJobTaskInput | GlueCrawlerTaskInput | GlueTriggerTaskInput | GlueWorkflowTaskInput;

/** What a step's success sends with SendTaskSuccess, by kind: its result. */
export type StepResult = GlueJobResult | GlueCrawlerResult | GlueTriggerResult | GlueWorkflowResult;

/** What kind of work a step does: the Glue resource it drives. */
export type StepKind = StepTaskInput['kind'];

/** The task input of one kind. */
export type TaskInputOf<K extends StepKind> = Extract<StepTaskInput, { kind: K }>;

/**
 * The one table of step kinds both sides read: each kind's specification. A kind in
 * `StepTaskInput` that this table misses does not compile.
 */
export const STEP_KIND_SPECS: { readonly [K in StepKind]: StepKindSpec<TaskInputOf<K>> } = {
  'glue-job': GLUE_JOB,
  'glue-crawler': GLUE_CRAWLER,
  'glue-trigger': GLUE_TRIGGER,
  'glue-workflow': GLUE_WORKFLOW,
};

export const STEP_KINDS: readonly StepKind[] = Object.keys(STEP_KIND_SPECS) as StepKind[];

/** The name of the Glue resource a step drives: its job, crawler, trigger or workflow. */
export function targetOf(input: StepTaskInput): string {
  return (input as unknown as Record<string, string>)[STEP_KIND_SPECS[input.kind].targetField];
}

/** The fields of each kind's result (see `StepKindSpec.resultFields`). */
export const STEP_OUTPUT_FIELDS: Readonly<Record<StepKind, readonly string[]>> = Object.fromEntries(
  STEP_KINDS.map((kind) => [kind, Object.keys(STEP_KIND_SPECS[kind].resultFields)]),
) as unknown as Record<StepKind, readonly string[]>;
