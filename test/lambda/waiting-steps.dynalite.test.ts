import { GlueClient, StartJobRunCommand, StartTriggerCommand } from '@aws-sdk/client-glue';
import { SESClient } from '@aws-sdk/client-ses';
import {
  GetActivityTaskCommand, GetExecutionHistoryCommand, SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, SFNClient,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { config, NOW, stepInput, taskInput, triggerInput } from './fixtures';
import { startLocalTrackingTable } from './local-tracking-table';
import type { PollPlan } from '../../src/lambda/decisions/poll-plan';
import type { RunnerContext } from '../../src/lambda/entry/runner-context';
import type * as StartAttemptModule from '../../src/lambda/phases/start-attempt';
import type * as StartPhaseModule from '../../src/lambda/phases/start-phase';
import type * as WaitingModule from '../../src/lambda/phases/waiting-steps';
import type * as TokenModule from '../../src/lambda/store/token-id';
import type * as StoreModule from '../../src/lambda/store/tracking-store';
import { CORRELATION_ARGUMENT, StepTaskInput, TrackingRecord, trackingPartition, trackingSortKey } from '../../src/shared/contract';

/**
 * Steps of a graph against a real DynamoDB implementation (dynalite): which held step starts,
 * and that only one of two invocations starts it, is decided by the results kept in the table
 * and by conditional claims a mock cannot evaluate. Glue and Step Functions are mocked; the
 * DynamoDB client is not, so this file does not use aws-mocks.
 */
const TABLE = 'tracking-graph';
const glueMock = mockClient(GlueClient);
const sfnMock = mockClient(SFNClient);
const sesMock = mockClient(SESClient);

let stop: () => Promise<void>;
let Store: typeof StoreModule;
let waiting: typeof WaitingModule;
let startPhase: typeof StartPhaseModule;
let startAttempt: typeof StartAttemptModule;
let hashToken: typeof TokenModule.tokenId;

beforeAll(async () => {
  ({ Store, stop } = await startLocalTrackingTable(TABLE));
  // Loaded only now, so the runner's module-scope DynamoDB client talks to dynalite.
  /* eslint-disable @typescript-eslint/no-require-imports */
  waiting = require('../../src/lambda/phases/waiting-steps') as typeof WaitingModule;
  startPhase = require('../../src/lambda/phases/start-phase') as typeof StartPhaseModule;
  startAttempt = require('../../src/lambda/phases/start-attempt') as typeof StartAttemptModule;
  hashToken = (require('../../src/lambda/store/token-id') as typeof TokenModule).tokenId;
  /* eslint-enable @typescript-eslint/no-require-imports */
});

afterAll(() => stop());

beforeEach(() => {
  glueMock.reset();
  sfnMock.reset();
  sesMock.reset();
  sfnMock.on(SendTaskHeartbeatCommand).resolves({});
  sfnMock.on(SendTaskSuccessCommand).resolves({});
  sfnMock.on(SendTaskFailureCommand).resolves({});
  glueMock.on(StartJobRunCommand).callsFake((input) => ({ JobRunId: `jr_${input.JobName}` }));
  glueMock.on(StartTriggerCommand).resolves({});
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

const T = NOW.getTime();
const EXEC_E = 'arn:aws:states:us-east-1:111122223333:execution:sm:exec-E';
const EXEC_F = 'arn:aws:states:us-east-1:111122223333:execution:sm:exec-F';

/** The pipeline each store was made for, so a context can name it. */
const pipelineOf = new WeakMap<StoreModule.TrackingStore, string>();

function storeFor(pipelineId: string): StoreModule.TrackingStore {
  const store = new Store.TrackingStore(TABLE, pipelineId);
  pipelineOf.set(store, pipelineId);
  return store;
}

/** A fresh pipeline per test, so tests share the table but not their items. */
let pipelines = 0;
function freshPipeline(): { store: StoreModule.TrackingStore; pipelineId: string } {
  const pipelineId = `graph-${++pipelines}`;
  return { store: storeFor(pipelineId), pipelineId };
}

/** One invocation's context on the store's pipeline: a clock at `now`, ten minutes left, no mail. */
function contextOf(store: StoreModule.TrackingStore, now = T): RunnerContext {
  return {
    config: { ...config(false), tableName: TABLE, pipelineId: pipelineOf.get(store)! },
    store,
    remainingMs: () => 600_000,
    now: () => now,
    leaseUntil: now + 630_000,
    tally: { failureMailNotSent: 0, failureEventNotSent: 0, lateEventNotSent: 0 },
    earlierRuns: new Map(),
  };
}

/** A held step of execution `executionId`: job `job<n>` waiting for `dependsOn`, no lease. */
function waitingRecord(
  pipelineId: string, n: number, dependsOn: string[], executionId = EXEC_E, overrides: Partial<StepTaskInput> = {},
): TrackingRecord {
  const tokenId = `tok${n}`;
  return {
    pk: trackingPartition(pipelineId),
    sk: trackingSortKey(tokenId),
    taskToken: `token-${n}`,
    tokenId,
    status: 'WAITING',
    stepName: `step${n}`,
    resourceName: `job${n}`,
    executionId,
    createdAt: new Date(T - 60_000).toISOString(),
    expiresAt: Math.floor(T / 1000) + 86_400,
    input: { ...stepInput(n, { executionId, dependsOn }), ...overrides } as StepTaskInput,
    leaseUntil: 0,
    startAttempts: 0,
  };
}

/** The pipeline's task records as the table holds them, by sort key. */
async function records(store: StoreModule.TrackingStore): Promise<Map<string, TrackingRecord>> {
  const all = new Map<string, TrackingRecord>();
  for await (const page of store.pages()) {
    page.forEach((r) => all.set(r.sk, r));
  }
  return all;
}

/** Keeps a succeeded step's result for an hour. */
const keep = (store: StoreModule.TrackingStore, executionId: string, stepName: string, output: Record<string, unknown> = { state: 'SUCCEEDED' }) =>
  store.keepResult(executionId, stepName, { stepName, ...output }, Math.floor(T / 1000) + 3600);

const startedJobs = () => glueMock.commandCalls(StartJobRunCommand).map((c) => c.args[0].input.JobName);

describe('kept results on dynalite', () => {
  it('GIVEN results kept for two executions, one expired WHEN an execution\'s results are read THEN only its live ones come back, by step name', async () => {
    // GIVEN
    const { store } = freshPipeline();
    await store.keepResult(EXEC_E, 'extract', { stepName: 'extract', jobRunId: 'jr_x', executionTimeSeconds: 12 }, Math.floor(T / 1000) + 3600);
    await store.keepResult(EXEC_E, 'clean', { stepName: 'clean' }, Math.floor(T / 1000) + 1);
    await store.keepResult(EXEC_E, 'old', { stepName: 'old' }, Math.floor(T / 1000));
    await store.keepResult(EXEC_E, 'older', { stepName: 'older' }, Math.floor(T / 1000) - 60);
    await store.keepResult(EXEC_F, 'load', { stepName: 'load' }, Math.floor(T / 1000) + 3600);
    // WHEN
    const results = await store.results(EXEC_E, T);
    // THEN
    expect([...results.keys()].sort()).toEqual(['clean', 'extract']);
    expect(results.get('extract')).toEqual({ stepName: 'extract', jobRunId: 'jr_x', executionTimeSeconds: 12 });
    expect([...(await store.results(EXEC_F, T)).keys()]).toEqual(['load']);
  });

  it('GIVEN results kept unconfirmed WHEN the poll plan counts the settled ones THEN a result counts once confirmed or once its limit passed, and reads back either way', async () => {
    // GIVEN three results whose success was reported, one confirmed by the state machine's answer
    const { store } = freshPipeline();
    const expires = Math.floor(T / 1000) + 3600;
    await store.keepResult(EXEC_E, 'extract', { stepName: 'extract' }, expires, T + 60_000);
    await store.keepResult(EXEC_E, 'clean', { stepName: 'clean' }, expires, T + 60_000);
    await store.keepResult(EXEC_E, 'load', { stepName: 'load' }, expires, T + 600_000);
    // WHEN / THEN none is settled yet; all three are there for the steps that wait for them
    expect(await store.settledResults(EXEC_E, T)).toBe(0);
    expect([...(await store.results(EXEC_E, T)).keys()].sort()).toEqual(['clean', 'extract', 'load']);
    // one confirmed
    await store.confirmResult(EXEC_E, 'extract');
    expect(await store.settledResults(EXEC_E, T)).toBe(1);
    // two, once clean's limit passed without a retried task
    expect(await store.settledResults(EXEC_E, T + 60_000)).toBe(2);
    // a confirmation of a result that is gone creates nothing
    await store.confirmResult(EXEC_E, 'never-kept');
    expect((await store.results(EXEC_E, T)).has('never-kept')).toBe(false);
  });

  it('GIVEN a kept result WHEN one step\'s result is read THEN it comes back until it expires; a step without one reads undefined', async () => {
    const { store } = freshPipeline();
    await store.keepResult(EXEC_E, 'extract', { stepName: 'extract', jobRunId: 'jr_x' }, Math.floor(T / 1000) + 60, T + 60_000);
    expect(await store.keptResult(EXEC_E, 'extract', T)).toEqual({ stepName: 'extract', jobRunId: 'jr_x' });
    expect(await store.keptResult(EXEC_E, 'extract', T + 60_000)).toBeUndefined();
    expect(await store.keptResult(EXEC_E, 'load', T)).toBeUndefined();
  });

  it('GIVEN a result kept WHEN it is read once its expiry passed (TTL deletes lag) THEN it is left out', async () => {
    // GIVEN
    const { store } = freshPipeline();
    await store.keepResult(EXEC_E, 'extract', { stepName: 'extract' }, Math.floor(T / 1000) + 60);
    // WHEN / THEN
    expect((await store.results(EXEC_E, T + 59_999)).size).toBe(1);
    expect((await store.results(EXEC_E, T + 60_000)).size).toBe(0);
  });

  it('GIVEN a result kept twice for one step (a retried report) WHEN read THEN the later write stands, once', async () => {
    // GIVEN
    const { store } = freshPipeline();
    await keep(store, EXEC_E, 'extract', { jobRunId: 'jr_1' });
    await keep(store, EXEC_E, 'extract', { jobRunId: 'jr_2' });
    // WHEN
    const results = await store.results(EXEC_E, T);
    // THEN
    expect([...results.entries()]).toEqual([['extract', { stepName: 'extract', jobRunId: 'jr_2' }]]);
  });

  it('GIVEN results of the same execution kept by two pipelines WHEN one reads them THEN it sees only its own', async () => {
    // GIVEN
    const a = freshPipeline().store;
    const b = freshPipeline().store;
    await keep(a, EXEC_E, 'extract');
    await keep(b, EXEC_E, 'load');
    // WHEN / THEN
    expect([...(await a.results(EXEC_E, T)).keys()]).toEqual(['extract']);
  });

  it('GIVEN results kept WHEN the pipeline pages through its task records THEN no result shows up among them', async () => {
    // GIVEN
    const { store, pipelineId } = freshPipeline();
    await keep(store, EXEC_E, 'extract');
    await store.recordIntent(waitingRecord(pipelineId, 1, ['extract']));
    // WHEN
    const all = await records(store);
    // THEN
    expect([...all.keys()]).toEqual([trackingSortKey('tok1')]);
  });

  it('GIVEN nothing kept WHEN read THEN the results are empty', async () => {
    expect((await freshPipeline().store.results(EXEC_E, T)).size).toBe(0);
  });
});

describe('startWhenReady on dynalite', () => {
  it.each<{ label: string; dependsOn: string[]; succeeded: string[]; expected: 'waiting' | 'started' }>([
    { label: 'no dependency has succeeded', dependsOn: ['extract', 'clean'], succeeded: [], expected: 'waiting' },
    { label: 'one of two dependencies has succeeded', dependsOn: ['extract', 'clean'], succeeded: ['extract'], expected: 'waiting' },
    { label: 'only unrelated steps have succeeded', dependsOn: ['extract'], succeeded: ['load'], expected: 'waiting' },
    { label: 'every dependency has succeeded', dependsOn: ['extract', 'clean'], succeeded: ['clean', 'extract'], expected: 'started' },
  ])('GIVEN a held step when $label WHEN looked at THEN it is $expected', async ({ dependsOn, succeeded, expected }) => {
    // GIVEN
    const { store, pipelineId } = freshPipeline();
    const held = waitingRecord(pipelineId, 1, dependsOn);
    await store.recordIntent(held);
    for (const step of succeeded) {
      await keep(store, EXEC_E, step);
    }
    // WHEN
    const outcome = await waiting.startWhenReady(contextOf(store), held);
    // THEN
    expect(outcome).toBe(expected);
    const now = (await records(store)).get(held.sk);
    if (expected === 'waiting') {
      expect(now).toMatchObject({ status: 'WAITING', leaseUntil: 0 });
      expect(glueMock).not.toHaveReceivedCommand(StartJobRunCommand);
      expect(sfnMock).not.toHaveReceivedCommand(SendTaskHeartbeatCommand);
    } else {
      expect(now).toMatchObject({ status: 'RUNNING', runId: 'jr_job1', leaseUntil: 0 });
      expect(sfnMock).toHaveReceivedCommandWith(SendTaskHeartbeatCommand, { taskToken: 'token-1' });
      expect(glueMock).toHaveReceivedCommandWith(StartJobRunCommand, { JobName: 'job1', Arguments: { '--day': '2025-03-01', [CORRELATION_ARGUMENT]: 'tok1' } });
    }
  });

  it('GIVEN the caller says which steps succeeded WHEN a held step is looked at THEN that is what decides, not the table', async () => {
    // GIVEN nothing kept in the table
    const { store, pipelineId } = freshPipeline();
    const held = waitingRecord(pipelineId, 1, ['extract']);
    await store.recordIntent(held);
    // WHEN
    const outcome = await waiting.startWhenReady(contextOf(store), held, new Map([['extract', { stepName: 'extract' }]]));
    // THEN
    expect(outcome).toBe('started');
  });

  it('GIVEN a held step whose dependencies succeeded WHEN two invocations take it up at once THEN only one starts it; the other finds it leased', async () => {
    // GIVEN
    const { store, pipelineId } = freshPipeline();
    const held = waitingRecord(pipelineId, 1, ['extract']);
    await store.recordIntent(held);
    await keep(store, EXEC_E, 'extract');
    // WHEN
    const outcomes = await Promise.all([
      waiting.startWhenReady(contextOf(store), held),
      waiting.startWhenReady(contextOf(storeFor(pipelineId), T + 1), held),
    ]);
    // THEN
    expect([...outcomes].sort()).toEqual(['leased', 'started']);
    expect(startedJobs()).toEqual(['job1']);
    expect((await records(store)).get(held.sk)).toMatchObject({ status: 'RUNNING', runId: 'jr_job1' });
  });

  it('GIVEN a held step whose task was closed while it waited (another branch failed) WHEN its dependencies succeeded THEN it is dropped, never started', async () => {
    // GIVEN
    const { store, pipelineId } = freshPipeline();
    const held = waitingRecord(pipelineId, 1, ['extract']);
    await store.recordIntent(held);
    await keep(store, EXEC_E, 'extract');
    sfnMock.on(SendTaskHeartbeatCommand).rejects(new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} }));
    // WHEN
    const outcome = await waiting.startWhenReady(contextOf(store), held);
    // THEN
    expect(outcome).toBe('closed');
    expect(glueMock).not.toHaveReceivedCommand(StartJobRunCommand);
    expect((await records(store)).has(held.sk)).toBe(false);
  });

  it('GIVEN a held step whose arguments refer to its dependency\'s result WHEN released THEN the run starts with the value kept for that step', async () => {
    // GIVEN
    const { store, pipelineId } = freshPipeline();
    const held = waitingRecord(pipelineId, 1, ['extract'], EXEC_E, { arguments: { '--upstream': 'run={{steps.extract.jobRunId}}' } } as Partial<StepTaskInput>);
    await store.recordIntent(held);
    await keep(store, EXEC_E, 'extract', { jobRunId: 'jr_extract' });
    // WHEN
    await waiting.startWhenReady(contextOf(store), held);
    // THEN
    expect(glueMock).toHaveReceivedCommandWith(StartJobRunCommand, { Arguments: { '--upstream': 'run=jr_extract', [CORRELATION_ARGUMENT]: 'tok1' } });
  });
});

