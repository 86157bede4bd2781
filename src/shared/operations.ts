/**
 * What the runner tells operators, and the construct lets them watch: metric names and
 * dimensions (CloudWatch embedded metric format, written in the runner's log) and the events it
 * puts on EventBridge. Both sides import these, so a metric method or an event rule cannot name
 * something the runner does not send.
 */

/** The CloudWatch namespace of every metric the runner writes. */
export const METRICS_NAMESPACE = 'GlueOrchestratedPipeline';

/** Dimension names. */
export const MetricDimensions = {
  /** The pipeline's id (the runner's `GOP_PIPELINE_ID`, `pipelineId` on the construct). */
  PIPELINE: 'Pipeline',
  /** The step's name. */
  STEP: 'Step',
  /** The step's kind, e.g. `glue-job`. */
  KIND: 'Kind',
  /** The error name a step failed with, e.g. `Glue.JobFailed`. */
  ERROR: 'ErrorName',
} as const;

/**
 * The dimension sets every step metric is written with: per pipeline (all steps), per kind,
 * and per step. `StepFailed` is also written per error name (pipeline, error) and per step and
 * error name.
 */
export const STEP_DIMENSION_SETS: readonly (readonly string[])[] = [
  [MetricDimensions.PIPELINE],
  [MetricDimensions.PIPELINE, MetricDimensions.KIND],
  [MetricDimensions.PIPELINE, MetricDimensions.STEP],
];
export const FAILED_DIMENSION_SETS: readonly (readonly string[])[] = [
  ...STEP_DIMENSION_SETS,
  [MetricDimensions.PIPELINE, MetricDimensions.ERROR],
  [MetricDimensions.PIPELINE, MetricDimensions.STEP, MetricDimensions.ERROR],
];
/** Runner health metrics are per pipeline only. */
export const PIPELINE_DIMENSION_SETS: readonly (readonly string[])[] = [[MetricDimensions.PIPELINE]];

/**
 * Metric names (their units: `METRIC_UNITS`). Durations are measured on the runner's clock
 * unless said otherwise; the step metrics are written once per fact (see each), from the
 * invocation that reported it.
 */
export const PipelineMetrics = {
  /** A step succeeded (Count, 1 per success Step Functions accepted). */
  STEP_SUCCEEDED: 'StepSucceeded',
  /** A step attempt failed (Count, 1 per failed attempt Step Functions accepted), with its error name. */
  STEP_FAILED: 'StepFailed',
  /**
   * A step's time from its task's record (the runner took the task) to the report of its end
   * (Seconds). For a step of a graph, it includes the time its task was held for its dependencies.
   */
  STEP_DURATION: 'StepDuration',
  /**
   * Time a job step's run waited for capacity before it ran (Seconds): `(CompletedOn -
   * StartedOn) - ExecutionTime` of the run that ended the step (time in Glue not spent consuming
   * resources, start-up included). Only where Glue gives all three.
   */
  STEP_CAPACITY_WAIT: 'StepCapacityWait',
  /** Glue attempts a step's work took: 1, or more when Glue's MaxRetries ran it again (Count). */
  STEP_ATTEMPTS: 'StepAttempts',
  /**
   * DPU-seconds of a job step's run, as Glue reports them (`JobRun.DPUSeconds`: FLEX or
   * auto-scaled runs): of the run that ended the step (its last attempt when Glue retried it).
   */
  STEP_DPU_SECONDS: 'StepDpuSeconds',
  /**
   * DPU-seconds of a job step's run estimated where Glue gives no `DPUSeconds`: `ExecutionTime`
   * times the run's `MaxCapacity`, else `NumberOfWorkers` times its worker type's DPUs, of the
   * run that ended the step. Capacity allocated, not what is billed (no minimum billing applied).
   */
  STEP_DPU_SECONDS_ESTIMATED: 'StepDpuSecondsEstimated',
  /**
   * Seconds from the end of a graph step's last dependency (the latest `completedOn` in its
   * dependencies' kept results) to the runner's start of its own work returning. Written for
   * steps with dependencies whose results all carry `completedOn`; a sequence's record knows
   * nothing of the step before it (see `StepStartLatency`).
   */
  STEP_TRANSITION_LATENCY: 'StepTransitionLatency',
  /**
   * Seconds from the runner taking a step's task (its record's creation) to the start of its
   * work returning, for steps that wait for no dependency (every step of a sequence, a graph's
   * first steps): the runner's share of a transition, start deferrals (throttling) included.
   */
  STEP_START_LATENCY: 'StepStartLatency',
  /**
   * A step's attempt ran longer than its `expectedDuration` (Count, 1 per attempt that did, from
   * the sweep that saw it first, while the work still ran). Only steps that set an
   * `expectedDuration` write it.
   */
  STEP_LATE: 'StepLate',
  /** Errors of the runner's own (Count): a cycle or a task it could not handle (each also logged at ERROR). */
  RUNNER_ERRORS: 'RunnerErrors',
  /** Failure notifications (mail, event) the runner could not send (Count). */
  NOTIFICATION_FAILURES: 'NotificationFailures',
} as const;

export type PipelineMetricName = typeof PipelineMetrics[keyof typeof PipelineMetrics];

/** The CloudWatch units the runner writes its metrics in. */
export type MetricUnit = 'Count' | 'Seconds' | 'None';

/** The unit of each metric: the runner writes it with this unit, and statistics read it so. */
export const METRIC_UNITS: Readonly<Record<PipelineMetricName, MetricUnit>> = {
  [PipelineMetrics.STEP_SUCCEEDED]: 'Count',
  [PipelineMetrics.STEP_FAILED]: 'Count',
  [PipelineMetrics.STEP_DURATION]: 'Seconds',
  [PipelineMetrics.STEP_CAPACITY_WAIT]: 'Seconds',
  [PipelineMetrics.STEP_ATTEMPTS]: 'Count',
  // CloudWatch has no unit for DPU-seconds.
  [PipelineMetrics.STEP_DPU_SECONDS]: 'None',
  [PipelineMetrics.STEP_DPU_SECONDS_ESTIMATED]: 'None',
  [PipelineMetrics.STEP_TRANSITION_LATENCY]: 'Seconds',
  [PipelineMetrics.STEP_START_LATENCY]: 'Seconds',
  [PipelineMetrics.STEP_LATE]: 'Count',
  [PipelineMetrics.RUNNER_ERRORS]: 'Count',
  [PipelineMetrics.NOTIFICATION_FAILURES]: 'Count',
};

/** The `source` of the events the runner puts on the default event bus. */
export const PIPELINE_EVENT_SOURCE = 'glue-orchestrated-pipeline';

/** Their `detail-type`s. */
export const PipelineEventTypes = {
  /** A step attempt failed (one event per failed attempt, retried or not). */
  STEP_FAILED: 'Glue Pipeline Step Failed',
  /**
   * A step attempt still runs past its `expectedDuration` (one event per attempt that does, sent
   * while its work still runs).
   */
  STEP_LATE: 'Glue Pipeline Step Late',
} as const;
