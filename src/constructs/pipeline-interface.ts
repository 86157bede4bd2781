import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { IConstruct } from 'constructs';
import { StepFailedMetricOptions, StepMetricOptions } from './operations/options';

/**
 * A GlueOrchestratedPipeline, defined in this app or imported with
 * `GlueOrchestratedPipeline.fromPipelineAttributes()`: what another construct or stack needs to
 * start executions, read them, and watch them in CloudWatch.
 *
 * It extends `IConstruct`, not `IResource`: a pipeline is a composite of many resources (an
 * activity, a state machine, a table, a Lambda function, rules), not one CloudFormation
 * resource, so it has no single ARN, environment or removal policy of its own. aws-cdk's design
 * guidelines ask `IResource` only of constructs that directly represent one AWS resource.
 *
 * Grants and metrics are about the pipeline's executions, and are those of its state machine.
 * There is no `grantTaskResponse`: the runner alone answers the pipeline's tasks, from what Glue
 * reports, and an answer from elsewhere would end a step whose Glue work may still be running.
 */
export interface IGlueOrchestratedPipeline extends IConstruct {
  /** The state machine whose executions are the pipeline's runs. */
  readonly stateMachine: sfn.IStateMachine;

  /** The activity whose tasks the pipeline's runner executes. */
  readonly activity: sfn.IActivity;

  /**
   * The pipeline's id: the value of the `Pipeline` dimension of every metric its runner writes
   * (namespace `GlueOrchestratedPipeline`), and the key of its records in the tracking table.
   *
   * @default - unknown for a pipeline imported without `pipelineId`: its step and runner
   * metric methods throw
   */
  readonly pipelineId?: string;

  /**
   * Permits `grantee` to start executions of the pipeline (`states:StartExecution` on its state
   * machine).
   */
  grantStartExecution(grantee: iam.IGrantable): iam.Grant;

  /**
   * Permits `grantee` to redrive the pipeline's executions (`states:RedriveExecution` on its
   * executions, `arn:<partition>:states:<region>:<account>:execution:<state machine name>:*`):
   * rerun a failed, timed-out or aborted execution from the steps that did not succeed, with the
   * same execution ARN and input, up to 14 days after it ended (README, "Day two").
   */
  grantRedriveExecution(grantee: iam.IGrantable): iam.Grant;