describe('releaseDependents on dynalite', () => {
  it('GIVEN held steps of two executions WHEN a step of one succeeded THEN only that execution\'s held steps whose dependencies are all met start', async () => {
    // GIVEN
    const { store, pipelineId } = freshPipeline();
    const ready = waitingRecord(pipelineId, 1, ['extract']);
    const notYet = waitingRecord(pipelineId, 2, ['extract', 'clean']);
    const otherExecution = waitingRecord(pipelineId, 3, ['extract'], EXEC_F);
    const alsoReady = waitingRecord(pipelineId, 4, ['extract']);
    const running: TrackingRecord = { ...waitingRecord(pipelineId, 5, []), status: 'RUNNING', runId: 'jr_5' };
    for (const r of [ready, notYet, otherExecution, alsoReady, running]) {
      await store.recordIntent(r);
    }
    await keep(store, EXEC_E, 'extract');
    await keep(store, EXEC_F, 'extract');
    // WHEN
    const counts = await waiting.releaseDependents(contextOf(store), EXEC_E);
    // THEN
    expect(counts).toEqual({ started: 2, deferred: 0, failed: 0, succeeded: 0, waiting: 1, leased: 0, closed: 0 });
    expect(startedJobs().sort()).toEqual(['job1', 'job4']);
    const now = await records(store);
    expect(now.get(ready.sk)).toMatchObject({ status: 'RUNNING', runId: 'jr_job1' });
    expect(now.get(alsoReady.sk)).toMatchObject({ status: 'RUNNING', runId: 'jr_job4' });
    expect(now.get(notYet.sk)).toMatchObject({ status: 'WAITING', leaseUntil: 0 });
    expect(now.get(otherExecution.sk)).toMatchObject({ status: 'WAITING', leaseUntil: 0 });
    expect(now.get(running.sk)).toMatchObject({ status: 'RUNNING', runId: 'jr_5' });
  });

  it('GIVEN no held step of the execution WHEN a step succeeded THEN nothing starts and every count is zero', async () => {
    // GIVEN
    const { store, pipelineId } = freshPipeline();
    await store.recordIntent(waitingRecord(pipelineId, 1, ['extract'], EXEC_F));
    await keep(store, EXEC_F, 'extract');
    // WHEN
    const counts = await waiting.releaseDependents(contextOf(store), EXEC_E);
    // THEN
    expect(Object.values(counts).every((c) => c === 0)).toBe(true);
    expect(glueMock).not.toHaveReceivedCommand(StartJobRunCommand);
  });
});

