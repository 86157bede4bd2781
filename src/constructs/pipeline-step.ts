import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * How a step is tried again after it fails. Each try is a new task, so a new Glue run.
 */
export interface StepRetry {
  /**
   * The error names to retry on, e.g. `StepErrors.JOB_FAILED`, `StepErrors.START_FAILED`, or
   * `States.ALL` for any.
   */
  readonly errors: string[];

  /**
   * How many times to try again.
   *
   * @default 2
   */
  readonly maxAttempts?: number;

  /**
   * Wait before the first retry; whole seconds.
   *
   * @default Duration.minutes(1)
   */
  readonly interval?: Duration;

  /**
   * Multiplier of the wait for each further retry; at least 1.
   *
   * @default 2
   */
  readonly backoffRate?: number;
}

/** Options every kind of step shares. */
export interface PipelineStepOptions {
  /**
   * The step's name: its state name in the state machine, the key of its result in the
   * execution output (`$.results.<stepName>`), and how other steps name it in `dependsOn` and
   * `StepValue.fromStepResult()`. Letters, digits and underscores, starting with a letter, at
   * most 64 characters; unique in the pipeline.
   *
   * @default - derived from the name of the job, crawler, trigger or workflow, with every other
   * character replaced by "_"
   */
  readonly stepName?: string;

  /**
   * Try the step again when it fails with one of the given errors. A step whose task token was
   * lost is always dispatched again (Retry on `States.HeartbeatTimeout`), whatever this says.
   *
   * @default - a failed step fails the execution
   */
  readonly retry?: StepRetry;

  /**
   * The names of the steps this step waits for: it starts as soon as all of them have
   * succeeded. An empty list makes the step start with the execution. When any step sets a
   * dependency other than the step listed just before it, the steps form a graph: every step
   * whose dependencies are met runs at the same time as the others.
   *
   * @default - the step listed just before this one (none for the first step), so steps run
   * one after the other in the order listed
   */
  readonly dependsOn?: string[];

  /**
   * How long the step's Glue work is expected to take. An attempt still running past it is
   * announced once, while it runs: a `Glue Pipeline Step Late` event on the default event bus
   * (`onStepLate()`) and the `StepLate` metric (the `stepLate` alarm). Measured from the runner's
   * start of the attempt's Glue work (a job's own retries, per its MaxRetries, count in the same
   * attempt); seen by the runner's next sweep, so at most one check interval (plus one runner
   * run) after it passed. Whole seconds, below the step's timeout (a step that cannot run past
   * it could never be late). Not for a trigger step, which is over once fired.
   *
   * @default - none: the step is never announced as late
   */
  readonly expectedDuration?: Duration;
}

/**
 * One step of a pipeline: a Glue job, crawler, trigger or workflow to run. Create steps with
 * `PipelineStep.glueJob()`, `glueCrawler()`, `glueTrigger()` or `glueWorkflow()`. By default
 * each step waits for the one listed before it; `dependsOn` says otherwise.
 */
export abstract class PipelineStep {
  /** A step that runs a Glue job and waits for its run to end. */
  public static glueJob(props: GlueJobStepProps): GlueJobStep {
    return new GlueJobStep(props);
  }

  /** A step that starts a crawl of a Glue crawler and waits for the crawl to end. */
  public static glueCrawler(props: GlueCrawlerStepProps): GlueCrawlerStep {
    return new GlueCrawlerStep(props);
  }

  /**
   * A step that fires an on-demand Glue trigger. It succeeds once Glue accepts the trigger; it
   * does not wait for the jobs or crawlers the trigger starts.
   */
  public static glueTrigger(props: GlueTriggerStepProps): GlueTriggerStep {
    return new GlueTriggerStep(props);
  }

  /** A step that runs a Glue workflow and waits for its run to end. */
  public static glueWorkflow(props: GlueWorkflowStepProps): GlueWorkflowStep {
    return new GlueWorkflowStep(props);
  }

