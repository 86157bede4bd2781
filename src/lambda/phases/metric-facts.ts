import { StepTaskInput, TrackingRecord } from '../../shared/contract';
import { PipelineMetrics } from '../../shared/operations';
import { REUSED_FROM_FIELD } from '../../shared/rerun';
import { StepResults } from '../decisions/references';
import { describeError, LogFields, log } from '../entry/log';
import {
  MetricValues, notificationFailedLine, runnerErrorLine, stepFailedLine, stepLateLine, stepStartedLine, stepSucceededLine, StepOf,
} from '../entry/metrics';
import { RunnerContext } from '../entry/runner-context';
import { WorkMeasures } from '../kinds/observation';

/**
 * The facts the phases write as metrics (`entry/metrics.ts`), each one EMF line from the
 * invocation that saw it. A step's end is written only once Step Functions accepted its report,
 * so a report sent again (a crash after the first) counts no second time.
 */

/**
 * Writes one metric line; a line that cannot be built (a value the format refuses) is logged
 * and dropped: a metric never stops a report or a start.
 */
function emit(line: () => object | undefined): void {
  try {
    log.metrics(line());
  } catch (err) {
    log.warn('metric line not written', { reason: describeError(err) });
  }
}

/** The step a record tracks, as its metrics name it: the kind and name from its task input. */
function stepOf(ctx: RunnerContext, stepName: string, input: StepTaskInput | undefined): StepOf {
  return { pipelineId: ctx.config.pipelineId, stepName: input?.stepName ?? stepName, kind: input?.kind ?? 'unknown' };
}

/** Seconds since the record was created (the runner took the task), on the invocation's clock. */
function secondsSinceRecorded(ctx: RunnerContext, record: Pick<TrackingRecord, 'createdAt'>): number | undefined {
  const createdAt = Date.parse(record.createdAt);
  return Number.isNaN(createdAt) ? undefined : (ctx.now() - createdAt) / 1000;
}

/** A step's duration and what its work's measures say, as metric values. */
function endValues(ctx: RunnerContext, record: Pick<TrackingRecord, 'createdAt'> | undefined, measures: WorkMeasures | undefined): MetricValues {
  return {
    [PipelineMetrics.STEP_DURATION]: record && secondsSinceRecorded(ctx, record),
    [PipelineMetrics.STEP_ATTEMPTS]: measures?.attempts,
    [PipelineMetrics.STEP_CAPACITY_WAIT]: measures?.capacityWaitSeconds,
    [PipelineMetrics.STEP_DPU_SECONDS]: measures?.dpuSeconds,
    [PipelineMetrics.STEP_DPU_SECONDS_ESTIMATED]: measures?.dpuSecondsEstimated,
  };
}

/** A step succeeded (its success was sent). */
export function stepSucceeded(ctx: RunnerContext, record: TrackingRecord, measures?: WorkMeasures): void {
  emit(() => stepSucceededLine(stepOf(ctx, record.stepName, record.input), ctx.now(), endValues(ctx, record, measures)));
}

/** The step a failure is about: its record, or what is known of a task that has none. */
export interface FailedStep {
  readonly stepName: string;
  readonly input?: StepTaskInput;
  readonly createdAt?: string;
}

/**
 * A step attempt failed with `error` (its failure was accepted, or may have been). Without a
 * record (a task that could not be recorded), no duration.
 */
export function stepFailed(ctx: RunnerContext, step: FailedStep, error: string, measures?: WorkMeasures): void {
  const recorded = step.createdAt === undefined ? undefined : { createdAt: step.createdAt };
  emit(() => stepFailedLine(stepOf(ctx, step.stepName, step.input), error, ctx.now(), endValues(ctx, recorded, measures)));
}

/**
 * A step's work started (the start call returned): for a step that waits for no dependency,
 * the time since its task was taken (`StepStartLatency`); for one that does, the time since its
 * last dependency ended (`StepTransitionLatency`), when `dependencies` (their kept results)
 * give each one's `completedOn`.
 */
export function stepStarted(ctx: RunnerContext, record: TrackingRecord, dependencies?: StepResults): void {
  const dependsOn = record.input.dependsOn ?? [];
  const values: MetricValues = dependsOn.length === 0
    ? { [PipelineMetrics.STEP_START_LATENCY]: secondsSinceRecorded(ctx, record) }
    : { [PipelineMetrics.STEP_TRANSITION_LATENCY]: transitionSeconds(ctx.now(), dependsOn, dependencies) };
  emit(() => stepStartedLine(stepOf(ctx, record.stepName, record.input), ctx.now(), values));
}

/** A step attempt was seen running past its expected duration (and this invocation claimed its announcement). */
export function stepLate(ctx: RunnerContext, record: TrackingRecord, runningSeconds: number, expectedSeconds: number): void {
  emit(() => stepLateLine(stepOf(ctx, record.stepName, record.input), ctx.now(), runningSeconds, expectedSeconds));
}

/**
 * Seconds from the latest `completedOn` of the dependencies' results to `now`; undefined when one
 * has none. A dependency a re-run reused is left out (its `completedOn` is the earlier
 * execution's); undefined when every one was. Pure.
 */
export function transitionSeconds(now: number, dependsOn: readonly string[], dependencies: StepResults | undefined): number | undefined {
  let lastEnd = -Infinity;
  const measured = dependsOn.filter((step) => dependencies?.get(step)?.[REUSED_FROM_FIELD] === undefined);
  for (const step of measured) {
    const completedOn = dependencies?.get(step)?.completedOn;
    const end = typeof completedOn === 'string' ? Date.parse(completedOn) : Number.NaN;
    if (Number.isNaN(end)) {
      return undefined;
    }
    lastEnd = Math.max(lastEnd, end);
  }
  return measured.length === 0 ? undefined : Math.max(0, (now - lastEnd) / 1000);
}

/** The runner could not handle a cycle or a task: logged at ERROR, and counted in RunnerErrors. */
export function runnerError(ctx: RunnerContext, message: string, fields: LogFields = {}): void {
  log.error(message, fields);
  emit(() => runnerErrorLine(ctx.config.pipelineId, ctx.now(), message));
}

/** A failure notification could not be sent: counted in NotificationFailures. */
export function notificationFailed(pipelineId: string, channel: 'mail' | 'event', stepName?: string): void {
  emit(() => notificationFailedLine(pipelineId, Date.now(), channel, stepName));
}
