import { GetJobRunCommand, JobRun, StartJobRunCommand } from '@aws-sdk/client-glue';
import { SendEmailCommand } from '@aws-sdk/client-ses';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { captureLogs, ddbMock, glueMock, metricLines, resetAwsMocks, sesMock } from './aws-mocks';
import { testContext } from './context';
import { NOW, PIPELINE_ID, record, startingRecord, stepInput } from './fixtures';
import { runCheckPhase } from '../../src/lambda/phases/check-phase';
import { runnerError, transitionSeconds } from '../../src/lambda/phases/metric-facts';
import { attemptStart } from '../../src/lambda/phases/start-attempt';
import { FAILED_DIMENSION_SETS, METRICS_NAMESPACE, PIPELINE_DIMENSION_SETS, STEP_DIMENSION_SETS } from '../../src/shared/operations';

// The record was created a minute before NOW (fixtures.record): the step took 60 s.
const STEP_DIMENSIONS = { Pipeline: PIPELINE_ID, Step: 'step1', Kind: 'glue-job' };
const AT = (seconds: number) => new Date(NOW.getTime() - 60_000 + seconds * 1000);

let spies: ReturnType<typeof captureLogs>;
beforeEach(() => {
  resetAwsMocks();
  spies = captureLogs();
  ddbMock.on(QueryCommand).resolves({ Items: [record(1)] });
});
afterEach(() => jest.restoreAllMocks());

function givenRun(run: Partial<JobRun>) {
  glueMock.on(GetJobRunCommand, { RunId: 'jr_1' }).resolves({ JobRun: { Id: 'jr_1', ...run } });
}

describe('the runner\'s metrics: one EMF line per fact, on stdout', () => {
  it('GIVEN a job run that SUCCEEDED WHEN checked THEN one line: StepSucceeded, its duration, attempts, capacity wait and estimated DPU-seconds', async () => {
    givenRun({ JobRunState: 'SUCCEEDED', Attempt: 0, StartedOn: AT(5), CompletedOn: AT(55), ExecutionTime: 40, MaxCapacity: 10 });
    await runCheckPhase(testContext());
    expect(metricLines(spies)).toEqual([{
      _aws: {
        Timestamp: NOW.getTime(),
        CloudWatchMetrics: [{
          Namespace: METRICS_NAMESPACE,
          Dimensions: STEP_DIMENSION_SETS,
          Metrics: [
            { Name: 'StepSucceeded', Unit: 'Count' }, { Name: 'StepDuration', Unit: 'Seconds' }, { Name: 'StepAttempts', Unit: 'Count' },
            { Name: 'StepCapacityWait', Unit: 'Seconds' }, { Name: 'StepDpuSecondsEstimated', Unit: 'None' },
          ],
        }],
      },
      ...STEP_DIMENSIONS,
      StepSucceeded: 1,
      StepDuration: 60,
      StepAttempts: 1,
      StepCapacityWait: 10,
      StepDpuSecondsEstimated: 400,
    }]);
  });

  it('GIVEN a job run that FAILED WHEN checked THEN one line: StepFailed with its error name, per error name too, and its duration', async () => {
    givenRun({ JobRunState: 'FAILED', Attempt: 0, StartedOn: AT(5), CompletedOn: AT(20), ExecutionTime: 10, DPUSeconds: 25 });
    await runCheckPhase(testContext());
    const [line, ...others] = metricLines(spies);
    expect(others).toEqual([]);
    expect(line).toMatchObject({ ...STEP_DIMENSIONS, ErrorName: 'Glue.JobFailed', StepFailed: 1, StepDuration: 60, StepAttempts: 1, StepCapacityWait: 5, StepDpuSeconds: 25 });
    expect(line._aws.CloudWatchMetrics).toEqual([
      { Namespace: METRICS_NAMESPACE, Dimensions: FAILED_DIMENSION_SETS, Metrics: [{ Name: 'StepFailed', Unit: 'Count' }] },
      expect.objectContaining({ Dimensions: STEP_DIMENSION_SETS }),
    ]);
  });

  it('GIVEN the second attempt of a run Glue retried, SUCCEEDED WHEN checked THEN StepAttempts is 2', async () => {
    givenRun({ JobRunState: 'SUCCEEDED', Attempt: 1, PreviousRunId: 'jr_0', StartedOn: AT(30), CompletedOn: AT(50), ExecutionTime: 20, WorkerType: 'G.1X', NumberOfWorkers: 2 });
    await runCheckPhase(testContext());
    const expected = { StepSucceeded: 1, StepAttempts: 2, StepCapacityWait: 0, StepDpuSecondsEstimated: 40 };
    expect(metricLines(spies)).toEqual([expect.objectContaining(expected)]);
  });

  it('GIVEN a record whose check fails WHEN checked THEN RunnerErrors 1, per pipeline, with the error\'s message', async () => {
    glueMock.on(GetJobRunCommand).rejects(new Error('socket hang up'));
    await runCheckPhase(testContext());
    expect(metricLines(spies)).toEqual([{
      _aws: { Timestamp: NOW.getTime(), CloudWatchMetrics: [{ Namespace: METRICS_NAMESPACE, Dimensions: PIPELINE_DIMENSION_SETS, Metrics: [{ Name: 'RunnerErrors', Unit: 'Count' }] }] },
      Pipeline: PIPELINE_ID,
      RunnerErrors: 1,
      message: 'check failed; retried next cycle',
    }]);
  });

  it('GIVEN failure mail SES refuses WHEN a failed run is reported THEN NotificationFailures 1 beside the StepFailed line', async () => {
    givenRun({ JobRunState: 'FAILED', Attempt: 0 });
    sesMock.on(SendEmailCommand).rejects(Object.assign(new Error('Daily message quota exceeded'), { name: 'Throttling' }));
    await runCheckPhase(testContext());
    const lines = metricLines(spies);
    expect(lines.map((l) => l._aws.CloudWatchMetrics.flatMap((d: { Metrics: { Name: string }[] }) => d.Metrics.map((m) => m.Name)))).toEqual([['NotificationFailures'], ['StepFailed', 'StepDuration', 'StepAttempts']]);
    expect(lines[0]).toMatchObject({ Pipeline: PIPELINE_ID, NotificationFailures: 1, channel: 'mail', stepName: 'step1' });
    expect(lines[0]._aws.CloudWatchMetrics[0].Dimensions).toEqual(PIPELINE_DIMENSION_SETS);
  });
});

