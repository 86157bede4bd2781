import { failureLinks } from './console-links';
import type { StepKind } from '../../shared/contract';
import type { StepLateDetail } from '../../shared/pipeline-events';

/** What the runner knows of one late step attempt: what its event says. */
export interface StepLate {
  readonly pipelineId: string;
  /** The state machine's name, from the task input (`$$.StateMachine.Name`); unset for older state machines. */
  readonly pipelineName?: string;
  readonly stepName: string;
  readonly kind: StepKind;
  readonly resourceName: string;
  readonly runId: string;
  readonly executionId: string;
  /** Glue's state of the work as last read, when Glue gave one. */
  readonly state?: string;
  /** `$$.State.RetryCount` of the attempt, from the task input. */
  readonly attempt?: number;
  /** `$$.Execution.RedriveCount` of the attempt, from the task input. */
  readonly redriveCount?: number;
  readonly expectedSeconds: number;
  readonly runningSeconds: number;
  /** Epoch ms the runner sent the start of the attempt's work. */
  readonly runningSince: number;
}

/**
 * Pure: the detail of the `Glue Pipeline Step Late` event for one late attempt. The pipeline is
 * called by its state machine's name where the task input gives it, by its id otherwise; a fact
 * that is not known is left out. The links are those of a failure event (the run's Glue page and
 * logs, the execution).
 */
export function stepLateDetail(l: StepLate): StepLateDetail {
  const detail: StepLateDetail = {
    pipeline: l.pipelineName ?? l.pipelineId,
    pipelineId: l.pipelineId,
    execution: l.executionId,
    step: l.stepName,
    kind: l.kind,
    resourceName: l.resourceName,
    runId: l.runId,
    state: l.state,
    attempt: l.attempt,
    redriveCount: l.redriveCount,
    expectedSeconds: l.expectedSeconds,
    runningSeconds: l.runningSeconds,
    runningSince: new Date(l.runningSince).toISOString(),
    links: failureLinks({ executionArn: l.executionId, kind: l.kind, resourceName: l.resourceName, runId: l.runId }),
  };
  return Object.fromEntries(Object.entries(detail).filter(([, v]) => v !== undefined)) as unknown as StepLateDetail;
}