  /** The step's name, unique in the pipeline. */
  public readonly stepName: string;

  /**
   * What the step drives: `glue-job`, `glue-crawler`, `glue-trigger` or `glue-workflow`. It
   * decides the fields of the step's result (see `StepValue.fromStepResult()`).
   */
  public readonly kind: string;

  /** The name of the Glue job, crawler, trigger or workflow the step drives (may be a token). */
  public readonly resourceName: string;

  /** A readable name of that resource, for messages, even when `resourceName` is a token. */
  public readonly label: string;

  /**
   * The steps this step waits for, as given.
   *
   * @default - the step listed just before this one
   */
  public readonly dependsOn?: string[];

  /**
   * The step's retry policy, validated.
   *
   * @default - no retry but that of a lost task token
   */
  public readonly retry?: StepRetry;

  /**
   * How long the step's Glue work is expected to take, validated.
   *
   * @default - none: the step is never late
   */
  public readonly expectedDuration?: Duration;

  /**
   * How many minutes the step's own work may take once started: its state's timeout is
   * derived from it (see the README, "Heartbeat and timeout of each step").
   */
  public abstract readonly waitMinutes: number;

  /**
   * The Glue actions the runner needs on the step's resource, and that resource's ARN type.
   *
   * @internal
   */
  public abstract readonly _glueAccess: GlueAccess;

  /**
   * @param kind the step's kind, e.g. `glue-crawler`
   * @param resourceName the name of the Glue resource it drives, validated
   * @param label a readable name of that resource (see `label`)
   * @param options the options every kind shares, validated here
   */
  protected constructor(kind: string, resourceName: string, label: string, options: PipelineStepOptions) {
    this.kind = kind;
    this.resourceName = resourceName;
    this.label = label;
    ({
      stepName: this.stepName, dependsOn: this.dependsOn, retry: this.retry, expectedDuration: this.expectedDuration,
    } = resolveStepOptions(options, label, kind as StepKind));
  }

  /**
   * The kind-specific part of the step's task input: its kind, resource name and what is
   * passed to Glue.
   *
   * @internal
   */
  public abstract _taskFields(): StepTaskFields;

  /**
   * The values that may hold `{{...}}` references, with where they come from; none by default.
   *
   * @internal
   */
  public _referenceSites(): ReferenceSite[] {
    return [];
  }

  /**
   * What the step's state does, for its comment in the state machine.
   *
   * @internal
   */
  public abstract _describe(): string;

  /**
   * Grants the runner what the kind needs beyond its steps' own resources; called once per
   * kind present in a pipeline, on its first step of the kind. Nothing by default.
   *
   * @internal
   */
  public _grantKindReads(_pipeline: Construct, _role: iam.IRole): void {}
}

// The step classes extend PipelineStep, so they are imported after it is defined (as
// aws-cdk-lib's ContainerImage does): whichever module loads first, the base class exists
// before a subclass is declared.
import { GlueCrawlerStep, GlueCrawlerStepProps } from './steps/glue-crawler/glue-crawler-step';
import { GlueJobStep, GlueJobStepProps } from './steps/glue-job/glue-job-step';
import { GlueTriggerStep, GlueTriggerStepProps } from './steps/glue-trigger/glue-trigger-step';
import { GlueWorkflowStep, GlueWorkflowStepProps } from './steps/glue-workflow/glue-workflow-step';
import type { GlueAccess, ReferenceSite, StepTaskFields } from './steps/step-internals';
import { resolveStepOptions } from './steps/step-options';
import type { StepKind } from '../shared/contract';

// Each kind's public types, so that src/index.ts needs no line per kind.
export * from './steps/glue-crawler/glue-crawler-step';
export * from './steps/glue-job/capacity';
export * from './steps/glue-job/glue-job';
export * from './steps/glue-job/glue-job-step';
export * from './steps/glue-trigger/glue-trigger-step';
export * from './steps/glue-workflow/glue-workflow-step';
