import { GlueWorkflowResult, StepErrorName, StepErrorNames } from '../../../shared/contract';
import { Observation } from '../observation';

/** A workflow run as GetWorkflowRun shows it: the fields the decision needs. */
export interface WorkflowRunView {
  readonly workflowName: string;
  readonly runId: string;
  /** RUNNING | COMPLETED | STOPPING | STOPPED | ERROR */
  readonly status?: string;
  readonly errorMessage?: string;
  readonly startedOn?: Date;
  readonly completedOn?: Date;
  readonly statistics?: {
    readonly TotalActions?: number;
    readonly SucceededActions?: number;
    readonly FailedActions?: number;
    readonly StoppedActions?: number;
    readonly TimeoutActions?: number;
    readonly ErroredActions?: number;
  };
}

/** Every value of Glue's `WorkflowRunStatus`, and what it means for the step. */
export const WORKFLOW_STATUS_ACTIONS: Readonly<Record<'RUNNING' | 'STOPPING' | 'COMPLETED' | 'STOPPED' | 'ERROR', 'in-flight' | 'completed' | StepErrorName>> = {
  RUNNING: 'in-flight',
  STOPPING: 'in-flight',
  // Glue ends a run COMPLETED even when some of its nodes failed: the statistics decide.
  COMPLETED: 'completed',
  STOPPED: StepErrorNames.WORKFLOW_STOPPED,
  ERROR: StepErrorNames.WORKFLOW_ERROR,
};

/**
 * What a workflow run means for its step. Pure. A COMPLETED run succeeds only when none of its
 * actions failed, stopped, timed out or errored; a status Glue adds later is waited on,
 * bounded by the state's timeout.
 */
export function observeWorkflowRun(stepName: string, run: WorkflowRunView): Observation {
  const action = WORKFLOW_STATUS_ACTIONS[run.status as keyof typeof WORKFLOW_STATUS_ACTIONS];
  if (action === undefined || action === 'in-flight') {
    return run.status === undefined ? { kind: 'in-flight' } : { kind: 'in-flight', state: run.status };
  }
  if (action !== 'completed') {
    return { kind: 'fail', error: action, finalState: run.status!, message: run.errorMessage ?? '' };
  }
  const s = run.statistics ?? {};
  const bad = { 'failed': s.FailedActions ?? 0, 'stopped': s.StoppedActions ?? 0, 'timed out': s.TimeoutActions ?? 0, 'errored': s.ErroredActions ?? 0 };
  const badTotal = Object.values(bad).reduce((a, b) => a + b, 0);
  if (badTotal > 0) {
    const detail = Object.entries(bad).filter(([, n]) => n > 0).map(([what, n]) => `${n} ${what}`).join(', ');
    return {
      kind: 'fail',
      error: StepErrorNames.WORKFLOW_ACTIONS_FAILED,
      finalState: 'COMPLETED',
      message: `workflow run ${run.runId} completed with ${detail} of ${s.TotalActions ?? '?'} actions${run.errorMessage ? `: ${run.errorMessage}` : ''}`,
    };
  }
  return {
    kind: 'succeed',
    output: {
      stepName,
      workflowName: run.workflowName,
      workflowRunId: run.runId,
      state: 'COMPLETED',
      startedOn: run.startedOn?.toISOString(),
      completedOn: run.completedOn?.toISOString(),
      succeededActions: s.SucceededActions,
    } satisfies GlueWorkflowResult,
  };
}
