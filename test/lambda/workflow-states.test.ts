import { observeWorkflowRun, WORKFLOW_STATUS_ACTIONS, WorkflowRunView } from '../../src/lambda/kinds/glue-workflow/workflow-states';
import { Observation } from '../../src/lambda/kinds/observation';
import { StepErrorNames } from '../../src/shared/contract';

const STARTED_ON = new Date('2025-03-01T11:00:00.000Z');
const COMPLETED_ON = new Date('2025-03-01T11:30:00.000Z');

/** GetWorkflowRun of run wr_1 of workflow etl, with `status` and the given statistics. */
function run(status: string | undefined, statistics?: WorkflowRunView['statistics'], errorMessage?: string): WorkflowRunView {
  return { workflowName: 'etl', runId: 'wr_1', status, errorMessage, startedOn: STARTED_ON, completedOn: COMPLETED_ON, statistics };
}

const clean = { TotalActions: 4, SucceededActions: 4, FailedActions: 0, StoppedActions: 0, TimeoutActions: 0, ErroredActions: 0 };
const IN_FLIGHT: Observation = { kind: 'in-flight' };
const inFlightIn = (state: string): Observation => ({ kind: 'in-flight', state });

describe('observeWorkflowRun, every status', () => {
  it.each<[string | undefined, Observation]>([
    ['RUNNING', inFlightIn('RUNNING')],
    ['STOPPING', inFlightIn('STOPPING')],
    ['COMPLETED', {
      kind: 'succeed',
      output: {
        stepName: 'flow',
        workflowName: 'etl',
        workflowRunId: 'wr_1',
        state: 'COMPLETED',
        startedOn: STARTED_ON.toISOString(),
        completedOn: COMPLETED_ON.toISOString(),
        succeededActions: 4,
      },
    }],
    ['STOPPED', { kind: 'fail', error: StepErrorNames.WORKFLOW_STOPPED, finalState: 'STOPPED', message: 'stopped by hand' }],
    ['ERROR', { kind: 'fail', error: StepErrorNames.WORKFLOW_ERROR, finalState: 'ERROR', message: 'stopped by hand' }],
    ['PAUSED', inFlightIn('PAUSED')],
    [undefined, IN_FLIGHT],
  ])('GIVEN a workflow run %s (clean statistics) WHEN observed THEN the step is %j', (status, expected) => {
    expect(observeWorkflowRun('flow', run(status, clean, status === 'COMPLETED' ? undefined : 'stopped by hand'))).toEqual(expected);
  });

  it('GIVEN every status the table lists WHEN observed THEN only RUNNING and STOPPING keep the step in flight', () => {
    const inFlight = Object.keys(WORKFLOW_STATUS_ACTIONS).filter((s) => observeWorkflowRun('flow', run(s, clean)).kind === 'in-flight');
    expect(inFlight.sort()).toEqual(['RUNNING', 'STOPPING']);
  });

  it.each(['STOPPED', 'ERROR'])('GIVEN a %s run without an error message WHEN observed THEN the failure has an empty message', (status) => {
    expect(observeWorkflowRun('flow', run(status, clean))).toMatchObject({ kind: 'fail', message: '' });
  });
});

describe('observeWorkflowRun, a COMPLETED run whose actions did not all succeed', () => {
  it.each<[string, Partial<typeof clean>, string]>([
    ['one failed action', { SucceededActions: 3, FailedActions: 1 }, '1 failed of 4 actions'],
    ['two stopped actions', { SucceededActions: 2, StoppedActions: 2 }, '2 stopped of 4 actions'],
    ['a timed out action', { SucceededActions: 3, TimeoutActions: 1 }, '1 timed out of 4 actions'],
    ['an errored action', { SucceededActions: 3, ErroredActions: 1 }, '1 errored of 4 actions'],
    ['one of each', { TotalActions: 6, SucceededActions: 2, FailedActions: 1, StoppedActions: 1, TimeoutActions: 1, ErroredActions: 1 },
      '1 failed, 1 stopped, 1 timed out, 1 errored of 6 actions'],
    ['failures and no total', { TotalActions: undefined, FailedActions: 2 }, '2 failed of ? actions'],
  ])('GIVEN %s WHEN observed THEN it fails with Glue.WorkflowActionsFailed, counting them in the message', (_label, stats, detail) => {
    // WHEN
    const observed = observeWorkflowRun('flow', run('COMPLETED', { ...clean, ...stats }));
    // THEN
    expect(observed).toEqual({
      kind: 'fail', error: StepErrorNames.WORKFLOW_ACTIONS_FAILED, finalState: 'COMPLETED', message: `workflow run wr_1 completed with ${detail}`,
    });
  });

  it('GIVEN a COMPLETED run with a failed action and an error message WHEN observed THEN the message ends with it', () => {
    expect(observeWorkflowRun('flow', run('COMPLETED', { ...clean, FailedActions: 1 }, 'job x failed'))).toMatchObject({
      message: 'workflow run wr_1 completed with 1 failed of 4 actions: job x failed',
    });
  });

  it.each<[string, WorkflowRunView['statistics']]>([
    ['no statistics', undefined],
    ['statistics without the failure counts', { TotalActions: 2, SucceededActions: 2 }],
  ])('GIVEN a COMPLETED run with %s WHEN observed THEN it succeeds', (_label, statistics) => {
    expect(observeWorkflowRun('flow', run('COMPLETED', statistics)).kind).toBe('succeed');
  });
});