describe('releaseDependents of a re-run, on dynalite', () => {
  const EARLIER = 'arn:aws:states:us-east-1:111122223333:execution:gop-test:earlier';
  const rerunFrom = { step: 'step9', execution: 'earlier' };
  const exited = (name: string, output: Record<string, unknown>) =>
    ({ type: 'TaskStateExited', stateExitedEventDetails: { name, output: JSON.stringify(output) } });

  it('GIVEN held steps 1 <- 2 <- 3 of a re-run from a later step, all recorded before their dependency was reused WHEN that dependency '
    + 'succeeds THEN each is reused in turn, round after round, in this one call: none waits for a next sweep', async () => {
    // GIVEN
    const { store, pipelineId } = freshPipeline();
    const held = [waitingRecord(pipelineId, 1, ['extract'], EXEC_E, { rerunFrom }), waitingRecord(pipelineId, 2, ['step1'], EXEC_E, { rerunFrom }),
      waitingRecord(pipelineId, 3, ['step2'], EXEC_E, { rerunFrom })];
    for (const r of held) {
      await store.recordIntent(r);
    }
    await keep(store, EXEC_E, 'extract', { jobRunId: 'jr_old_extract', reusedFrom: EARLIER });
    sfnMock.on(GetExecutionHistoryCommand).resolves({
      events: [
        { type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'step9' } } as never,
        ...[1, 2, 3].map((n) => exited(`step${n}`, { jobRunId: `jr_old_${n}`, stepName: `step${n}` })) as never[],
        { type: 'ExecutionSucceeded' } as never,
      ],
    });
    // WHEN
    const counts = await waiting.releaseDependents(contextOf(store), EXEC_E);
    // THEN
    expect(counts.succeeded).toBe(3);
    expect(glueMock).not.toHaveReceivedCommand(StartJobRunCommand);
    expect((await records(store)).size).toBe(0);
    const reported = sfnMock.commandCalls(SendTaskSuccessCommand).map((c) => JSON.parse(c.args[0].input.output!));
    expect(reported).toEqual([1, 2, 3].map((n) => ({ jobRunId: `jr_old_${n}`, stepName: `step${n}`, reusedFrom: EARLIER })));
    // one read of the earlier history for the whole call
    expect(sfnMock.commandCalls(GetExecutionHistoryCommand)).toHaveLength(1);
  });
});

