import { ANY_STEP_ERRORS, StepErrorNames } from '../error-names';
import type { StepKindSpec } from '../kind-spec';
import type { TaskInputCommon } from '../task-input-common';

/** A step that runs one Glue workflow. */
export interface GlueWorkflowTaskInput extends TaskInputCommon {
  readonly kind: 'glue-workflow';
  readonly workflowName: string;
  /** Run properties of the workflow run; values may hold `{{...}}` references. */
  readonly runProperties: Record<string, string>;
}

/** What a workflow step's success sends: its result. */
export interface GlueWorkflowResult {
  readonly stepName: string;
  readonly workflowName: string;
  readonly workflowRunId: string;
  readonly state: 'COMPLETED';
  readonly startedOn?: string;
  readonly completedOn?: string;
  readonly succeededActions?: number;
}

/** Glue sends no event when a workflow run ends: the sweep checks it every check interval. */
export const GLUE_WORKFLOW: StepKindSpec<GlueWorkflowTaskInput, GlueWorkflowResult> = {
  kind: 'glue-workflow',
  targetField: 'workflowName',
  resource: 'workflow',
  fields: { workflowName: 'name', runProperties: 'properties' },
  resultFields: { stepName: true, workflowName: true, workflowRunId: true, state: true, startedOn: true, completedOn: true, succeededActions: true },
  errors: [
    StepErrorNames.WORKFLOW_ACTIONS_FAILED, StepErrorNames.WORKFLOW_STOPPED, StepErrorNames.WORKFLOW_ERROR,
    StepErrorNames.RUN_NOT_FOUND, ...ANY_STEP_ERRORS,
  ],
  console: { page: { console: 'glue', fragment: '/v2/etl-configuration/workflows/view/{name}' } },
};
