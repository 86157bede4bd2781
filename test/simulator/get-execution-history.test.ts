import { GetExecutionHistoryCommand, GetExecutionHistoryCommandInput, HistoryEvent, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { ExecutionReport, startExecution } from '../../simulator/execution';
import { ActivityService, ActivityTask } from '../../simulator/local-aws/activity-service';
import { AwsJsonEndpoint } from '../../simulator/local-aws/aws-json-endpoint';
import { GlueService } from '../../simulator/local-aws/glue-service';
import { LocalExecutions } from '../../simulator/local-aws/sfn-executions';
import { SimClock } from '../../simulator/sim-clock';

/**
 * GetExecutionHistory as the runner will call it: the real SDK client against the local endpoint,
 * reading the history of executions the interpreter ran (a Pass, then two activity states).
 */
const ACTIVITY = 'arn:aws:states:us-east-1:111111111111:activity:p';
const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:111111111111:stateMachine:p';
const DEFINITION = {
  StartAt: 'prepare',
  States: {
    prepare: { Type: 'Pass', Result: 'ready', ResultPath: '$.prepared', Next: 'extract' },
    extract: { Type: 'Task', Resource: ACTIVITY, Next: 'load' },
    load: { Type: 'Task', Resource: ACTIVITY, End: true },
  },
};

/** How the worker answers a task: its output, or a failure. */
type Answer = { output: unknown } | { error: string; cause: string };

async function withSimulation(answer: (stateName: string) => Answer, body: (s: {
  client: SFNClient;
  start: (name: string, input: unknown) => Promise<ExecutionReport>;
  redrive: (name: string) => Promise<ExecutionReport>;
}) => Promise<void>) {
  const clock = new SimClock();
  const activity = new ActivityService(clock);
  const glue = new GlueService(clock, {});
  const reports: ExecutionReport[] = [];
  const runs = new Map<string, ReturnType<typeof startExecution> & { input: unknown }>();
  const executions = new LocalExecutions(STATE_MACHINE_ARN, clock, () => reports, (executionArn, input) => {
    const run = startExecution(DEFINITION, activity, clock, input, executionArn);
    runs.set(executionArn, { ...run, input });
    reports.push(run.report);
    return run.report;
  });
  // The worker: takes each task as it is scheduled and answers it.
  activity.on('task', (task: ActivityTask) => {
    if (task.status === 'SCHEDULED') {
      setImmediate(() => void activity.getActivityTask(ACTIVITY, 'worker', new Promise(() => undefined)).then((t) => {
        const a = answer(t!.stateName);
        if ('output' in a) {
          activity.sendTaskSuccess(t!.token, JSON.stringify(a.output));
        } else {
          activity.sendTaskFailure(t!.token, a.error, a.cause);
        }
      }));
    }
  });
  const endpoint = new AwsJsonEndpoint(activity, glue, { arn: STATE_MACHINE_ARN, executions: () => [] }, undefined, undefined, {
    'AWSStepFunctions.StartExecution': (b) => executions.startExecution(String(b.stateMachineArn), b.name as string | undefined, b.input as string | undefined),
    'AWSStepFunctions.GetExecutionHistory': (b) => executions.getExecutionHistory(b),
  });
  const client = new SFNClient({ endpoint: await endpoint.start(), region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  try {
    await body({
      client,
      start: async (name, input) => {
        const request = { stateMachineArn: STATE_MACHINE_ARN, name, input: JSON.stringify(input) };
        const { executionArn } = await client.send(new StartExecutionCommand(request));
        return runs.get(executionArn!)!.done;
      },
      redrive: (name) => {
        const first = runs.get(executions.arnOf(name))!;
        // As Simulation.startRedrive does: the same input, the activity states that succeeded answering at once.
        return startExecution(DEFINITION, activity, clock, first.input, first.report.executionArn, undefined,
          { report: first.report, succeeded: first.succeeded }).done;
      },
    });
  } finally {
    client.destroy();
    glue.dispose();
    activity.dispose();
    clock.dispose();
    await endpoint.stop();
  }
}

/** Every event of the history, page after page. */
async function allPages(client: SFNClient, request: GetExecutionHistoryCommandInput): Promise<{ events: HistoryEvent[]; pages: number }> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await client.send(new GetExecutionHistoryCommand({ ...request, nextToken }));
    events.push(...page.events!);
    nextToken = page.nextToken;
    pages++;
  } while (nextToken);
  return { events, pages };
}

const succeeds = (stateName: string): Answer => ({ output: { rows: stateName.length } });
const arnOf = (name: string) => `arn:aws:states:us-east-1:111111111111:execution:p:${name}`;

test('GIVEN a sequence that succeeded WHEN its history is read THEN ExecutionStarted, each state entered and exited with its input and output, then ExecutionSucceeded', async () => {
  await withSimulation(succeeds, async ({ client, start }) => {
    // GIVEN
    const report = await start('day-1', { day: 1 });
    expect(report.status).toBe('SUCCEEDED');
    // WHEN
    const { events } = await client.send(new GetExecutionHistoryCommand({ executionArn: arnOf('day-1') }));
    // THEN
    expect(events!.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'PassStateEntered', 'PassStateExited',
      'TaskStateEntered', 'TaskStateExited',
      'TaskStateEntered', 'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events!.map((e) => [e.id, e.previousEventId])).toEqual(events!.map((_, i) => [i + 1, i]));
    expect(events![0].timestamp).toBeInstanceOf(Date);
    expect(events![0].executionStartedEventDetails).toEqual({ input: '{"day":1}', inputDetails: { truncated: false } });
    const exits = events!.filter((e) => e.type === 'TaskStateExited').map((e) => e.stateExitedEventDetails);
    expect(exits).toEqual([
      { name: 'extract', output: '{"rows":7}', outputDetails: { truncated: false } },
      { name: 'load', output: '{"rows":4}', outputDetails: { truncated: false } },
    ]);
    expect(events![3].stateEnteredEventDetails).toEqual({ name: 'extract', input: '{"day":1,"prepared":"ready"}', inputDetails: { truncated: false } });
    expect(events![7].executionSucceededEventDetails?.output).toBe('{"rows":4}');
  });
});

test('GIVEN a history of 8 events WHEN read 2 at a time THEN 4 pages give every event once, in order; reverseOrder gives them newest first', async () => {
  await withSimulation(succeeds, async ({ client, start }) => {
    // GIVEN
    await start('day-1', { day: 1 });
    const whole = (await client.send(new GetExecutionHistoryCommand({ executionArn: arnOf('day-1') }))).events!;
    // WHEN
    const forward = await allPages(client, { executionArn: arnOf('day-1'), maxResults: 2 });
    const backward = await allPages(client, { executionArn: arnOf('day-1'), maxResults: 2, reverseOrder: true });
    // THEN
    expect(forward.pages).toBe(4);
    expect(forward.events.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(forward.events).toEqual(whole);
    expect(backward.events.map((e) => e.id)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
  });
});

test('GIVEN a history WHEN read with includeExecutionData false THEN no input or output, the names and types kept', async () => {
  await withSimulation(succeeds, async ({ client, start }) => {
    await start('day-1', { day: 1 });
    const { events } = await client.send(new GetExecutionHistoryCommand({ executionArn: arnOf('day-1'), includeExecutionData: false }));
    expect(events).toHaveLength(8);
    expect(JSON.stringify(events)).not.toMatch(/"(input|output)":/);
    expect(events![4].stateExitedEventDetails).toEqual({ name: 'extract', outputDetails: { truncated: false } });
  });
});

test('GIVEN an execution that failed and was redriven WHEN its history is read THEN ExecutionFailed, ExecutionRedriven, and only the failed state entered again', async () => {
  let loadAttempts = 0;
  const answer = (stateName: string): Answer => stateName === 'load' && loadAttempts++ === 0
    ? { error: 'Glue.Failed', cause: 'the job failed' }
    : succeeds(stateName);
  await withSimulation(answer, async ({ client, start, redrive }) => {
    // GIVEN
    expect((await start('day-1', { day: 1 })).status).toBe('FAILED');
    expect((await redrive('day-1')).status).toBe('SUCCEEDED');
    // WHEN
    const { events } = await allPages(client, { executionArn: arnOf('day-1'), maxResults: 3 });
    // THEN
    const named = events.map((e) => [e.type, e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name].filter(Boolean).join(' '));
    expect(named).toEqual([
      'ExecutionStarted',
      'PassStateEntered prepare', 'PassStateExited prepare',
      'TaskStateEntered extract', 'TaskStateExited extract',
      'TaskStateEntered load',
      'ExecutionFailed',
      'ExecutionRedriven',
      'TaskStateEntered load', 'TaskStateExited load',
      'ExecutionSucceeded',
    ]);
    expect(events.find((e) => e.type === 'ExecutionFailed')!.executionFailedEventDetails).toEqual({ error: 'Glue.Failed', cause: 'the job failed' });
    expect(events.find((e) => e.type === 'ExecutionRedriven')!.executionRedrivenEventDetails).toEqual({ redriveCount: 1 });
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
  });
});

test.each<[string, string, GetExecutionHistoryCommandInput]>([
  ['an unknown execution', 'ExecutionDoesNotExist', { executionArn: arnOf('never') }],
  ['a malformed ARN', 'InvalidArn', { executionArn: 'day-1' }],
  ['a token it did not hand out', 'InvalidToken', { executionArn: arnOf('day-1'), nextToken: 'made-up' }],
  ['more than 1,000 events a page', 'ValidationException', { executionArn: arnOf('day-1'), maxResults: 1001 }],
])('GIVEN %s WHEN GetExecutionHistory is called THEN the SDK throws %s', async (_case, error, request) => {
  await withSimulation(succeeds, async ({ client, start }) => {
    await start('day-1', { day: 1 });
    await expect(client.send(new GetExecutionHistoryCommand(request))).rejects.toMatchObject({ name: error });
  });
});
