import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { StepFailedMetricOptions, StepMetricOptions } from './operations/options';
import { pipelineEventRule } from './operations/pipeline-events';
import { pipelineMetric, requirePipelineId, StepMetricSource, stepMetric } from './operations/step-metrics';
import { GlueOrchestratedPipelineAttributes, IGlueOrchestratedPipeline } from './pipeline-interface';
import { PipelineEventTypes, PipelineMetrics } from '../shared/operations';

/**
 * A pipeline defined in this app or imported: the grants and metrics of
 * `IGlueOrchestratedPipeline`, each through the pipeline's state machine, so that an owned
 * pipeline and an imported one behave alike. A new grant or metric added here (and on the
 * interface) holds for both at once.
 *
 * Exported, unlike aws-cdk's private `FooBase` classes, so that `GlueOrchestratedPipeline` can
 * keep its `stateMachine` and `activity` of the concrete types while this class declares the
 * interface's: jsii accepts that narrowing between classes, but refuses it against an
 * interface, which is what a base hidden from jsii would leave.
 */
export abstract class GlueOrchestratedPipelineBase extends Construct implements IGlueOrchestratedPipeline {
  /** The state machine whose executions are the pipeline's runs. */
  public abstract readonly stateMachine: sfn.IStateMachine;
  /** The activity whose tasks the pipeline's runner executes. */
  public abstract readonly activity: sfn.IActivity;
  /**
   * The pipeline's id: the `Pipeline` dimension of the metrics its runner writes.
   *
   * @default - always set on a pipeline of this app; unknown for a pipeline imported without
   * `pipelineId`
   */
  public abstract readonly pipelineId?: string;

  /** Permits `grantee` to start executions of the pipeline. */
  public grantStartExecution(grantee: iam.IGrantable): iam.Grant {
    return this.stateMachine.grantStartExecution(grantee);
  }

  /**
   * Permits `grantee` to redrive the pipeline's executions: `states:RedriveExecution`, whose IAM
   * resource is the execution, on every execution of the state machine.
   */
  public grantRedriveExecution(grantee: iam.IGrantable): iam.Grant {
    return this.stateMachine.grantExecution(grantee, 'states:RedriveExecution');
  }

