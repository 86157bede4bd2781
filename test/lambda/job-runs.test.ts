import { BatchStopJobRunCommand, GetJobRunsCommand, GetJobRunsCommandInput, StartJobRunCommand } from '@aws-sdk/client-glue';
import { glueMock, pagesInOrder, resetAwsMocks } from './aws-mocks';
import { NOW, stepInput } from './fixtures';
import { findRunOfTask, findRunStartedBy, startJobRun, stopJobRun } from '../../src/lambda/kinds/glue-job/job-runs';
import { CORRELATION_ARGUMENT } from '../../src/shared/contract';

const tagged = (id: string, tokenId: string, startedOn?: Date) => ({ Id: id, StartedOn: startedOn, Arguments: { [CORRELATION_ARGUMENT]: tokenId } });
const NOT_BEFORE = new Date(NOW.getTime() - 360_000);

beforeEach(() => resetAwsMocks());

describe('startJobRun', () => {
  it('GIVEN a step that declares the correlation argument itself WHEN started THEN the task\'s own token id wins, so recovery cannot find the wrong run', async () => {
    // GIVEN
    glueMock.on(StartJobRunCommand).resolves({ JobRunId: 'jr_1' });
    const input = stepInput(1, { arguments: { '--day': 'x', [CORRELATION_ARGUMENT]: 'someone-else' } });
    // WHEN
    await expect(startJobRun(input, 'tok1')).resolves.toBe('jr_1');
    // THEN
    expect(glueMock).toHaveReceivedCommandWith(StartJobRunCommand, { Arguments: { '--day': 'x', [CORRELATION_ARGUMENT]: 'tok1' } });
  });
});

describe('findRunOfTask', () => {
  it('GIVEN the run is on the third page WHEN looked up THEN every page is followed with its NextToken until the run is found', async () => {
    // GIVEN
    const pages = pagesInOrder<GetJobRunsCommandInput>([
      { JobRuns: [tagged('a', 'other', NOW)], NextToken: 'p2' },
      { JobRuns: [{ Id: 'no-args', StartedOn: NOW }], NextToken: 'p3' },
      { JobRuns: [tagged('mine', 'tok1', NOW)], NextToken: 'p4' },
    ]);
    glueMock.on(GetJobRunsCommand).callsFake(pages.answer);
    // WHEN
    const run = await findRunOfTask('job1', 'tok1', NOT_BEFORE);
    // THEN
    expect(run?.Id).toBe('mine');
    expect(pages.sent.map((i) => i.NextToken)).toEqual([undefined, 'p2', 'p3']);
  });

  it('GIVEN no run carries the token id and the pages run out WHEN looked up THEN nothing is found', async () => {
    // GIVEN
    glueMock.on(GetJobRunsCommand).resolvesOnce({ JobRuns: [tagged('a', 'other', NOW)], NextToken: 'p2' }).resolvesOnce({});
    // WHEN / THEN
    await expect(findRunOfTask('job1', 'tok1', NOT_BEFORE)).resolves.toBeUndefined();
    expect(glueMock).toHaveReceivedCommandTimes(GetJobRunsCommand, 2);
  });

  it('GIVEN a run older than the bound WHEN looked up THEN the search stops there, even with more pages and a matching run behind it', async () => {
    // GIVEN
    glueMock.on(GetJobRunsCommand).resolves({
      JobRuns: [tagged('new', 'other', NOW), tagged('old', 'other', new Date(NOT_BEFORE.getTime() - 1)), tagged('older', 'tok1', new Date(0))],
      NextToken: 'p2',
    });
    // WHEN / THEN
    await expect(findRunOfTask('job1', 'tok1', NOT_BEFORE)).resolves.toBeUndefined();
    expect(glueMock).toHaveReceivedCommandTimes(GetJobRunsCommand, 1);
  });
});

