import { ANY_STEP_ERRORS } from '../error-names';
import type { StepKindSpec } from '../kind-spec';
import type { TaskInputCommon } from '../task-input-common';

/** A step that fires one on-demand Glue trigger. */
export interface GlueTriggerTaskInput extends TaskInputCommon {
  readonly kind: 'glue-trigger';
  readonly triggerName: string;
}

/** What a trigger step's success sends: its result. */
export interface GlueTriggerResult {
  readonly stepName: string;
  readonly triggerName: string;
  readonly state: 'SUCCEEDED';
  /** When the runner fired the trigger. */
  readonly startedOn: string;
}

/** Glue sends no event for a firing: the step ends when Glue accepts StartTrigger. */
export const GLUE_TRIGGER: StepKindSpec<GlueTriggerTaskInput, GlueTriggerResult> = {
  kind: 'glue-trigger',
  targetField: 'triggerName',
  resource: 'trigger',
  fields: { triggerName: 'name' },
  resultFields: { stepName: true, triggerName: true, state: true, startedOn: true },
  errors: [...ANY_STEP_ERRORS],
  console: { page: { console: 'glue', fragment: '/v2/etl-configuration/triggers/view/{name}' } },
};