describe('a step\'s start: its latencies', () => {
  beforeEach(() => {
    glueMock.on(StartJobRunCommand).resolves({ JobRunId: 'jr_new' });
  });

  it('GIVEN a step that waits for no dependency WHEN its run starts THEN StepStartLatency: seconds since its task was recorded', async () => {
    await attemptStart(testContext(), startingRecord(1));
    expect(metricLines(spies)).toEqual([expect.objectContaining({ ...STEP_DIMENSIONS, StepStartLatency: 60 })]);
    expect(metricLines(spies)[0]).not.toHaveProperty('StepTransitionLatency');
  });

  it('GIVEN a graph step whose dependency\'s kept result ended 90 s ago WHEN its run starts THEN StepTransitionLatency 90 (and no StepStartLatency)', async () => {
    const held = startingRecord(1, { input: stepInput(1, { dependsOn: ['extract'] }) });
    await attemptStart(testContext(), held, new Map([['extract', { stepName: 'extract', completedOn: new Date(NOW.getTime() - 90_000).toISOString() }]]));
    const [line] = metricLines(spies);
    expect(line).toMatchObject({ StepTransitionLatency: 90 });
    expect(line).not.toHaveProperty('StepStartLatency');
  });
});

describe('transitionSeconds: from the end of the last dependency to the start', () => {
  const now = Date.parse('2025-03-01T12:00:00.000Z');
  const ended = (secondsAgo: number) => ({ completedOn: new Date(now - secondsAgo * 1000).toISOString() });
  it.each<[string, string[], Record<string, Record<string, unknown>>, number | undefined]>([
    ['one dependency', ['a'], { a: ended(30) }, 30],
    ['the last of several to end', ['a', 'b'], { a: ended(300), b: ended(12) }, 12],
    ['a dependency whose result has no completedOn (a trigger\'s firing)', ['a', 'b'], { a: ended(30), b: { startedOn: 'x' } }, undefined],
    ['a dependency with no kept result', ['a'], {}, undefined],
    ['no dependencies', [], {}, undefined],
    ['a completedOn after the start (clocks apart): 0', ['a'], { a: ended(-5) }, 0],
    ['a dependency a re-run reused (its completedOn is the earlier execution\'s) is left out', ['a', 'b'],
      { a: ended(30), b: { ...ended(86_400), reusedFrom: 'arn:aws:states:us-east-1:111122223333:execution:sm:earlier' } }, 30],
    ['every dependency reused', ['b'], { b: { ...ended(86_400), reusedFrom: 'arn:aws:states:us-east-1:111122223333:execution:sm:earlier' } }, undefined],
  ])('%s', (_, dependsOn, results, expected) => {
    expect(transitionSeconds(now, dependsOn, new Map(Object.entries(results)))).toBe(expected);
  });
});

describe('a metric line the format refuses', () => {
  it('GIVEN a fact whose pipeline dimension has no value WHEN written THEN nothing throws: the line is dropped with a warning', () => {
    // GIVEN a context whose pipeline id is missing (the format requires every dimension's value)
    const base = testContext();
    const ctx = { ...base, config: { ...base.config, pipelineId: undefined as unknown as string } };
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const logged = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    // WHEN / THEN
    expect(() => runnerError(ctx, 'check failed; retried next cycle')).not.toThrow();
    const lines = [...warn.mock.calls, ...logged.mock.calls].map((c) => String(c[0]));
    expect(lines.some((l) => l.includes('metric line not written'))).toBe(true);
  });
});
