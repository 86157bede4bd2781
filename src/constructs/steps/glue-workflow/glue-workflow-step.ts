import { Duration } from 'aws-cdk-lib';
import { CORRELATION_RUN_PROPERTY } from '../../../shared/contract';
import { PipelineStep, PipelineStepOptions } from '../../pipeline-step';
import { referencesOf } from '../../step-references';
import { GLUE_DEFAULT_RUN_TIMEOUT_MINUTES } from '../../step-timing';
import { GlueAccess, ReferenceSite, StepTaskFields } from '../step-internals';
import { labelOf, validateGlueName, validateStringMap, waitMinutesOf } from '../step-options';

/** A step that runs one Glue workflow. */
export interface GlueWorkflowStepProps extends PipelineStepOptions {
  /** The name of the workflow to run; may be a token, e.g. `cfnWorkflow.ref`. */
  readonly workflowName: string;

  /**
   * Run properties of this run, merged over the workflow's default run properties by Glue.
   * `glue-orchestrated-pipeline-task` is the pipeline's own and is refused.
   *
   * Values may hold references to values known only when the pipeline runs, anywhere and any
   * number of times, e.g. `{{execution.runDate}}`; see `StepValue`.
   *
   * @default - no run properties: the workflow's defaults apply
   */
  readonly runProperties?: { [key: string]: string };

  /**
   * How long the step waits for the workflow run to end, in whole minutes. It bounds the
   * state's timeout only: Glue has no run timeout for workflows.
   *
   * @default Duration.minutes(2880)
   */
  readonly timeout?: Duration;
}

/** A step that runs one Glue workflow. Create it with `PipelineStep.glueWorkflow()`. */
export class GlueWorkflowStep extends PipelineStep {
  public readonly waitMinutes: number;
  /** The workflow this step runs. */
  public readonly workflowName: string;
  /** Run properties, validated. */
  public readonly runProperties: { [key: string]: string };

  /** @internal */
  public readonly _glueAccess: GlueAccess = {
    actions: ['glue:StartWorkflowRun', 'glue:GetWorkflowRun', 'glue:GetWorkflowRuns', 'glue:StopWorkflowRun'],
    resourceType: 'workflow',
  };

  constructor(props: GlueWorkflowStepProps) {
    const workflowName = validateGlueName('glue workflow', props.workflowName);
    super('glue-workflow', workflowName, labelOf(workflowName, 'workflow'), props);
    this.workflowName = workflowName;
    const where = `step "${this.stepName}"`;
    this.runProperties = validateStringMap(where, 'run property', props.runProperties ?? {}, runPropertyKeyProblem);
    referencesOf(this.stepName, this._referenceSites());
    this.waitMinutes = waitMinutesOf(where, props.timeout, GLUE_DEFAULT_RUN_TIMEOUT_MINUTES);
  }

  /** @internal */
  public _taskFields(): StepTaskFields {
    return { kind: 'glue-workflow', workflowName: this.workflowName, runProperties: this.runProperties };
  }

  /** @internal */
  public _referenceSites(): ReferenceSite[] {
    return Object.entries(this.runProperties).map(([key, value]) => ({ what: 'run property', key, value }));
  }

  /** @internal */
  public _describe(): string {
    return `Runs Glue workflow ${this.label}`;
  }
}

function runPropertyKeyProblem(key: string): string | undefined {
  if (key.length === 0) {
    return 'a run property key is empty; name every run property';
  }
  if (key === CORRELATION_RUN_PROPERTY) {
    return `run property key "${key}" is reserved for the pipeline's run correlation; choose another name`;
  }
  return undefined;
}