  /**
   * Permits `grantee` to list the pipeline's executions, describe them and read their history:
   * the state machine's `grantRead`.
   */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.stateMachine.grantRead(grantee);
  }

  /** Permits `grantee` to call `actions` on every execution of the pipeline. */
  public grantExecution(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return this.stateMachine.grantExecution(grantee, ...actions);
  }

  /**
   * An `AWS/States` metric of the pipeline's executions, by its name.
   *
   * @default - sum over 5 minutes
   */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metric(metricName, props);
  }

  /**
   * The number of executions that failed.
   *
   * @default - sum over 5 minutes
   */
  public metricFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricFailed(props);
  }

  /**
   * The number of executions that succeeded.
   *
   * @default - sum over 5 minutes
   */
  public metricSucceeded(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricSucceeded(props);
  }

  /**
   * The number of executions that started.
   *
   * @default - sum over 5 minutes
   */
  public metricStarted(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricStarted(props);
  }

  /**
   * The number of executions that timed out.
   *
   * @default - sum over 5 minutes
   */
  public metricTimedOut(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricTimedOut(props);
  }

  /**
   * The number of executions that were aborted.
   *
   * @default - sum over 5 minutes
   */
  public metricAborted(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricAborted(props);
  }

  /**
   * The time from an execution's start to its end, in milliseconds.
   *
   * @default - average over 5 minutes
   */
  public metricTime(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricTime(props);
  }

  /**
   * The number of steps that succeeded: of one step (`stepName`), or of every step.
   *
   * @default - sum over 5 minutes, of every step
   */
  public metricStepSucceeded(options?: StepMetricOptions): cloudwatch.Metric {
    return stepMetric(this._metricSource(), 'metricStepSucceeded', PipelineMetrics.STEP_SUCCEEDED, cloudwatch.Stats.SUM, options);
  }

  /**
   * The number of step attempts that failed: of one step (`stepName`) or every step, with one
   * error name (`errorName`) or any.
   *
   * @default - sum over 5 minutes, of every step and error name
   */
  public metricStepFailed(options?: StepFailedMetricOptions): cloudwatch.Metric {
    return stepMetric(this._metricSource(), 'metricStepFailed', PipelineMetrics.STEP_FAILED, cloudwatch.Stats.SUM, options);
  }

  /**
   * A step's time from its task's start to its end, in seconds: of one step (`stepName`), or of
   * every step.
   *
   * @default - average over 5 minutes, of every step
   */
  public metricStepDuration(options?: StepMetricOptions): cloudwatch.Metric {
    return stepMetric(this._metricSource(), 'metricStepDuration', PipelineMetrics.STEP_DURATION, cloudwatch.Stats.AVERAGE,
      withoutErrorName(options));
  }

  /**
   * The time a step's Glue work waited for capacity before it ran, in seconds: of one step
   * (`stepName`), or of every step.
   *
   * @default - average over 5 minutes, of every step
   */
  public metricStepCapacityWait(options?: StepMetricOptions): cloudwatch.Metric {
    return stepMetric(this._metricSource(), 'metricStepCapacityWait', PipelineMetrics.STEP_CAPACITY_WAIT, cloudwatch.Stats.AVERAGE,
      withoutErrorName(options));
  }

  /**
   * The DPU-seconds of job steps' runs, as Glue reports them: of one step (`stepName`), or of
   * every step.
   *
   * @default - sum over 5 minutes, of every step
   */
  public metricStepDpuSeconds(options?: StepMetricOptions): cloudwatch.Metric {
    return stepMetric(this._metricSource(), 'metricStepDpuSeconds', PipelineMetrics.STEP_DPU_SECONDS, cloudwatch.Stats.SUM,
      withoutErrorName(options));
  }

  /**
   * The number of step attempts that ran past their step's `expectedDuration`: of one step
   * (`stepName`), or of every step. Only steps with an `expectedDuration` are ever late.
   *
   * @default - sum over 5 minutes, of every step
   */
  public metricStepLate(options?: StepMetricOptions): cloudwatch.Metric {
    return stepMetric(this._metricSource(), 'metricStepLate', PipelineMetrics.STEP_LATE, cloudwatch.Stats.SUM, withoutErrorName(options));
  }

  /**
   * The runner's own errors: a cycle or a task it could not handle.
   *
   * @default - sum over 5 minutes
   */
  public metricRunnerErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return pipelineMetric(this._metricSource(), 'metricRunnerErrors', PipelineMetrics.RUNNER_ERRORS, props);
  }

  /**
   * Failure notifications (mail, events) the runner could not send.
   *
   * @default - sum over 5 minutes
   */
  public metricNotificationFailures(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return pipelineMetric(this._metricSource(), 'metricNotificationFailures', PipelineMetrics.NOTIFICATION_FAILURES, props);
  }

  /**
   * A rule on the default event bus that matches the pipeline's failure events (source
   * `glue-orchestrated-pipeline`, detail-type `Glue Pipeline Step Failed`, this pipeline's
   * `pipelineId` in the detail): one event per failed step attempt, retried or not.
   *
   * @param id the rule's construct id
   * @param options a target, and an `eventPattern` to narrow the rule further (e.g.
   * `{ detail: { willRetry: [false] } }` for the attempts that end the step)
   */
  public onStepFailed(id: string, options: events.OnEventOptions = {}): events.Rule {
    return pipelineEventRule(this, id, requirePipelineId(this._metricSource(), 'onStepFailed'), PipelineEventTypes.STEP_FAILED, options);
  }

  /**
   * A rule on the default event bus that matches the pipeline's late events (source
   * `glue-orchestrated-pipeline`, detail-type `Glue Pipeline Step Late`, this pipeline's
   * `pipelineId` in the detail): one event per step attempt still running past its step's
   * `expectedDuration`, sent while it runs.
   *
   * @param id the rule's construct id
   * @param options a target, and an `eventPattern` to narrow the rule further (e.g.
   * `{ detail: { step: ["load"] } }` for one step)
   */
  public onStepLate(id: string, options: events.OnEventOptions = {}): events.Rule {
    return pipelineEventRule(this, id, requirePipelineId(this._metricSource(), 'onStepLate'), PipelineEventTypes.STEP_LATE, options);
  }

  /**
   * What the step metric methods read and check a step name against: the pipeline's id and,
   * when this app defines the pipeline, its step names.
   *
   * @internal
   */
  protected _metricSource(): StepMetricSource {
    return { pipelineId: this.pipelineId };
  }
}

/**
 * Only `metricStepFailed` is written per error name; a JavaScript caller could pass one to the
 * others anyway, so drop it rather than name a dimension set the runner does not write.
 */
function withoutErrorName(options: StepMetricOptions | undefined): StepMetricOptions | undefined {
  if (options === undefined) {
    return undefined;
  }
  const { errorName: _ignored, ...rest } = options as StepFailedMetricOptions;
  return rest;
}

