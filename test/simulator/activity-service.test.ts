import { ActivityService, LONG_POLL_SECONDS, TaskFailedError } from '../../simulator/local-aws/activity-service';
import { ServiceError } from '../../simulator/local-aws/service-error';
import { SimClock } from '../../simulator/sim-clock';

/** The local activity service must behave as Step Functions does, or the scenarios prove nothing. */
const ARN = 'arn:aws:states:us-east-1:123456789012:activity:A';
const never = new Promise<void>(() => undefined);

let clock: SimClock;
let activity: ActivityService;
beforeEach(() => {
  clock = new SimClock();
  activity = new ActivityService(clock);
});

test('GIVEN one pending task and two pollers WHEN both poll THEN exactly one gets it', async () => {
  const done = activity.schedule(ARN, 's', '{"a":1}', 100, 1000);
  const [first, second] = await Promise.all([
    activity.getActivityTask(ARN, 'w1', never),
    activity.getActivityTask(ARN, 'w2', never),
  ]);
  expect([first?.input, second]).toEqual(['{"a":1}', undefined]);
  activity.sendTaskSuccess(first!.token, '{"ok":true}');
  await expect(done).resolves.toBe('{"ok":true}');
});

test('GIVEN no task WHEN polling THEN the poll waits the full long poll and returns nothing', async () => {
  const started = clock.now();
  await expect(activity.getActivityTask(ARN, 'w', never)).resolves.toBeUndefined();
  expect(clock.now() - started).toBeGreaterThanOrEqual(LONG_POLL_SECONDS - 1);
});

test('GIVEN a waiting poller WHEN a task is scheduled THEN it is handed over at once', async () => {
  const poll = activity.getActivityTask(ARN, 'w', never);
  void activity.schedule(ARN, 's', '{}', 100, 1000).catch(() => undefined);
  expect((await poll)?.status).toBe('STARTED');
});

test('GIVEN a closed task WHEN it is reported again THEN TaskTimedOut; an unknown token THEN TaskDoesNotExist or InvalidToken', async () => {
  const done = activity.schedule(ARN, 's', '{}', 100, 1000);
  const task = (await activity.getActivityTask(ARN, 'w', never))!;
  activity.sendTaskFailure(task.token, 'Glue.JobFailed', 'boom');
  await expect(done).rejects.toMatchObject({ name: 'Glue.JobFailed', cause: 'boom' });
  expect(() => activity.sendTaskSuccess(task.token, '{}')).toThrow(expect.objectContaining({ code: 'TaskTimedOut' }));
  expect(() => activity.sendTaskHeartbeat(`${task.token.slice(0, 3)}x`)).toThrow(expect.objectContaining({ code: 'TaskDoesNotExist' }));
  expect(() => activity.sendTaskHeartbeat('garbage')).toThrow(ServiceError);
});

test('GIVEN a started task WHEN no heartbeat comes within HeartbeatSeconds THEN it fails with States.HeartbeatTimeout; heartbeats keep it alive', async () => {
  const done = activity.schedule(ARN, 's', '{}', 40, 1000);
  const task = (await activity.getActivityTask(ARN, 'w', never))!;
  for (let i = 0; i < 3; i++) {
    await clock.sleep(25);
    activity.sendTaskHeartbeat(task.token);
  }
  expect(task.status).toBe('STARTED');
  await expect(done).rejects.toBeInstanceOf(TaskFailedError);
  expect(task).toMatchObject({ status: 'TIMED_OUT', error: 'States.HeartbeatTimeout', heartbeats: 3 });
});

test('GIVEN a started task WHEN TimeoutSeconds pass despite heartbeats THEN it fails with States.Timeout', async () => {
  const done = activity.schedule(ARN, 's', '{}', 30, 60);
  const task = (await activity.getActivityTask(ARN, 'w', never))!;
  const beat = clock.every(10, () => task.status === 'STARTED' && activity.sendTaskHeartbeat(task.token));
  await expect(done).rejects.toMatchObject({ name: 'States.Timeout' });
  beat.cancel();
});

