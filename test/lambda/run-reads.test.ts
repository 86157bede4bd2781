import { EntityNotFoundException, GetJobRunCommand, GetJobRunsCommand, GetJobRunsCommandInput, JobRun, ThrottlingException } from '@aws-sdk/client-glue';
import { glueMock, resetAwsMocks } from './aws-mocks';
import { NOW } from './fixtures';
import { readAnotherPage, readByPages, readRuns, RUNS_PAGE_SIZE, RunToRead } from '../../src/lambda/kinds/glue-job/run-reads';

const T = NOW.getTime();
const MINUTE = 60_000;

/** A run as Glue lists it: started a minute before NOW unless told. */
function run(id: string, jobName: string, startedOn = new Date(T - MINUTE), state: JobRun['JobRunState'] = 'RUNNING'): JobRun {
  return { Id: id, JobName: jobName, StartedOn: startedOn, JobRunState: state };
}

/** A run the pipeline tracks, whose record was created ten minutes before NOW. */
function wanted(jobName: string, jobRunId: string, notBefore = T - 10 * MINUTE): RunToRead {
  return { jobName, jobRunId, notBefore };
}

/** `count` runs of `jobName` that no record tracks, all started within the last minute. */
function foreign(jobName: string, prefix: string, count: number): JobRun[] {
  return Array.from({ length: count }, (_, i) => run(`${prefix}_${i}`, jobName, new Date(T - 30_000)));
}

/** The GetJobRuns inputs `givenPages` answered, each copied as it was sent (see pagesInOrder in aws-mocks.ts). */
let pagesSent: GetJobRunsCommandInput[] = [];

/**
 * GetJobRuns of `jobName` serves `pages` in order, each but the last with a NextToken
 * ("p2", "p3", ...). `endless` gives every page a NextToken, as a busy job's history would.
 */
function givenPages(jobName: string, pages: JobRun[][], endless = false) {
  glueMock.on(GetJobRunsCommand, { JobName: jobName }).callsFake((input: GetJobRunsCommandInput) => {
    pagesSent.push({ ...input });
    const index = input.NextToken === undefined ? 0 : Number(input.NextToken.slice(1)) - 1;
    const hasNext = endless || index + 1 < pages.length;
    return { JobRuns: pages[index] ?? pages[pages.length - 1], NextToken: hasNext ? `p${index + 2}` : undefined };
  });
}

/** GetJobRun answers for one run. */
function givenRun(r: JobRun) {
  glueMock.on(GetJobRunCommand, { JobName: r.JobName, RunId: r.Id }).resolves({ JobRun: r });
}

const pageCalls = (jobName?: string) => glueMock.commandCalls(GetJobRunsCommand)
  .map((c) => c.args[0].input)
  .filter((input) => jobName === undefined || input.JobName === jobName);
const singleReads = () => glueMock.commandCalls(GetJobRunCommand).map((c) => `${c.args[0].input.JobName}/${c.args[0].input.RunId}`).sort();

beforeEach(() => {
  resetAwsMocks();
  pagesSent = [];
});

describe('readByPages', () => {
  it.each([
    [0, false],
    [1, false],
    [2, true],
    [3, true],
    [200, true],
    [1000, true],
  ])('GIVEN %i tracked runs of one job WHEN asked THEN reading by pages is %s', (runs, expected) => {
    // WHEN
    const byPages = readByPages(runs);
    // THEN
    expect(byPages).toBe(expected);
  });
});

describe('readAnotherPage', () => {
  it.each([
    // missing, pagesRead, hasNextPage, pastOldest, another page
    [3, 1, true, false, true],
    [3, 2, true, false, true],
    [3, 3, true, false, false],
    [3, 4, true, false, false],
    [2, 1, true, false, true],
    [1, 1, true, false, false],
    [0, 1, true, false, false],
    [0, 0, true, false, false],
    [3, 1, false, false, false],
    [3, 1, true, true, false],
    [200, 5, true, false, true],
    [200, 5, false, true, false],
  ])('GIVEN %i runs missing after %i pages, a next page %s and past the oldest %s WHEN asked THEN another page is %s',
    (missing, pagesRead, hasNextPage, pastOldest, expected) => {
      // WHEN
      const another = readAnotherPage({ missing, pagesRead, hasNextPage, pastOldest });
      // THEN
      expect(another).toBe(expected);
    });
});

