import {
  EntityNotFoundException, GetWorkflowRunCommand, GetWorkflowRunsCommand, GlueClient, IllegalWorkflowStateException,
  StartWorkflowRunCommand, StopWorkflowRunCommand,
} from '@aws-sdk/client-glue';
import { ActivityService } from '../../simulator/local-aws/activity-service';
import { AwsJsonEndpoint } from '../../simulator/local-aws/aws-json-endpoint';
import { GlueService } from '../../simulator/local-aws/glue-service';
import { SimWorkflowRun, WorkflowScript } from '../../simulator/local-aws/glue-workflows';
import { SimClock } from '../../simulator/sim-clock';

/** Workflow steps wait on this fake: a run's status and action counts must be what the script says. */
let clock: SimClock;
beforeEach(() => {
  clock = new SimClock();
});

const withWorkflows = (workflows: Record<string, WorkflowScript>) => new GlueService(clock, {}, undefined, { workflows });

const ended = (glue: GlueService) => {
  const seen: Array<{ id: string; status: string; at: number }> = [];
  glue.on('workflow-ended', (run: SimWorkflowRun, status: string, at: number) => seen.push({ id: run.id, status, at }));
  return seen;
};

test('GIVEN a workflow whose nodes partly fail WHEN its run ends THEN it is COMPLETED, with the failed actions counted, and announced', async () => {
  const glue = withWorkflows({ etl: { seconds: 30, actions: 5, failedActions: 1, timeoutActions: 1 } });
  const seen = ended(glue);
  const { RunId } = glue.workflows.startWorkflowRun('etl', { day: '2026-01-01' });
  expect(RunId).toMatch(/^wr_[0-9a-f]{64}$/);
  const run = () => glue.workflows.getWorkflowRun('etl', RunId).Run;
  expect(run()).toMatchObject({
    Name: 'etl',
    WorkflowRunId: RunId,
    WorkflowRunProperties: { day: '2026-01-01' },
    Status: 'RUNNING',
    CompletedOn: undefined,
    Statistics: { TotalActions: 5, RunningActions: 5, SucceededActions: 0, FailedActions: 0 },
  });
  await clock.sleep(40);
  const started = glue.workflows.workflowRuns[0].startedAt;
  expect(run()).toMatchObject({
    Status: 'COMPLETED',
    ErrorMessage: undefined,
    StartedOn: clock.epochSeconds(started),
    CompletedOn: clock.epochSeconds(started + 30),
    Statistics: {
      TotalActions: 5,
      RunningActions: 0,
      SucceededActions: 3,
      FailedActions: 1,
      TimeoutActions: 1,
      StoppedActions: 0,
      ErroredActions: 0,
      WaitingActions: 0,
    },
  });
  expect(seen).toEqual([{ id: RunId, status: 'COMPLETED', at: started + 30 }]);
  glue.dispose();
});

test('GIVEN an ERROR script, start errors and a next run WHEN started THEN errors are thrown one per call, then runs follow the scripts in turn', () => {
  const glue = withWorkflows({
    etl: { seconds: 0, finalStatus: 'ERROR', errorMessage: 'Concurrent runs exceeded', startErrors: ['ConcurrentRunsExceededException'], next: { seconds: 0 } },
  });
  expect(() => glue.workflows.startWorkflowRun('etl')).toThrow(expect.objectContaining({ code: 'ConcurrentRunsExceededException' }));
  const first = glue.workflows.startWorkflowRun('etl').RunId;
  const second = glue.workflows.startWorkflowRun('etl').RunId;
  expect(glue.workflows.getWorkflowRun('etl', first).Run).toMatchObject({ Status: 'ERROR', ErrorMessage: 'Concurrent runs exceeded' });
  expect(glue.workflows.getWorkflowRun('etl', second).Run).toMatchObject({ Status: 'COMPLETED', Statistics: { SucceededActions: 2 } });
  glue.dispose();
});

test('GIVEN a running run WHEN stopped THEN STOPPING for 5 s, then STOPPED with its actions stopped, announced once; a run not running cannot be stopped', async () => {
  const glue = withWorkflows({ etl: { seconds: 60, actions: 3 } });
  const seen = ended(glue);
  const { RunId } = glue.workflows.startWorkflowRun('etl');
  await clock.sleep(10);
  glue.workflows.stopWorkflowRun('etl', RunId);
  expect(glue.workflows.getWorkflowRun('etl', RunId).Run.Status).toBe('STOPPING');
  expect(() => glue.workflows.stopWorkflowRun('etl', RunId)).toThrow(expect.objectContaining({ code: 'IllegalWorkflowStateException' }));
  await clock.sleep(80);
  expect(glue.workflows.getWorkflowRun('etl', RunId).Run).toMatchObject({ Status: 'STOPPED', Statistics: { StoppedActions: 3, RunningActions: 0, SucceededActions: 0 } });
  expect(seen).toEqual([{ id: RunId, status: 'STOPPED', at: glue.workflows.workflowRuns[0].stoppedAt! + 5 }]);
  glue.dispose();
});

