import { GetExecutionHistoryCommand, HistoryEvent, RedriveExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { Duration } from 'aws-cdk-lib';
import { expectNothingLostOrDuplicated, jobOf, scriptedRun, simulationPerTest, startsOf } from './e2e-fixture';
import { Simulation } from '../../simulator/simulation';
import { GlueJob, PipelineStep } from '../../src';

jest.setTimeout(180_000);

const DAY = 24 * 3600;

const run = scriptedRun;


/** The real SDK client, on the simulation's local Step Functions endpoint. */
const sfnOf = (sim: Simulation) => new SFNClient({
  region: 'us-east-1',
  endpoint: sim.proxies.get('sfn')!.url,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  maxAttempts: 1,
});

/** Every event of the execution's history, read 5 a page through GetExecutionHistoryCommand. */
async function historyOf(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 5, nextToken }));
    events.push(...page.events!);
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

describe('a sequence extract -> transform -> load redriven after transform failed', () => {
  const STEPS = ['extract', 'transform', 'load'];
  const { start } = simulationPerTest();

  test('GIVEN transform\'s run FAILED and the job is fixed WHEN the execution is redriven with RedriveExecutionCommand THEN '
    + 'extract is not rerun, transform and load run once each, and the same execution SUCCEEDED', async () => {
    // GIVEN
    const sim = await start({ jobs: { 'transform-job': run(60, 'FAILED', run(60)) } });
    const failed = await sim.run({ input: { day: '2026-11-30' }, maxSeconds: 3600 });
    expect(failed.status).toBe('FAILED');
    expect(startsOf(sim, STEPS)).toEqual([1, 1, 0]);
    const tasksBefore = sim.activity.tasks.length;

    // WHEN
    const answer = await sfnOf(sim).send(new RedriveExecutionCommand({ executionArn: failed.executionArn }));
    await sim.advance(3600);

    // THEN
    expect(answer.redriveDate).toBeInstanceOf(Date);
    const report = sim.executions.find((e) => e.executionArn === failed.executionArn)!;
    expect(sim.executions).toHaveLength(1);
    expect(report.status).toBe('SUCCEEDED');
    expect(report.redriveCount).toBe(1);
    expect(startsOf(sim, STEPS)).toEqual([1, 2, 1]);
    // Only the failed state and the one after it were handed out again.
    expect(sim.activity.tasks.slice(tasksBefore).map((t) => t.stateName)).toEqual(['transform', 'load']);
    // extract's result is its first run's, as Step Functions keeps it
    const results = (report.output as { results: Record<string, { jobRunId: string }> }).results;
    expect(results.extract.jobRunId).toBe(sim.glue.runs.find((r) => r.jobName === 'extract-job')!.id);
    // The history GetExecutionHistory answers: the failure, the redrive, and extract entered once, its output in its exit
    const task = (events: HistoryEvent[]) => events.filter((e) => /^(Execution|TaskState)/.test(e.type ?? ''))
      .map((e) => [e.type, e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name].filter(Boolean).join(' '));
    const history = await historyOf(sfnOf(sim), failed.executionArn);
    expect(task(history)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered extract', 'TaskStateExited extract',
      'TaskStateEntered transform',
      'ExecutionFailed',
      'ExecutionRedriven',
      'TaskStateEntered transform', 'TaskStateExited transform',
      'TaskStateEntered load', 'TaskStateExited load',
      'ExecutionSucceeded',
    ]);
    const extractExit = history.find((e) => e.type === 'TaskStateExited' && e.stateExitedEventDetails?.name === 'extract')!;
    expect(JSON.parse(extractExit.stateExitedEventDetails!.output!).results.extract).toEqual(results.extract);
    await expectNothingLostOrDuplicated(sim);
  });

  test('GIVEN transform fails again in the redrive WHEN the team is told THEN the event and mail name the redrive, so its attempt 1 '
    + 'is not taken for the first run\'s', async () => {
    // GIVEN
    const sim = await start({ jobs: { 'transform-job': run(60, 'FAILED') } });
    const failed = await sim.run({ maxSeconds: 3600 });
    // WHEN
    const again = await sim.redrive(failed.executionArn, { maxSeconds: 3600 });
    // THEN
    expect(again.status).toBe('FAILED');
    const details = sim.pipelineEvents.map((e) => e.detail as { step: string; attempt: number; redriveCount: number; runId: string });
    expect(details.map((d) => [d.step, d.attempt, d.redriveCount])).toEqual([['transform', 0, 0], ['transform', 0, 1]]);
    expect(details[0].runId).not.toBe(details[1].runId);
    const subjects = (await sim.emails()).map((m) => m.subject);
    expect(subjects).toEqual([
      expect.stringMatching(/step transform failed: Glue.JobFailed \(attempt 1, not retried\)$/),
      expect.stringMatching(/step transform failed: Glue.JobFailed \(redrive 1, attempt 1, not retried\)$/),
    ]);
    await expectNothingLostOrDuplicated(sim);
  });

  test('GIVEN the runner dies after the redriven transform\'s StartJobRun, before it recorded the run WHEN a later cycle resumes THEN '
    + 'it finds that run (the redrive\'s, not the failed first run) and starts no other', async () => {
    // GIVEN
    const sim = await start({ jobs: { 'transform-job': run(60, 'FAILED', run(60)) } });
    const failed = await sim.run({ maxSeconds: 3600 });
    sim.faults.push({ service: 'glue', op: 'StartJobRun', action: { kind: 'kill-caller-after' } });
    // WHEN
    const report = await sim.redrive(failed.executionArn, { maxSeconds: 3600 });
    // THEN
    expect(sim.proxies.get('glue')!.hits).toHaveLength(1);
    expect(sim.runners.invocations.filter((i) => i.crashed)).toHaveLength(1);
    expect(report.status).toBe('SUCCEEDED');
    expect(startsOf(sim, STEPS)).toEqual([1, 2, 1]);
    const transformRuns = sim.glue.runs.filter((r) => r.jobName === 'transform-job');
    const results = (report.output as { results: Record<string, { jobRunId: string }> }).results;
    expect(results.transform.jobRunId).toBe(transformRuns[1].id);
    await expectNothingLostOrDuplicated(sim);
  });
});