  /**
   * Permits `grantee` to read the pipeline's executions, as the state machine's own `grantRead`
   * does: list them (`states:ListExecutions`), describe them and read their history
   * (`states:DescribeExecution`, `states:DescribeStateMachineForExecution`,
   * `states:GetExecutionHistory` on its executions), and describe the state machine.
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;

  /**
   * Permits `grantee` to call `actions` on every execution of the pipeline, e.g.
   * `states:StopExecution` or `states:RedriveExecution`.
   */
  grantExecution(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /**
   * An `AWS/States` metric of the pipeline's executions, by its name, with the state machine's
   * ARN as its `StateMachineArn` dimension.
   *
   * @default - sum over 5 minutes
   */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * The number of executions that failed (`ExecutionsFailed`): a step failed or timed out,
   * after its retries.
   *
   * @default - sum over 5 minutes
   */
  metricFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * The number of executions that succeeded (`ExecutionsSucceeded`).
   *
   * @default - sum over 5 minutes
   */
  metricSucceeded(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * The number of executions that started (`ExecutionsStarted`).
   *
   * @default - sum over 5 minutes
   */
  metricStarted(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * The number of executions that timed out (`ExecutionsTimedOut`): ran past the pipeline's
   * `executionTimeout`.
   *
   * @default - sum over 5 minutes
   */
  metricTimedOut(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * The number of executions that were aborted (`ExecutionsAborted`): stopped by a
   * `StopExecution` call.
   *
   * @default - sum over 5 minutes
   */
  metricAborted(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * The time from an execution's start to its end, in milliseconds (`ExecutionTime`).
   *
   * @default - average over 5 minutes
   */
  metricTime(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * The number of steps that succeeded (`StepSucceeded`, written by the runner): of one step
   * (`stepName`), or of every step.
   *
   * @default - sum over 5 minutes, of every step
   */
  metricStepSucceeded(options?: StepMetricOptions): cloudwatch.Metric;

  /**
   * The number of step attempts that failed (`StepFailed`): of one step (`stepName`) or every
   * step, with one error name (`errorName`) or any. A step retried by its `retry` counts once per
   * failed attempt.
   *
   * @default - sum over 5 minutes, of every step and error name
   */
  metricStepFailed(options?: StepFailedMetricOptions): cloudwatch.Metric;

  /**
   * A step's time from its task's start to its end, in seconds (`StepDuration`): of one step
   * (`stepName`), or of every step.
   *
   * @default - average over 5 minutes, of every step
   */
  metricStepDuration(options?: StepMetricOptions): cloudwatch.Metric;

  /**
   * The time a step's Glue work waited for capacity before it ran, in seconds
   * (`StepCapacityWait`): of one step (`stepName`), or of every step.
   *
   * @default - average over 5 minutes, of every step
   */
  metricStepCapacityWait(options?: StepMetricOptions): cloudwatch.Metric;

  /**
   * The DPU-seconds of job steps' runs, as Glue reports them (`StepDpuSeconds`): of one step
   * (`stepName`), or of every step.
   *
   * @default - sum over 5 minutes, of every step
   */
  metricStepDpuSeconds(options?: StepMetricOptions): cloudwatch.Metric;

  /**
   * The number of step attempts that ran past their step's `expectedDuration` (`StepLate`): of
   * one step (`stepName`), or of every step. Only steps with an `expectedDuration` are ever late.
   *
   * @default - sum over 5 minutes, of every step
   */
  metricStepLate(options?: StepMetricOptions): cloudwatch.Metric;

  /**
   * The runner's own errors (`RunnerErrors`): a cycle or a task it could not handle.
   *
   * @default - sum over 5 minutes
   */
  metricRunnerErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Failure notifications (mail, events) the runner could not send (`NotificationFailures`).
   *
   * @default - sum over 5 minutes
   */
  metricNotificationFailures(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * A rule on the default event bus that matches the pipeline's failure events: source
   * `glue-orchestrated-pipeline`, detail-type `Glue Pipeline Step Failed`, and this pipeline's
   * `pipelineId` in the detail. The runner puts one per failed step attempt, retried or not
   * (README, "Failure events"). Needs the pipeline's id: throws for a pipeline imported without
   * `pipelineId`.
   *
   * @param id the rule's construct id
   * @param options a target, and an `eventPattern` to narrow the rule further, e.g.
   * `{ detail: { willRetry: [false] } }` for the attempts that end the step
   */
  onStepFailed(id: string, options?: events.OnEventOptions): events.Rule;

  /**
   * A rule on the default event bus that matches the pipeline's late events: source
   * `glue-orchestrated-pipeline`, detail-type `Glue Pipeline Step Late`, and this pipeline's
   * `pipelineId` in the detail. The runner puts one per step attempt still running past its
   * step's `expectedDuration`, while it runs (README, "Late steps"). Needs the pipeline's id:
   * throws for a pipeline imported without `pipelineId`.
   *
   * @param id the rule's construct id
   * @param options a target, and an `eventPattern` to narrow the rule further, e.g.
   * `{ detail: { step: ["load"] } }` for one step
   */
  onStepLate(id: string, options?: events.OnEventOptions): events.Rule;
}

/**
 * What identifies a pipeline defined in another stack or app: the two ARNs its stack can export
 * (`pipeline.stateMachine.stateMachineArn`, `pipeline.activity.activityArn`), and its
 * `pipelineId` for the metrics its runner writes.
 */
export interface GlueOrchestratedPipelineAttributes {
  /**
   * The ARN of the pipeline's state machine:
   * `arn:<partition>:states:<region>:<account>:stateMachine:<name>`.
   */
  readonly stateMachineArn: string;

  /**
   * The ARN of the pipeline's activity: `arn:<partition>:states:<region>:<account>:activity:<name>`.
   * The activity's name is generated by CloudFormation, so it cannot be derived from the state
   * machine's ARN.
   */
  readonly activityArn: string;

  /**
   * The pipeline's `pipelineId` (`pipeline.pipelineId` in its stack): the `Pipeline` dimension
   * of the metrics its runner writes.
   *
   * @default - none: the step and runner metric methods (`metricStepSucceeded()`, ...,
   * `metricRunnerErrors()`) throw; the state machine's metrics work without it
   */
  readonly pipelineId?: string;
}