describe('a re-run step whose history read or report fails, on dynalite', () => {
  const EARLIER = 'arn:aws:states:us-east-1:111122223333:execution:gop-test:earlier';
  const rerunFrom = { step: 'step9', execution: 'earlier' };
  const history = {
    events: [
      { type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'step9' } },
      { type: 'TaskStateExited', stateExitedEventDetails: { name: 'step1', output: JSON.stringify({ jobRunId: 'jr_old_1', stepName: 'step1' }) } },
      { type: 'ExecutionSucceeded' },
    ] as never[],
  };
  const sdkError = (name: string, status: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

  async function heldStep1() {
    const { store, pipelineId } = freshPipeline();
    const held = waitingRecord(pipelineId, 1, ['extract'], EXEC_E, { rerunFrom });
    await store.recordIntent(held);
    await keep(store, EXEC_E, 'extract', { reusedFrom: EARLIER });
    return { store, held };
  }

  it('GIVEN the history read is throttled WHEN the step is released THEN its start is deferred for a later try, and nothing is reported', async () => {
    // GIVEN
    const { store, held } = await heldStep1();
    sfnMock.on(GetExecutionHistoryCommand).rejectsOnce(sdkError('ThrottlingException', 400)).resolves(history);
    // WHEN
    const outcome = await waiting.startWhenReady(contextOf(store), held);
    // THEN
    expect(outcome).toBe('deferred');
    expect(sfnMock).not.toHaveReceivedCommand(SendTaskSuccessCommand);
    expect(sfnMock).not.toHaveReceivedCommand(SendTaskFailureCommand);
    const deferred = (await records(store)).get(held.sk)!;
    // not counted as a start attempt: a later refusal of the step's Glue start counts its own
    expect(deferred).toMatchObject({ status: 'STARTING', startAttempts: 0 });
    expect(deferred.nextStartAt).toBeGreaterThan(T);
  });

  it('GIVEN the history read is denied WHEN the step is released THEN it fails with Pipeline.InvalidInput naming the permission, and its record is gone', async () => {
    // GIVEN
    const { store, held } = await heldStep1();
    sfnMock.on(GetExecutionHistoryCommand).rejects(sdkError('AccessDeniedException', 400));
    // WHEN
    const outcome = await waiting.startWhenReady(contextOf(store), held);
    // THEN
    expect(outcome).toBe('failed');
    const failure = sfnMock.commandCalls(SendTaskFailureCommand)[0].args[0].input;
    expect(failure.error).toBe('Pipeline.InvalidInput');
    expect(failure.cause).toMatch(/the runner may not read the history of execution .*earlier \(AccessDeniedException.*states:GetExecutionHistory/);
    expect((await records(store)).size).toBe(0);
  });

  it('GIVEN a re-run step whose Glue start was tried already (refused for now) WHEN its start is resumed THEN it is not decided again: '
    + 'no history read, whatever the earlier execution has become, and its job starts', async () => {
    // GIVEN
    const { store, pipelineId } = freshPipeline();
    const resumed: TrackingRecord = { ...waitingRecord(pipelineId, 1, [], EXEC_E, { rerunFrom }), status: 'STARTING', startAttempts: 1, leaseUntil: T + 600_000 };
    await store.recordIntent(resumed);
    sfnMock.on(GetExecutionHistoryCommand).rejects(sdkError('AccessDeniedException', 400));
    // WHEN
    const outcome = await startAttempt.attemptStart(contextOf(store), resumed);
    // THEN
    expect(outcome).toBe('started');
    expect(sfnMock).not.toHaveReceivedCommand(GetExecutionHistoryCommand);
    expect(startedJobs()).toEqual(['job1']);
  });

  it('GIVEN the task was closed already (this attempt reported it before a crash) WHEN the step is reused again THEN it counts as succeeded, its result kept', async () => {
    // GIVEN
    const { store, held } = await heldStep1();
    sfnMock.on(GetExecutionHistoryCommand).resolves(history);
    sfnMock.on(SendTaskSuccessCommand).rejects(Object.assign(new TaskTimedOut({ message: 'closed', $metadata: {} })));
    // WHEN
    const outcome = await waiting.startWhenReady(contextOf(store), held);
    // THEN
    expect(outcome).toBe('succeeded');
    expect((await records(store)).size).toBe(0);
    expect(await store.keptResult(EXEC_E, 'step1', T)).toEqual({ jobRunId: 'jr_old_1', stepName: 'step1', reusedFrom: EARLIER });
  });
});

describe('start phase with a graph, on dynalite', () => {
  /** The activity hands out these tasks, then has nothing pending. */
  function givenTasks(...tasks: Array<{ token: string; input: Record<string, unknown> }>) {
    let stub = sfnMock.on(GetActivityTaskCommand);
    for (const t of tasks) {
      stub = stub.resolvesOnce({ taskToken: t.token, input: JSON.stringify(t.input) });
    }
    stub.resolves({});
  }
  const skOf = (token: string) => trackingSortKey(hashToken(token));
  const expecting = (executionId: string, count: number): PollPlan => new Map([[executionId, count]]);

  it('GIVEN a graph task whose dependencies have not succeeded WHEN taken THEN it is recorded WAITING with no lease and not started', async () => {
    // GIVEN
    const { store } = freshPipeline();
    givenTasks({ token: 'tt-load', input: taskInput({ stepName: 'load', jobName: 'load-job', executionId: EXEC_E, dependsOn: ['extract'] }) });
    // WHEN
    const summary = await startPhase.runStartPhase(contextOf(store), 'worker-1', expecting(EXEC_E, 1));
    // THEN
    expect(summary).toMatchObject({ polled: 1, started: 0, waiting: 1, failed: 0, skipped: 0 });
    expect((await records(store)).get(skOf('tt-load'))).toMatchObject({
      status: 'WAITING', leaseUntil: 0, stepName: 'load', resourceName: 'load-job', executionId: EXEC_E, input: { dependsOn: ['extract'] },
    });
    expect(glueMock).not.toHaveReceivedCommand(StartJobRunCommand);
    expect(sfnMock).toHaveReceivedCommandTimes(GetActivityTaskCommand, 1);
  });

  it('GIVEN a graph task whose dependencies already succeeded WHEN taken THEN it is started at once', async () => {
    // GIVEN
    const { store } = freshPipeline();
    await keep(store, EXEC_E, 'extract');
    givenTasks({ token: 'tt-load', input: taskInput({ stepName: 'load', jobName: 'load-job', executionId: EXEC_E, dependsOn: ['extract'] }) });
    // WHEN
    const summary = await startPhase.runStartPhase(contextOf(store), 'worker-1', expecting(EXEC_E, 1));
    // THEN
    expect(summary).toMatchObject({ polled: 1, started: 1, waiting: 0 });
    expect((await records(store)).get(skOf('tt-load'))).toMatchObject({ status: 'RUNNING', runId: 'jr_load-job' });
  });

  it('GIVEN a graph task with no dependencies WHEN taken THEN it starts like a sequence step, without waiting', async () => {
    // GIVEN
    const { store } = freshPipeline();
    givenTasks({ token: 'tt-extract', input: taskInput({ stepName: 'extract', jobName: 'extract-job', executionId: EXEC_E, dependsOn: [] }) });
    // WHEN
    const summary = await startPhase.runStartPhase(contextOf(store), 'worker-1', expecting(EXEC_E, 1));
    // THEN
    expect(summary).toMatchObject({ started: 1, waiting: 0 });
    expect(startedJobs()).toEqual(['extract-job']);
  });

  it('GIVEN a sequence whose step is a trigger WHEN its task is taken THEN the step is reported succeeded in the start phase and the next step\'s task is then expected and started', async () => {
    // GIVEN
    const { store } = freshPipeline();
    givenTasks(
      { token: 'tt-fire', input: { ...triggerInput('fire', { executionId: EXEC_E }) } },
      { token: 'tt-load', input: taskInput({ stepName: 'load', jobName: 'load-job', executionId: EXEC_E, final: true }) },
    );
    // WHEN one task of the execution was expected
    const summary = await startPhase.runStartPhase(contextOf(store), 'worker-1', expecting(EXEC_E, 1));
    // THEN
    expect(glueMock).toHaveReceivedCommandWith(StartTriggerCommand, { Name: 'triggerfire' });
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
    const success = sfnMock.commandCalls(SendTaskSuccessCommand)[0].args[0].input;
    expect(success.taskToken).toBe('tt-fire');
    expect(JSON.parse(success.output!)).toEqual({ stepName: 'stepfire', triggerName: 'triggerfire', state: 'SUCCEEDED', startedOn: NOW.toISOString() });
    expect(sfnMock).toHaveReceivedCommandTimes(GetActivityTaskCommand, 2);
    expect(startedJobs()).toEqual(['load-job']);
    expect(summary).toMatchObject({ polled: 2, succeeded: 1, started: 1, failed: 0 });
    const now = await records(store);
    expect(now.has(skOf('tt-fire'))).toBe(false);
    expect(now.get(skOf('tt-load'))).toMatchObject({ status: 'RUNNING' });
  });

  it('GIVEN a sequence whose last step is a trigger WHEN its task is taken THEN it succeeds and no further task is polled for', async () => {
    // GIVEN
    const { store } = freshPipeline();
    givenTasks({ token: 'tt-fire', input: { ...triggerInput('fire', { executionId: EXEC_E, final: true }) } });
    // WHEN
    const summary = await startPhase.runStartPhase(contextOf(store), 'worker-1', expecting(EXEC_E, 1));
    // THEN
    expect(summary).toMatchObject({ polled: 1, succeeded: 1 });
    expect(sfnMock).toHaveReceivedCommandTimes(GetActivityTaskCommand, 1);
  });

  it('GIVEN a graph trigger whose dependent is held WHEN the trigger is taken THEN it succeeds, its result is kept, and the held step starts in the same phase', async () => {
    // GIVEN
    const { store, pipelineId } = freshPipeline();
    const held = waitingRecord(pipelineId, 1, ['stepfire']);
    await store.recordIntent(held);
    givenTasks({ token: 'tt-fire', input: { ...triggerInput('fire', { executionId: EXEC_E, dependsOn: [] }) } });
    // WHEN
    const summary = await startPhase.runStartPhase(contextOf(store), 'worker-1', expecting(EXEC_E, 1));
    // THEN
    expect(summary).toMatchObject({ polled: 1, succeeded: 1, started: 1 });
    expect([...(await store.results(EXEC_E, T)).keys()]).toEqual(['stepfire']);
    expect((await records(store)).get(held.sk)).toMatchObject({ status: 'RUNNING', runId: 'jr_job1' });
    // a graph hands out every task at once: no successor is polled for
    expect(sfnMock).toHaveReceivedCommandTimes(GetActivityTaskCommand, 1);
  });
});
