import { failureLinks } from './console-links';
import { willRetry } from './retry-decision';
import type { StepKind, TaskRetryPolicy } from '../../shared/contract';
import type { StepFailedDetail } from '../../shared/pipeline-events';

/** What the runner knows of one failed step attempt: what the team is mailed and the event says. */
export interface StepFailure {
  readonly pipelineId: string;
  /** The state machine's name, from the task input (`$$.StateMachine.Name`); unset for older state machines. */
  readonly pipelineName?: string;
  readonly stepName: string;
  /** What the step drives; unknown when the task input could not be read. */
  readonly kind?: StepKind;
  /** The name of its Glue job, crawler, trigger or workflow. */
  readonly resourceName?: string;
  readonly runId?: string;
  /** Glue's final run state, or the runner's reason when no run finished (e.g. START_FAILED). */
  readonly finalState: string;
  /** The error name sent to Step Functions. */
  readonly error: string;
  /** Glue's ErrorMessage, or the runner's explanation. */
  readonly message: string;
  readonly executionId?: string;
  /** `$$.State.RetryCount` of the attempt, from the task input. */
  readonly attempt?: number;
  /** `$$.Execution.RedriveCount` of the attempt, from the task input. */
  readonly redriveCount?: number;
  /** The state's Retry, from the task input. */
  readonly retry?: readonly TaskRetryPolicy[];
}

/**
 * Pure: the detail of the `Glue Pipeline Step Failed` event for one failed attempt, and the
 * facts of its mail. The pipeline is called by its state machine's name where the task input
 * gives it, by its id otherwise; a fact that is not known is left out.
 */
export function stepFailedDetail(f: StepFailure): StepFailedDetail {
  const detail: StepFailedDetail = {
    pipeline: f.pipelineName ?? f.pipelineId,
    pipelineId: f.pipelineId,
    execution: f.executionId,
    step: f.stepName,
    kind: f.kind,
    resourceName: f.resourceName,
    runId: f.runId,
    state: f.finalState,
    error: f.error,
    message: f.message,
    attempt: f.attempt,
    redriveCount: f.redriveCount,
    willRetry: willRetry(f.error, f.attempt, f.retry),
    links: failureLinks({ executionArn: f.executionId, kind: f.kind, resourceName: f.resourceName, runId: f.runId }),
  };
  return Object.fromEntries(Object.entries(detail).filter(([, v]) => v !== undefined)) as unknown as StepFailedDetail;
}
