import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { grantTriggerFiringReads } from './trigger-firing-reads';
import { PipelineStep, PipelineStepOptions } from '../../pipeline-step';
import { GlueAccess, StepTaskFields } from '../step-internals';
import { labelOf, validateGlueName } from '../step-options';

/** A step that fires one on-demand Glue trigger. */
export interface GlueTriggerStepProps extends PipelineStepOptions {
  /**
   * The name of the trigger to fire: an `ON_DEMAND` trigger, which StartTrigger fires at once.
   * StartTrigger only activates a scheduled or conditional trigger (it then fires on its
   * schedule or condition), and the step succeeds all the same. May be a token, e.g.
   * `cfnTrigger.ref`.
   */
  readonly triggerName: string;
}

/**
 * A step that fires one on-demand Glue trigger. It succeeds once Glue accepts StartTrigger; it
 * does not wait for the jobs or crawlers the trigger starts (to wait for them, run them as
 * steps, or group them in a workflow and use `PipelineStep.glueWorkflow()`). Create it with
 * `PipelineStep.glueTrigger()`.
 */
export class GlueTriggerStep extends PipelineStep {
  /** Zero: the step waits for nothing but Glue's answer to StartTrigger. */
  public readonly waitMinutes: number = 0;
  /** The trigger this step fires. */
  public readonly triggerName: string;

  /** @internal */
  public readonly _glueAccess: GlueAccess = {
    actions: ['glue:StartTrigger', 'glue:GetTrigger'],
    resourceType: 'trigger',
  };

  constructor(props: GlueTriggerStepProps) {
    const triggerName = validateGlueName('glue trigger', props.triggerName);
    super('glue-trigger', triggerName, labelOf(triggerName, 'trigger'), props);
    this.triggerName = triggerName;
  }

  /** @internal */
  public _taskFields(): StepTaskFields {
    return { kind: 'glue-trigger', triggerName: this.triggerName };
  }

  /** @internal */
  public _grantKindReads(pipeline: Construct, role: iam.IRole): void {
    grantTriggerFiringReads(pipeline, role);
  }

  /** @internal */
  public _describe(): string {
    return `Fires Glue trigger ${this.label}`;
  }
}