test('GIVEN runs of two workflows WHEN listed THEN GetWorkflowRuns pages one workflow\'s runs, oldest first (Glue promises no order); unknown runs and missing workflows are EntityNotFound', () => {
  const glue = withWorkflows({ gone: { missing: true } });
  const ids = [1, 2, 3].map(() => glue.workflows.startWorkflowRun('a').RunId);
  glue.workflows.startWorkflowRun('b');
  const page1 = glue.workflows.getWorkflowRuns('a', 2);
  const page2 = glue.workflows.getWorkflowRuns('a', 2, page1.NextToken);
  expect([...page1.Runs, ...page2.Runs].map((r) => r.WorkflowRunId)).toEqual(ids);
  expect(page2.NextToken).toBeUndefined();
  expect(() => glue.workflows.getWorkflowRun('a', 'wr_nope')).toThrow(expect.objectContaining({ code: 'EntityNotFoundException' }));
  expect(() => glue.workflows.getWorkflowRun('b', ids[0])).toThrow(expect.objectContaining({ code: 'EntityNotFoundException' }));
  expect(() => glue.workflows.startWorkflowRun('gone')).toThrow(expect.objectContaining({ code: 'EntityNotFoundException' }));
  expect(() => glue.workflows.getWorkflowRuns('gone')).toThrow(expect.objectContaining({ code: 'EntityNotFoundException' }));
  glue.dispose();
});

test('GIVEN dispose WHEN runs would end later THEN nothing is announced', async () => {
  const glue = withWorkflows({});
  const seen = ended(glue);
  glue.workflows.startWorkflowRun('etl');
  glue.dispose();
  await clock.sleep(100);
  expect(seen).toEqual([]);
});

test('GIVEN the endpoint WHEN the real Glue client drives a workflow THEN the answers parse: statuses, dates, statistics, paging, typed errors', async () => {
  // The client's calls are work in progress: time may not skip while they are under way.
  const glue = withWorkflows({ etl: { seconds: 300, actions: 2, failedActions: 1 } });
  const endpoint = new AwsJsonEndpoint(new ActivityService(clock), glue, { arn: 'arn:aws:states:us-east-1:111111111111:stateMachine:p', executions: () => [] });
  const calls = clock.hold('test client');
  const client = new GlueClient({ endpoint: await endpoint.start(), region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  try {
    const { RunId } = await client.send(new StartWorkflowRunCommand({ Name: 'etl', RunProperties: { day: 'today' } }));
    const second = (await client.send(new StartWorkflowRunCommand({ Name: 'etl' }))).RunId;
    const { Run } = await client.send(new GetWorkflowRunCommand({ Name: 'etl', RunId, IncludeGraph: false }));
    expect(Run).toMatchObject({ WorkflowRunId: RunId, WorkflowRunProperties: { day: 'today' }, Status: 'RUNNING', Statistics: { RunningActions: 2 } });
    expect(Run?.StartedOn).toBeInstanceOf(Date);
    await client.send(new StopWorkflowRunCommand({ Name: 'etl', RunId: second }));
    const page = await client.send(new GetWorkflowRunsCommand({ Name: 'etl', MaxResults: 1 }));
    expect(page.Runs?.map((r) => [r.WorkflowRunId, r.Status])).toEqual([[RunId, 'RUNNING']]);
    expect((await client.send(new GetWorkflowRunsCommand({ Name: 'etl', NextToken: page.NextToken }))).Runs?.map((r) => [r.WorkflowRunId, r.Status])).toEqual([[second, 'STOPPING']]);
    await expect(client.send(new StopWorkflowRunCommand({ Name: 'etl', RunId: second }))).rejects.toBeInstanceOf(IllegalWorkflowStateException);
    await expect(client.send(new GetWorkflowRunCommand({ Name: 'etl', RunId: 'wr_nope' }))).rejects.toBeInstanceOf(EntityNotFoundException);
    calls.pause();
    await clock.sleep(320);
    calls.resume();
    const done = (await client.send(new GetWorkflowRunCommand({ Name: 'etl', RunId }))).Run;
    expect(done).toMatchObject({ Status: 'COMPLETED', Statistics: { SucceededActions: 1, FailedActions: 1 } });
    expect(done?.CompletedOn).toBeInstanceOf(Date);
    expect(done!.CompletedOn!.getTime() - done!.StartedOn!.getTime()).toBeCloseTo(300_000, -1);
  } finally {
    calls.release();
    client.destroy();
    glue.dispose();
    await endpoint.stop();
  }
});