test('GIVEN output that is not JSON WHEN sent THEN InvalidOutput, and the task stays open', async () => {
  void activity.schedule(ARN, 's', '{}', 100, 1000).catch(() => undefined);
  const task = (await activity.getActivityTask(ARN, 'w', never))!;
  expect(() => activity.sendTaskSuccess(task.token, 'nope')).toThrow(expect.objectContaining({ code: 'InvalidOutput' }));
  expect(task.status).toBe('STARTED');
});

test('GIVEN three pollers and one task WHEN they poll at once THEN three polls were in flight at the peak, one handed out a task and two waited the full long poll empty', async () => {
  void activity.schedule(ARN, 's', '{}', 100, 1000).catch(() => undefined);
  await Promise.all([1, 2, 3].map((n) => activity.getActivityTask(ARN, `w${n}`, never)));
  expect(activity.peakPollsInFlight).toBe(3);
  expect(activity.pollsInFlight).toBe(0);
  expect(activity.polls.map((p) => p.handedOut)).toEqual([true, false, false]);
  const empty = activity.polls.filter((p) => !p.handedOut).map((p) => p.endedAt! - p.startedAt);
  empty.forEach((seconds) => expect(seconds).toBeGreaterThanOrEqual(LONG_POLL_SECONDS - 1));
  activity.dispose();
});

describe('clocks from scheduling (AWS does not document when they start; the conservative reading)', () => {
  beforeEach(() => {
    activity = new ActivityService(clock, 'scheduling');
  });
  afterEach(() => activity.dispose());

  test('GIVEN a task taken 80 s after it was scheduled WHEN no heartbeat comes THEN it times out 100 s after scheduling, not after hand-out', async () => {
    // GIVEN
    const done = activity.schedule(ARN, 's', '{}', 100, 1000);
    await clock.sleep(80);
    const task = await activity.getActivityTask(ARN, 'w', never);
    // WHEN
    await expect(done).rejects.toMatchObject({ name: 'States.HeartbeatTimeout' });
    // THEN
    expect(task!.endedAt! - task!.scheduledAt).toBeCloseTo(100, 0);
  });

  test('GIVEN a task nobody takes WHEN HeartbeatSeconds pass THEN it times out unstarted and is no longer handed out', async () => {
    // GIVEN / WHEN
    const done = activity.schedule(ARN, 's', '{}', 100, 1000);
    await expect(done).rejects.toMatchObject({ name: 'States.HeartbeatTimeout' });
    // THEN
    expect([activity.tasks[0].status, activity.tasks[0].startedAt]).toEqual(['TIMED_OUT', undefined]);
    await expect(activity.getActivityTask(ARN, 'w', never)).resolves.toBeUndefined();
  });
});

test('GIVEN open tasks of two executions WHEN one execution ends THEN every open task of it is closed ABORTED, the other\'s stay open', async () => {
  // GIVEN a started and a queued task of execution A (one of them a state being retried), and one of B
  const open = (state: string, executionId: string) =>
    activity.schedule(ARN, state, JSON.stringify({ executionId }), 100, 1000).catch((e: Error) => e);
  const [a1, a2, b1] = [open('load', 'exec-a'), open('transform', 'exec-a'), open('load', 'exec-b')];
  await activity.getActivityTask(ARN, 'runner', never);
  // WHEN
  activity.abortExecution('exec-a');
  // THEN
  expect(await a1).toMatchObject({ name: 'States.Aborted' });
  expect(await a2).toMatchObject({ name: 'States.Aborted' });
  expect(activity.tasks.map((t) => [t.stateName, JSON.parse(t.input).executionId, t.status])).toEqual([
    ['load', 'exec-a', 'ABORTED'], ['transform', 'exec-a', 'ABORTED'], ['load', 'exec-b', 'SCHEDULED'],
  ]);
  void b1;
});
