import { GetWorkflowRunCommand, paginateGetWorkflowRuns, StartWorkflowRunCommand, StopWorkflowRunCommand, WorkflowRun } from '@aws-sdk/client-glue';
import type { StepDriver } from '../step-driver';
import { observeWorkflowRun, WorkflowRunView } from './workflow-states';
import { CORRELATION_RUN_PROPERTY, GlueWorkflowTaskInput } from '../../../shared/contract';
import { glue, glueStart } from '../../aws/clients';

/**
 * A workflow step: one workflow run, read by its id. The run carries the task's correlation as
 * a run property, so a run whose id was never saved is found again instead of started twice.
 * Glue sends no event when a workflow run ends: the sweep notices it.
 */
export const glueWorkflowDriver: StepDriver<GlueWorkflowTaskInput> = {
  startCall: 'StartWorkflowRun',
  doneWhenStarted: false,
  marksStart: false,
  start: async (input, tokenId) => {
    const res = await glueStart.send(new StartWorkflowRunCommand({
      Name: input.workflowName,
      RunProperties: { ...input.runProperties, [CORRELATION_RUN_PROPERTY]: tokenId },
    }));
    if (!res.RunId) {
      throw Object.assign(new Error(`StartWorkflowRun for workflow ${input.workflowName} returned no RunId`), { name: 'MissingJobRunIdError' });
    }
    return res.RunId;
  },
  observe: async (work) => {
    const res = await glue.send(new GetWorkflowRunCommand({ Name: work.input.workflowName, RunId: work.runId, IncludeGraph: false }));
    return observeWorkflowRun(work.input.stepName, viewOf(work.input.workflowName, work.runId, res.Run));
  },
  // GetWorkflowRuns documents no order (GetJobRuns, unlike it, is newest first): no run's start
  // time says the record's run cannot come later, so every page is read until it is found. Glue
  // keeps a workflow's run history for 90 days, 1,000 runs a page.
  findStarted: async (work) => {
    for await (const page of paginateGetWorkflowRuns({ client: glue, pageSize: 1000 }, { Name: work.input.workflowName, IncludeGraph: false })) {
      const mine = (page.Runs ?? []).find((run) => run.WorkflowRunProperties?.[CORRELATION_RUN_PROPERTY] === work.tokenId);
      if (mine) {
        return mine.WorkflowRunId;
      }
    }
    return undefined;
  },
  stop: async (work) => {
    try {
      await glue.send(new StopWorkflowRunCommand({ Name: work.input.workflowName, RunId: work.runId }));
    } catch (err) {
      // Already over: nothing to stop.
      if (!(err instanceof Error && err.name === 'IllegalWorkflowStateException')) {
        throw err;
      }
    }
  },
};

function viewOf(workflowName: string, runId: string, run: WorkflowRun | undefined): WorkflowRunView {
  return {
    workflowName,
    runId,
    status: run?.Status,
    errorMessage: run?.ErrorMessage,
    startedOn: run?.StartedOn,
    completedOn: run?.CompletedOn,
    statistics: run?.Statistics,
  };
}