/** A pipeline of another stack or app, known by its state machine's and activity's ARNs. */
class ImportedPipeline extends GlueOrchestratedPipelineBase {
  public readonly stateMachine: sfn.IStateMachine;
  public readonly activity: sfn.IActivity;
  public readonly pipelineId?: string;

  constructor(scope: Construct, id: string, attrs: GlueOrchestratedPipelineAttributes) {
    super(scope, id);
    this.pipelineId = attrs.pipelineId;
    this.stateMachine = sfn.StateMachine.fromStateMachineArn(this, 'StateMachine', attrs.stateMachineArn);
    this.activity = sfn.Activity.fromActivityArn(this, 'Activity', attrs.activityArn);
  }
}

/** `GlueOrchestratedPipeline.fromPipelineAttributes()`: checks the ARNs the app knows, then imports. */
export function importPipeline(scope: Construct, id: string, attrs: GlueOrchestratedPipelineAttributes): IGlueOrchestratedPipeline {
  const stateMachine = checkedArn('stateMachineArn', attrs.stateMachineArn, 'stateMachine', 'pipeline.stateMachine.stateMachineArn');
  const activity = checkedArn('activityArn', attrs.activityArn, 'activity', 'pipeline.activity.activityArn');
  if (stateMachine && activity && (stateMachine.region !== activity.region || stateMachine.account !== activity.account
    || stateMachine.partition !== activity.partition)) {
    throw new Error(`activityArn "${attrs.activityArn}" and stateMachineArn "${attrs.stateMachineArn}" are not in the same `
      + 'partition, region and account, as the activity and state machine of one pipeline are; pass the ARNs of the same pipeline');
  }
  if (attrs.pipelineId !== undefined && !Token.isUnresolved(attrs.pipelineId) && !/^[A-Za-z0-9]{1,64}$/.test(attrs.pipelineId)) {
    throw new Error(`pipelineId "${attrs.pipelineId}" is not a pipeline's id: pass the pipeline's pipeline.pipelineId, `
      + '1 to 64 letters and digits');
  }
  const pipeline = new ImportedPipeline(scope, id, attrs);
  if (stateMachine) {
    warnOfOtherEnvironment(pipeline, stateMachine);
  }
  return pipeline;
}

/**
 * aws-cdk scopes the execution ARNs of an imported state machine's `grantRead` and
 * `grantExecution`, and the region and account of its metrics, to the importing stack: for a
 * pipeline of another region or account, say so (grantStartExecution names the ARN itself).
 */
function warnOfOtherEnvironment(pipeline: Construct, arn: ArnParts) {
  const stack = Stack.of(pipeline);
  const other = (ours: string, theirs: string) => !Token.isUnresolved(ours) && ours !== theirs;
  if (other(stack.region, arn.region) || other(stack.account, arn.account)) {
    Annotations.of(pipeline).addWarningV2('glue-orchestrated-pipeline:importedFromOtherEnvironment',
      `the pipeline is in ${arn.region}, account ${arn.account}, and this stack in ${stack.region}, account ${stack.account}: `
      + 'grantRead, grantExecution and grantRedriveExecution name executions in this stack\'s region and account, so they do not reach the pipeline\'s, '
      + 'and metrics are read in this stack\'s unless their options give the pipeline\'s region and account; '
      + 'import the pipeline in a stack of its region and account for those');
  }
}

interface ArnParts {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

/**
 * A Step Functions name (of a state machine or an activity): 1 to 80 characters, none of them
 * whitespace, a control character or one of `<>{}[]?*"#%\^|~`$&,;:/`.
 */
const STATES_NAME = '[^\\s\\x00-\\x1f\\x7f-\\x9f<>{}\\[\\]?*"#%\\\\^|~`$&,;:/]{1,80}';

/**
 * The partition, region and account of a concrete ARN of `resourceType`; undefined for an ARN
 * that holds a token (an import, a parameter), which is resolved at deployment.
 */
function checkedArn(field: string, arn: string, resourceType: 'stateMachine' | 'activity', source: string): ArnParts | undefined {
  if (Token.isUnresolved(arn)) {
    return undefined;
  }
  const match = new RegExp(`^arn:(aws[a-z-]*):states:([a-z0-9-]+):(\\d{12}):${resourceType}:${STATES_NAME}$`).exec(arn);
  if (!match) {
    throw new Error(`${field} "${arn}" is not the ARN of a Step Functions ${resourceType === 'stateMachine' ? 'state machine' : 'activity'}; `
      + `pass the pipeline's ${source}, of the form arn:<partition>:states:<region>:<account>:${resourceType}:<name>`);
  }
  return { partition: match[1], region: match[2], account: match[3] };
}
