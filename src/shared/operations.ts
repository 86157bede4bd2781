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

/** Metric names, and the unit each is written in. */
export const PipelineMetrics = {
  /** A step succeeded (Count, 1 per success). */
  STEP_SUCCEEDED: 'StepSucceeded',
  /** A step attempt failed (Count, 1 per failed attempt), with its error name. */
  STEP_FAILED: 'StepFailed',
  /** A step's time from its task's start (its record) to its end (Seconds). */
  STEP_DURATION: 'StepDuration',
  /** Time the step's Glue work waited for capacity before it ran (Seconds): a job run's time not spent executing. */
  STEP_CAPACITY_WAIT: 'StepCapacityWait',
  /** Glue attempts a step's work took: 1, or more when Glue's MaxRetries ran it again (Count). */
  STEP_ATTEMPTS: 'StepAttempts',
  /** DPU-seconds of a job step's run, as Glue reports them (`JobRun.DPUSeconds`). */
  STEP_DPU_SECONDS: 'StepDpuSeconds',
  /** DPU-seconds of a job step's run estimated from its capacity and execution time, where Glue gives none. */
  STEP_DPU_SECONDS_ESTIMATED: 'StepDpuSecondsEstimated',
  /** Seconds from the end of a step's last dependency (the step before it in a sequence) to its own start. */
  STEP_TRANSITION_LATENCY: 'StepTransitionLatency',
  /** A step ran past its `expectedDuration` (Count, 1 per step and task). */
  STEP_LATE: 'StepLate',
  /** Errors of the runner's own (Count): a cycle or a task it could not handle. */
  RUNNER_ERRORS: 'RunnerErrors',
  /** Failure notifications (mail, event) the runner could not send (Count). */
  NOTIFICATION_FAILURES: 'NotificationFailures',
} as const;

export type PipelineMetricName = typeof PipelineMetrics[keyof typeof PipelineMetrics];

/** The `source` of the events the runner puts on the default event bus. */
export const PIPELINE_EVENT_SOURCE = 'glue-orchestrated-pipeline';

/** Their `detail-type`s. */
export const PipelineEventTypes = {
  /** A step attempt failed (one event per failed attempt, retried or not). */
  STEP_FAILED: 'Glue Pipeline Step Failed',
  /** A step still runs past its `expectedDuration` (one event per task). */
  STEP_LATE: 'Glue Pipeline Step Late',
} as const;