describe('a diamond a -> (b, c) -> d redriven after c failed', () => {
  const STEPS = ['a', 'b', 'c', 'd'];
  // One-hour run timeouts: the longest the execution can last is hours, not the days of Glue's
  // default timeout, so results kept only for that long would be gone 13 days later.
  const job = (name: string, dependsOn: string[]) =>
    PipelineStep.glueJob({ stepName: name, job: GlueJob.fromName(jobOf(name)), dependsOn, timeout: Duration.hours(1) });
  const { start } = simulationPerTest({ steps: [job('a', []), job('b', ['a']), job('c', ['a']), job('d', ['b', 'c'])] });
  // b ends before c fails, so only c's branch failed and d's (held) was aborted with it.
  const jobs = { 'a-job': run(60), 'b-job': run(60), 'c-job': run(300, 'FAILED', run(60)), 'd-job': run(60) };

  async function failedOnce(sim: Simulation) {
    const failed = await sim.run({ maxSeconds: 3600 });
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toBe('Glue.JobFailed');
    expect(startsOf(sim, STEPS)).toEqual([1, 1, 1, 0]);
    return failed;
  }

  test('GIVEN c failed WHEN the execution is redriven at once THEN c and d run once each, a and b are not rerun, and it SUCCEEDED', async () => {
    // GIVEN
    const sim = await start({ jobs });
    const failed = await failedOnce(sim);
    // WHEN
    const report = await sim.redrive(failed.executionArn, { maxSeconds: 3600 });
    // THEN
    expect(report.status).toBe('SUCCEEDED');
    expect(report.executionArn).toBe(failed.executionArn);
    expect(startsOf(sim, STEPS)).toEqual([1, 1, 2, 1]);
    await expectNothingLostOrDuplicated(sim);
  });

  test('GIVEN c failed 13 days ago WHEN the execution is redriven THEN d still finds b\'s result, and it SUCCEEDED', async () => {
    // GIVEN
    const sim = await start({ jobs });
    const failed = await failedOnce(sim);
    await sim.idle(13 * DAY);
    // WHEN
    const report = await sim.redrive(failed.executionArn, { maxSeconds: 3600 });
    // THEN
    expect(report.status).toBe('SUCCEEDED');
    expect(startsOf(sim, STEPS)).toEqual([1, 1, 2, 1]);
    await expectNothingLostOrDuplicated(sim);
  });

  test('GIVEN c failed, was redriven 13 days later and failed again WHEN the execution is redriven 13 days after that THEN '
    + 'd still finds b\'s result (each redrive keeps the results longer), and it SUCCEEDED', async () => {
    // GIVEN c fails twice, then is fixed
    const sim = await start({ jobs: { ...jobs, 'c-job': run(300, 'FAILED', run(300, 'FAILED', run(60))) } });
    const failed = await failedOnce(sim);
    await sim.idle(13 * DAY);
    expect((await sim.redrive(failed.executionArn, { maxSeconds: 3600 })).status).toBe('FAILED');
    await sim.idle(13 * DAY);
    // WHEN
    const report = await sim.redrive(failed.executionArn, { maxSeconds: 3600 });
    // THEN
    expect(report.status).toBe('SUCCEEDED');
    expect(report.redriveCount).toBe(2);
    expect(startsOf(sim, STEPS)).toEqual([1, 1, 3, 1]);
    await expectNothingLostOrDuplicated(sim);
  });

  test('GIVEN c failed 15 days ago WHEN the execution is redriven THEN Step Functions refuses: ExecutionNotRedrivable, nothing reruns', async () => {
    // GIVEN
    const sim = await start({ jobs });
    const failed = await failedOnce(sim);
    await sim.idle(15 * DAY);
    // WHEN
    const refusal = await sfnOf(sim).send(new RedriveExecutionCommand({ executionArn: failed.executionArn })).catch((err: Error) => err);
    // THEN
    expect(refusal).toMatchObject({ name: 'ExecutionNotRedrivable', message: expect.stringMatching(/redrivable period exceeded/) });
    expect(sim.executions[0].status).toBe('FAILED');
    await sim.advance(600);
    expect(startsOf(sim, STEPS)).toEqual([1, 1, 1, 0]);
  });
});