describe('readRuns', () => {
  it('GIVEN one tracked run per job WHEN read THEN each is read with GetJobRun and no page is listed', async () => {
    // GIVEN
    const runs = [run('jr_1', 'job1'), run('jr_2', 'job2', undefined, 'SUCCEEDED'), run('jr_3', 'job3', undefined, 'FAILED')];
    runs.forEach(givenRun);
    // WHEN
    const reads = await readRuns([wanted('job1', 'jr_1'), wanted('job2', 'jr_2'), wanted('job3', 'jr_3')], 16);
    // THEN
    expect(glueMock).not.toHaveReceivedCommand(GetJobRunsCommand);
    expect(singleReads()).toEqual(['job1/jr_1', 'job2/jr_2', 'job3/jr_3']);
    expect(reads).toEqual(new Map([['jr_1', { run: runs[0] }], ['jr_2', { run: runs[1] }], ['jr_3', { run: runs[2] }]]));
  });

  it('GIVEN five tracked runs of one job, all on the first page WHEN read THEN one GetJobRuns of 200 runs reads them all and no GetJobRun is made', async () => {
    // GIVEN a first page with the five among other runs, and more pages behind it
    const mine = ['a', 'b', 'c', 'd', 'e'].map((id) => run(id, 'job1', undefined, id === 'c' ? 'SUCCEEDED' : 'RUNNING'));
    givenPages('job1', [[...foreign('job1', 'x', 3), ...mine, ...foreign('job1', 'y', 2)]], true);
    // WHEN
    const reads = await readRuns(mine.map((r) => wanted('job1', r.Id!)), 16);
    // THEN
    expect(glueMock).toHaveReceivedCommandTimes(GetJobRunsCommand, 1);
    expect(pageCalls()[0]).toEqual({ JobName: 'job1', MaxResults: RUNS_PAGE_SIZE, NextToken: undefined });
    expect(RUNS_PAGE_SIZE).toBe(200);
    expect(glueMock).not.toHaveReceivedCommand(GetJobRunCommand);
    expect(reads).toEqual(new Map(mine.map((r) => [r.Id!, { run: r }])));
  });

  it('GIVEN four tracked runs of one job spread over two pages WHEN read THEN both pages are read, the second with the first one\'s NextToken, and no GetJobRun is made', async () => {
    // GIVEN
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((id) => run(id, 'job1'));
    givenPages('job1', [[a, ...foreign('job1', 'x', 5), b], [c, d, ...foreign('job1', 'y', 2)], foreign('job1', 'z', 3)]);
    // WHEN
    const reads = await readRuns([a, b, c, d].map((r) => wanted('job1', r.Id!)), 16);
    // THEN
    expect(pagesSent.map((i) => i.NextToken)).toEqual([undefined, 'p2']);
    expect(pageCalls().every((i) => i.JobName === 'job1' && i.MaxResults === 200)).toBe(true);
    expect(glueMock).not.toHaveReceivedCommand(GetJobRunCommand);
    expect(reads).toEqual(new Map([a, b, c, d].map((r) => [r.Id!, { run: r }])));
  });

  it('GIVEN three tracked runs, two on the first page and the third on the next WHEN read THEN the third is read with GetJobRun: one more page would not save a call', async () => {
    // GIVEN
    const [a, b, c] = ['a', 'b', 'c'].map((id) => run(id, 'job1'));
    givenPages('job1', [[a, b, ...foreign('job1', 'x', 4)], [c]]);
    givenRun(c);
    // WHEN
    const reads = await readRuns([a, b, c].map((r) => wanted('job1', r.Id!)), 16);
    // THEN
    expect(pagesSent.map((i) => i.NextToken)).toEqual([undefined]);
    expect(singleReads()).toEqual(['job1/c']);
    expect(reads).toEqual(new Map([a, b, c].map((r) => [r.Id!, { run: r }])));
  });

  it('GIVEN tracked runs buried under pages of other runs WHEN read THEN paging stops once the pages read equal the runs still missing, and the rest are read with GetJobRun', async () => {
    // GIVEN three tracked runs; one on the first page, the other two nowhere near (pages keep coming)
    const [a, b, c] = ['a', 'b', 'c'].map((id) => run(id, 'job1', new Date(T - 60 * MINUTE)));
    givenPages('job1', [[...foreign('job1', 'p1', 199), a], foreign('job1', 'p2', 200), foreign('job1', 'p3', 200)], true);
    givenRun(b);
    givenRun(c);
    const old = T - 2 * 60 * MINUTE;
    // WHEN
    const reads = await readRuns([wanted('job1', 'a', old), wanted('job1', 'b', old), wanted('job1', 'c', old)], 16);
    // THEN page 1 leaves two missing, so page 2 is read; after it two pages were read for two missing runs: stop
    expect(pagesSent.map((i) => i.NextToken)).toEqual([undefined, 'p2']);
    expect(singleReads()).toEqual(['job1/b', 'job1/c']);
    expect(reads).toEqual(new Map([['a', { run: a }], ['b', { run: b }], ['c', { run: c }]]));
  });

  it('GIVEN three tracked runs on none of the pages WHEN read THEN exactly three pages are read before falling back to three GetJobRun', async () => {
    // GIVEN
    const [a, b, c] = ['a', 'b', 'c'].map((id) => run(id, 'job1'));
    givenPages('job1', [foreign('job1', 'f', 200)], true);
    [a, b, c].forEach(givenRun);
    const old = T - 24 * 60 * MINUTE;
    // WHEN
    const reads = await readRuns([a, b, c].map((r) => wanted('job1', r.Id!, old)), 16);
    // THEN
    expect(pagesSent.map((i) => i.NextToken)).toEqual([undefined, 'p2', 'p3']);
    expect(singleReads()).toEqual(['job1/a', 'job1/b', 'job1/c']);
    expect(reads.size).toBe(3);
  });

  it('GIVEN a page reaching runs that started before the oldest tracked run WHEN read THEN no further page is read and the missing runs are read with GetJobRun', async () => {
    // GIVEN a page with one tracked run and a run older than any tracked record, and more pages behind it
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((id) => run(id, 'job1'));
    givenPages('job1', [[a, run('old', 'job1', new Date(T - 11 * MINUTE))], [b, c, d]], true);
    [b, c, d].forEach(givenRun);
    // WHEN (every record created 10 minutes ago)
    const reads = await readRuns([a, b, c, d].map((r) => wanted('job1', r.Id!)), 16);
    // THEN
    expect(pageCalls()).toHaveLength(1);
    expect(singleReads()).toEqual(['job1/b', 'job1/c', 'job1/d']);
    expect(reads).toEqual(new Map([a, b, c, d].map((r) => [r.Id!, { run: r }])));
  });

  it('GIVEN a page reaching runs older than one tracked run but not the oldest WHEN read THEN paging goes on', async () => {
    // GIVEN a tracked since 5 minutes, b since 20 minutes; page 1 holds neither, but a run 10 minutes old
    const [a, b] = ['a', 'b'].map((id) => run(id, 'job1'));
    givenPages('job1', [[run('older-than-a', 'job1', new Date(T - 10 * MINUTE))], [a, b]], true);
    // WHEN
    const reads = await readRuns([wanted('job1', 'a', T - 5 * MINUTE), wanted('job1', 'b', T - 20 * MINUTE)], 16);
    // THEN
    expect(pagesSent.map((i) => i.NextToken)).toEqual([undefined, 'p2']);
    expect(glueMock).not.toHaveReceivedCommand(GetJobRunCommand);
    expect(reads).toEqual(new Map([['a', { run: a }], ['b', { run: b }]]));
  });

  it('GIVEN GetJobRuns is throttled for one job WHEN read THEN every run of that job is read with GetJobRun and the other job still reads by pages', async () => {
    // GIVEN
    glueMock.on(GetJobRunsCommand, { JobName: 'job1' }).rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }));
    const ones = ['a', 'b', 'c'].map((id) => run(id, 'job1', undefined, 'SUCCEEDED'));
    ones.forEach(givenRun);
    const twos = ['d', 'e'].map((id) => run(id, 'job2'));
    givenPages('job2', [twos]);
    // WHEN
    const reads = await readRuns([...ones, ...twos].map((r) => wanted(r.JobName!, r.Id!)), 16);
    // THEN
    expect(pageCalls('job1')).toHaveLength(1);
    expect(pageCalls('job2')).toHaveLength(1);
    expect(singleReads()).toEqual(['job1/a', 'job1/b', 'job1/c']);
    expect(reads).toEqual(new Map([...ones, ...twos].map((r) => [r.Id!, { run: r }])));
  });

  it('GIVEN the second page of a job fails WHEN read THEN every run of that job still gets its state through GetJobRun', async () => {
    // GIVEN
    const [a, b, c] = ['a', 'b', 'c'].map((id) => run(id, 'job1'));
    glueMock.on(GetJobRunsCommand, { JobName: 'job1' })
      .resolvesOnce({ JobRuns: [a], NextToken: 'p2' })
      .rejectsOnce(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }));
    [a, b, c].forEach(givenRun);
    // WHEN
    const reads = await readRuns([a, b, c].map((r) => wanted('job1', r.Id!)), 16);
    // THEN
    expect(pageCalls()).toHaveLength(2);
    expect(singleReads()).toEqual(expect.arrayContaining(['job1/b', 'job1/c']));
    expect(reads).toEqual(new Map([a, b, c].map((r) => [r.Id!, { run: r }])));
  });

  it('GIVEN Glue does not know one run WHEN read THEN its entry holds the EntityNotFoundException and the other runs still resolve', async () => {
    // GIVEN
    const notFound = new EntityNotFoundException({ message: 'Job run not found', $metadata: {} });
    glueMock.on(GetJobRunCommand, { RunId: 'jr_gone' }).rejects(notFound);
    const kept = [run('jr_1', 'job1'), run('jr_3', 'job3', undefined, 'FAILED')];
    kept.forEach(givenRun);
    // WHEN
    const reads = await readRuns([wanted('job1', 'jr_1'), wanted('job2', 'jr_gone'), wanted('job3', 'jr_3')], 16);
    // THEN
    expect(reads.get('jr_gone')).toEqual({ error: notFound });
    expect((reads.get('jr_gone') as { error: unknown }).error).toBe(notFound);
    expect(reads.get('jr_1')).toEqual({ run: kept[0] });
    expect(reads.get('jr_3')).toEqual({ run: kept[1] });
  });

  it('GIVEN runs of many jobs read every way (pages, GetJobRun, failures) WHEN read THEN every wanted run id gets exactly one entry', async () => {
    // GIVEN job1: 3 runs on pages; job2: 2 runs, pages throttled; job3: 1 run; job4: 1 unknown run
    const job1 = ['a', 'b', 'c'].map((id) => run(id, 'job1'));
    givenPages('job1', [job1]);
    glueMock.on(GetJobRunsCommand, { JobName: 'job2' }).rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }));
    const job2 = ['d', 'e'].map((id) => run(id, 'job2'));
    job2.forEach(givenRun);
    const job3 = run('f', 'job3');
    givenRun(job3);
    glueMock.on(GetJobRunCommand, { RunId: 'g' }).rejects(new EntityNotFoundException({ message: 'nope', $metadata: {} }));
    const all = [...job1, ...job2, job3].map((r) => wanted(r.JobName!, r.Id!)).concat(wanted('job4', 'g'));
    // WHEN
    const reads = await readRuns(all, 2);
    // THEN
    expect([...reads.keys()].sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect([...reads.entries()].filter(([, r]) => 'error' in r).map(([id]) => id)).toEqual(['g']);
    expect(singleReads()).toEqual(['job2/d', 'job2/e', 'job3/f', 'job4/g']);
  });

  it('GIVEN nothing wanted WHEN read THEN no Glue call is made and the map is empty', async () => {
    // WHEN
    const reads = await readRuns([], 16);
    // THEN
    expect(reads.size).toBe(0);
    expect(glueMock.calls()).toHaveLength(0);
  });
});
