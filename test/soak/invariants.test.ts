import { AttemptFacts, checkInvariants, InvariantName, isDocumentedError, PipelineFacts } from '../../soak/invariants';

const TOKEN = `AQC${'x'.repeat(40)}${'abcdefghij'.repeat(6)}${'y'.repeat(40)}`;

function attempt(step: string, n: number, fields: Partial<AttemptFacts> = {}): AttemptFacts {
  return {
    ref: { execution: 0, step, attempt: n },
    kind: 'job',
    resource: `job-${step}`,
    tokenId: `id-${step}-${n}`,
    status: 'SUCCEEDED',
    mailStruck: false,
    ...fields,
  };
}

/** One execution of two job steps; the second failed once (mailed), then succeeded on retry. */
const HEALTHY: PipelineFacts = {
  executions: [{ index: 0, status: 'SUCCEEDED', stopPlanned: false }],
  attempts: [attempt('a', 1), attempt('b', 1, { status: 'FAILED', error: 'Glue.JobFailed' }), attempt('b', 2)],
  runs: [
    { kind: 'job', resource: 'job-a', correlation: 'id-a-1' },
    { kind: 'job', resource: 'job-b', correlation: 'id-b-1' },
    { kind: 'job', resource: 'job-b', correlation: 'id-b-2' },
  ],
  crawls: [],
  firings: [],
  trackedRecordsAfterSettling: 0,
  tokens: [TOKEN],
  logLines: ['{"level":"INFO","message":"run started","tokenId":"id-a-1"}'],
  invocations: [{ requestId: 'req-1' }],
  mails: [{ execution: 0, step: 'b', subject: '[p] step b failed: FAILED' }],
  lateEvents: [{ execution: 0, step: 'b', attempt: 0 }, { execution: 0, step: 'b', attempt: 1 }],
  expectedSteps: ['a', 'b'],
};

const broken = (facts: PipelineFacts) => checkInvariants(facts).filter((r) => !r.held).map((r) => r.invariant);

test('GIVEN a healthy pipeline WHEN checked THEN every invariant holds, each checked per execution or once for the pipeline', () => {
  const results = checkInvariants(HEALTHY);
  expect(results.every((r) => r.held)).toBe(true);
  expect(results.map((r) => r.invariant).sort()).toEqual([
    'execution-ends', 'no-timeout-kill', 'no-token-logged', 'nothing-left', 'one-late-per-attempt', 'one-mail-per-failure', 'one-run-per-attempt', 'one-run-per-attempt',
  ]);
});

test.each<[string, Partial<PipelineFacts>, InvariantName[]]>([
  ['an execution FAILED with an undocumented error', { executions: [{ index: 0, status: 'FAILED', error: 'Error', stopPlanned: false }] }, ['execution-ends']],
  ['an execution FAILED with a States error', { executions: [{ index: 0, status: 'FAILED', error: 'States.HeartbeatTimeout', stopPlanned: false }] }, []],
  ['an execution aborted by the guard', { executions: [{ index: 0, status: 'ABORTED', stopPlanned: false }] }, ['execution-ends']],
  ['an execution stopped on purpose', { executions: [{ index: 0, status: 'ABORTED', stopPlanned: true }] }, []],
  ['an execution that timed out', { executions: [{ index: 0, status: 'TIMED_OUT', stopPlanned: false }] }, ['execution-ends']],
  ['two runs for one attempt', { runs: [...HEALTHY.runs, { kind: 'job', resource: 'job-a', correlation: 'id-a-1' }] }, ['one-run-per-attempt']],
  ['Glue\'s own retry of an attempt\'s run (same correlation, a PreviousRunId)', { runs: [...HEALTHY.runs, { kind: 'job', resource: 'job-a', correlation: 'id-a-1', retryOf: 'jr_a' }] }, []],
  ['a run of no attempt', { runs: [...HEALTHY.runs, { kind: 'workflow', resource: 'wf', correlation: 'id-unknown' }] }, ['one-run-per-attempt']],
  ['a run with no correlation', { runs: [...HEALTHY.runs, { kind: 'job', resource: 'job-a' }] }, ['one-run-per-attempt']],
  ['more crawls than attempts', { attempts: [...HEALTHY.attempts, attempt('c', 1, { kind: 'crawler', resource: 'cr' })], crawls: ['cr', 'cr'] }, ['one-run-per-attempt']],
  ['a trigger fired twice for one attempt', { attempts: [...HEALTHY.attempts, attempt('t', 1, { kind: 'trigger', resource: 'tr' })], firings: ['tr', 'tr'] }, ['one-run-per-attempt']],
  ['a record left', { trackedRecordsAfterSettling: 2 }, ['nothing-left']],
  ['two late events for one attempt', { lateEvents: [...HEALTHY.lateEvents, { execution: 0, step: 'b', attempt: 1 }] }, ['one-late-per-attempt']],
  ['a late event of a step with no expected duration', { lateEvents: [{ execution: 0, step: 'c', attempt: 0 }] }, ['one-late-per-attempt']],
  ['a late event naming no execution', { lateEvents: [{ step: 'a', attempt: 0 }] }, ['one-late-per-attempt']],
  ['a token in a log line', { logLines: [`{"message":"oops","token":"${TOKEN}"}`] }, ['no-token-logged']],
  ['the head of a token in a log line', { logLines: [`token ${TOKEN.slice(0, 45)}…`] }, ['no-token-logged']],
  ['an invocation killed at its timeout', { invocations: [{ requestId: 'req-1', timedOut: true }] }, ['no-timeout-kill']],
  ['a failed attempt without mail', { mails: [] }, ['one-mail-per-failure']],
  ['a failed attempt whose mail path a fault cut, without mail',
    { mails: [], attempts: [attempt('a', 1), attempt('b', 1, { status: 'FAILED', mailStruck: true }), attempt('b', 2)] }, []],
  ['two mails for one failed attempt', { mails: [...HEALTHY.mails, ...HEALTHY.mails] }, ['one-mail-per-failure']],
  ['a mail for an attempt that timed out (never failed by the runner)',
    { attempts: [attempt('a', 1), attempt('b', 1, { status: 'TIMED_OUT', error: 'States.HeartbeatTimeout' }), attempt('b', 2)] }, ['one-mail-per-failure']],
  ['a mail naming no execution', { mails: [...HEALTHY.mails, { subject: 'stray' }] }, ['one-mail-per-failure']],
])('GIVEN %s WHEN checked THEN exactly the expected invariants break', (_what, change, expected) => {
  expect(broken({ ...HEALTHY, ...change })).toEqual(expected);
});

test.each<[string | undefined, boolean]>([
  ['Glue.JobFailed', true],
  ['Glue.StartFailed', true],
  ['Pipeline.TrackingFailed', true],
  ['States.Timeout', true],
  ['States.Runtime', true],
  ['Glue.Unknown', false],
  ['TypeError', false],
  [undefined, false],
])('GIVEN the error %s THEN documented is %s', (error, documented) => {
  expect(isDocumentedError(error)).toBe(documented);
});