describe('findRunStartedBy', () => {
  /** The latest a run of the firing looked for may have started. */
  const LATEST = new Date(NOW.getTime() + 60_000);
  const fired = (id: string, triggerName: string | undefined, startedOn?: Date) => ({ Id: id, StartedOn: startedOn, TriggerName: triggerName });

  it('GIVEN the trigger\'s run is on the second page WHEN looked up THEN the pages are followed with their NextToken until it is found', async () => {
    // GIVEN
    const pages = pagesInOrder<GetJobRunsCommandInput>([
      { JobRuns: [fired('a', 'other', NOW), fired('b', undefined, NOW)], NextToken: 'p2' },
      { JobRuns: [fired('mine', 'trigger1', NOW)], NextToken: 'p3' },
    ]);
    glueMock.on(GetJobRunsCommand).callsFake(pages.answer);
    // WHEN
    const run = await findRunStartedBy('job1', 'trigger1', NOT_BEFORE, LATEST);
    // THEN
    expect(run?.Id).toBe('mine');
    expect(pages.sent.map((i) => i.NextToken)).toEqual([undefined, 'p2']);
  });

  it('GIVEN a run of the trigger older than the bound WHEN looked up THEN it is not taken and the search stops there', async () => {
    // GIVEN
    glueMock.on(GetJobRunsCommand).resolves({
      JobRuns: [fired('new', 'other', NOW), fired('old', 'trigger1', new Date(NOT_BEFORE.getTime() - 1))],
      NextToken: 'p2',
    });
    // WHEN / THEN
    await expect(findRunStartedBy('job1', 'trigger1', NOT_BEFORE, LATEST)).resolves.toBeUndefined();
    expect(glueMock).toHaveReceivedCommandTimes(GetJobRunsCommand, 1);
  });

  it('GIVEN a run of the trigger started exactly at the bound WHEN looked up THEN it is found', async () => {
    // GIVEN
    glueMock.on(GetJobRunsCommand).resolves({ JobRuns: [fired('edge', 'trigger1', NOT_BEFORE)] });
    // WHEN / THEN
    await expect(findRunStartedBy('job1', 'trigger1', NOT_BEFORE, LATEST)).resolves.toMatchObject({ Id: 'edge' });
  });

  it('GIVEN a later firing of the same trigger listed first WHEN looked up THEN it is passed over and the firing in the window found', async () => {
    // GIVEN a run of a firing two minutes later (another execution's), newest first, then ours
    glueMock.on(GetJobRunsCommand).resolves({
      JobRuns: [fired('later', 'trigger1', new Date(LATEST.getTime() + 60_000)), fired('mine', 'trigger1', NOW)],
    });
    // WHEN / THEN
    await expect(findRunStartedBy('job1', 'trigger1', NOT_BEFORE, LATEST)).resolves.toMatchObject({ Id: 'mine' });
  });

  it('GIVEN no run names the trigger and the pages run out WHEN looked up THEN nothing is found', async () => {
    // GIVEN
    glueMock.on(GetJobRunsCommand).resolvesOnce({ JobRuns: [fired('a', 'other', NOW)], NextToken: 'p2' }).resolvesOnce({});
    // WHEN / THEN
    await expect(findRunStartedBy('job1', 'trigger1', NOT_BEFORE, LATEST)).resolves.toBeUndefined();
    expect(glueMock).toHaveReceivedCommandTimes(GetJobRunsCommand, 2);
  });
});

describe('stopJobRun', () => {
  it('GIVEN BatchStopJobRun reports an error only for another run WHEN stopping this one THEN it counts as stopped', async () => {
    // GIVEN
    glueMock.on(BatchStopJobRunCommand).resolves({ Errors: [{ JobRunId: 'jr_other', ErrorDetail: { ErrorCode: 'x' } }] });
    // WHEN / THEN
    await expect(stopJobRun('job1', 'jr_1')).resolves.toBeUndefined();
  });

  it('GIVEN BatchStopJobRun reports an error for this run WHEN stopping it THEN the error names the run and Glue\'s reason', async () => {
    // GIVEN
    glueMock.on(BatchStopJobRunCommand).resolves({ Errors: [{ JobRunId: 'jr_1', ErrorDetail: { ErrorCode: 'InternalServiceException', ErrorMessage: 'later' } }] });
    // WHEN / THEN
    await expect(stopJobRun('job1', 'jr_1')).rejects.toThrow('BatchStopJobRun did not stop job1/jr_1: InternalServiceException: later');
  });
});
