import { classifyEvent, RunnerTrigger } from '../../src/lambda/entry/runner-event';
import { EXECUTION_STATUS_CHANGE, GLUE_CRAWLER_STATE_CHANGE, GLUE_JOB_STATE_CHANGE } from '../../src/shared/contract';
import { SCHEDULED_START_SOURCE } from '../../src/shared/scheduled-start';

const EXECUTION_ARN = 'arn:aws:states:us-east-1:111122223333:execution:sm:exec-1';
/** The execution's start, epoch ms, as the event's `detail.startDate`; its envelope `time` is 2025-03-01T12:00:00Z. */
const STARTED_AT = Date.parse('2025-03-01T11:59:59.500Z');

/** An EventBridge "Glue Job State Change" event as Glue sends it, with `detail` overridden. */
function glueEvent(detail: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'version': '0',
    'id': 'evt-1',
    'source': 'aws.glue',
    'detail-type': GLUE_JOB_STATE_CHANGE,
    'account': '111122223333',
    'region': 'us-east-1',
    'time': '2025-03-01T12:00:00Z',
    'detail': { jobName: 'job1', severity: 'INFO', state: 'SUCCEEDED', jobRunId: 'jr_1', message: 'Job run succeeded', ...detail },
    ...overrides,
  };
}

/** An EventBridge "Step Functions Execution Status Change" event, with `detail` overridden. */
function executionEvent(detail: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'version': '0',
    'id': 'evt-2',
    'source': 'aws.states',
    'detail-type': EXECUTION_STATUS_CHANGE,
    'account': '111122223333',
    'region': 'us-east-1',
    'time': '2025-03-01T12:00:00Z',
    'detail': {
      executionArn: EXECUTION_ARN,
      stateMachineArn: 'arn:aws:states:us-east-1:111122223333:stateMachine:sm',
      status: 'RUNNING',
      startDate: STARTED_AT,
      stopDate: null,
      ...detail,
    },
    ...overrides,
  };
}

/** An EventBridge "Glue Crawler State Change" event as Glue sends it, with `detail` overridden. */
function crawlerEvent(detail: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'version': '0',
    'id': 'evt-3',
    'source': 'aws.glue',
    'detail-type': GLUE_CRAWLER_STATE_CHANGE,
    'account': '111122223333',
    'region': 'us-east-1',
    'time': '2025-03-01T12:00:00Z',
    'detail': { crawlerName: 'raw-crawler', state: 'Succeeded', message: 'Crawler Succeeded', tablesCreated: '0', ...detail },
    ...overrides,
  };
}

const SWEEP: RunnerTrigger = { kind: 'sweep' };

describe('classifyEvent, Glue Job State Change', () => {
  it.each(['SUCCEEDED', 'FAILED', 'STOPPED', 'TIMEOUT', 'ERROR'])(
    'GIVEN a Glue event for a run that ended in %s with every field WHEN classified THEN it is work-ended naming the kind, the job, the run and the state',
    (state) => {
      // GIVEN
      const event = glueEvent({ state });
      // WHEN
      const trigger = classifyEvent(event);
      // THEN
      expect(trigger).toEqual({ kind: 'work-ended', stepKind: 'glue-job', resourceName: 'job1', runId: 'jr_1', state });
    },
  );

  it('GIVEN a Glue event with a state the runner does not treat as final WHEN classified THEN the state is passed on as it came (the handler reads the run itself)', () => {
    // WHEN
    const trigger = classifyEvent(glueEvent({ state: 'RUNNING', jobName: 'load', jobRunId: 'jr_xyz' }));
    // THEN
    expect(trigger).toEqual({ kind: 'work-ended', stepKind: 'glue-job', resourceName: 'load', runId: 'jr_xyz', state: 'RUNNING' });
  });

  it.each<[string, Record<string, unknown>]>([
    ['no jobName', { jobName: undefined }],
    ['an empty jobName', { jobName: '' }],
    ['a numeric jobName', { jobName: 42 }],
    ['no jobRunId', { jobRunId: undefined }],
    ['an empty jobRunId', { jobRunId: '' }],
    ['a jobRunId that is an object', { jobRunId: { id: 'jr_1' } }],
    ['no state', { state: undefined }],
    ['an empty state', { state: '' }],
    ['a null state', { state: null }],
  ])('GIVEN a Glue event with %s WHEN classified THEN it falls back to a sweep', (_label, detail) => {
    // GIVEN
    const event = glueEvent(detail);
    // WHEN
    const trigger = classifyEvent(event);
    // THEN
    expect(trigger).toEqual(SWEEP);
  });

  it.each<[string, Record<string, unknown>]>([
    ['no detail', { detail: undefined }],
    ['a null detail', { detail: null }],
    ['a detail that is an array', { detail: ['job1', 'jr_1', 'SUCCEEDED'] }],
    ['a detail that is a string', { detail: '{"jobName":"job1"}' }],
    ['another source', { source: 'custom.glue' }],
    ['no source', { source: undefined }],
    ['another detail-type', { 'detail-type': 'Glue Job Run Status' }],
    ['the execution detail-type', { 'detail-type': EXECUTION_STATUS_CHANGE }],
  ])('GIVEN a Glue-like event with %s WHEN classified THEN it falls back to a sweep', (_label, overrides) => {
    // GIVEN
    const event = glueEvent({}, overrides);
    // WHEN
    const trigger = classifyEvent(event);
    // THEN
    expect(trigger).toEqual(SWEEP);
  });
});

describe('classifyEvent, Glue Crawler State Change', () => {
  it.each(['Succeeded', 'Failed'])('GIVEN a crawl that ended %s WHEN classified THEN it is work-ended naming the kind, the crawler and the state', (state) => {
    // WHEN
    const trigger = classifyEvent(crawlerEvent({ state }));
    // THEN
    expect(trigger).toEqual({ kind: 'work-ended', stepKind: 'glue-crawler', resourceName: 'raw-crawler', state });
  });

  it.each(['Started', 'Running', 'Stopping', 'SUCCEEDED', 'failed', '', undefined, 3])(
    'GIVEN a crawler event whose state is %p WHEN classified THEN it falls back to a sweep',
    (state) => {
      expect(classifyEvent(crawlerEvent({ state }))).toEqual(SWEEP);
    },
  );

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['no crawlerName', { crawlerName: undefined }, {}],
    ['an empty crawlerName', { crawlerName: '' }, {}],
    ['a numeric crawlerName', { crawlerName: 7 }, {}],
    ['another source', {}, { source: 'custom.glue' }],
    ['the job detail-type', {}, { 'detail-type': GLUE_JOB_STATE_CHANGE }],
    ['no detail', {}, { detail: undefined }],
  ])('GIVEN an ended crawl event with %s WHEN classified THEN it falls back to a sweep', (_label, detail, overrides) => {
    expect(classifyEvent(crawlerEvent(detail, overrides))).toEqual(SWEEP);
  });

  it('GIVEN a job event carrying a crawlerName WHEN classified THEN it is still read as a job event', () => {
    expect(classifyEvent(glueEvent({ crawlerName: 'raw-crawler' }))).toMatchObject({ kind: 'work-ended', stepKind: 'glue-job', resourceName: 'job1' });
  });
});

describe('classifyEvent, Step Functions Execution Status Change', () => {
  it('GIVEN an execution that is RUNNING WHEN classified THEN it is execution-started naming the execution', () => {
    // WHEN
    const trigger = classifyEvent(executionEvent());
    // THEN
    expect(trigger).toEqual({ kind: 'execution-started', executionArn: EXECUTION_ARN, startedAt: STARTED_AT });
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>, number | undefined]>([
    ['a startDate in epoch ms', {}, {}, STARTED_AT],
    ['no startDate: the envelope time', { startDate: undefined }, {}, Date.parse('2025-03-01T12:00:00Z')],
    ['a startDate that is a string: the envelope time', { startDate: '2025-03-01T11:00:00Z' }, {}, Date.parse('2025-03-01T12:00:00Z')],
    ['a startDate of 0: the envelope time', { startDate: 0 }, {}, Date.parse('2025-03-01T12:00:00Z')],
    ['neither a startDate nor a readable time', { startDate: undefined }, { time: 'yesterday' }, undefined],
    ['neither a startDate nor a time', { startDate: undefined }, { time: undefined }, undefined],
  ])('GIVEN a RUNNING execution event with %s WHEN classified THEN its start time is read from it', (_label, detail, overrides, startedAt) => {
    // WHEN
    const trigger = classifyEvent(executionEvent(detail, overrides));
    // THEN
    expect(trigger).toEqual({ kind: 'execution-started', executionArn: EXECUTION_ARN, startedAt });
  });

  it.each(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE', 'running', ''])(
    'GIVEN an execution whose status is "%s" WHEN classified THEN it falls back to a sweep',
    (status) => {
      // WHEN
      const trigger = classifyEvent(executionEvent({ status }));
      // THEN
      expect(trigger).toEqual(SWEEP);
    },
  );

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['no executionArn', { executionArn: undefined }, {}],
    ['an empty executionArn', { executionArn: '' }, {}],
    ['no status', { status: undefined }, {}],
    ['another source', {}, { source: 'aws.glue' }],
    ['the Glue detail-type', {}, { 'detail-type': GLUE_JOB_STATE_CHANGE }],
    ['a detail that is an array', {}, { detail: [EXECUTION_ARN] }],
  ])('GIVEN a RUNNING execution event with %s WHEN classified THEN it falls back to a sweep', (_label, detail, overrides) => {
    // WHEN
    const trigger = classifyEvent(executionEvent(detail, overrides));
    // THEN
    expect(trigger).toEqual(SWEEP);
  });
});

describe('classifyEvent, schedule and anything else', () => {
  it.each<[string, unknown]>([
    ['the schedule\'s event', { 'source': 'aws.events', 'detail-type': 'Scheduled Event', 'detail': {} }],
    ['the schedule\'s event with no detail', { 'source': 'aws.events', 'detail-type': 'Scheduled Event' }],
    ['an empty object (a manual call)', {}],
    ['null', null],
    ['undefined', undefined],
    ['an array', [glueEvent()]],
    ['a string', 'sweep'],
    ['a number', 7],
    ['true', true],
  ])('GIVEN %s WHEN classified THEN it is a sweep', (_label, event) => {
    // WHEN
    const trigger = classifyEvent(event);
    // THEN
    expect(trigger).toEqual(SWEEP);
  });

  it('GIVEN a Glue event serialised as a JSON string WHEN classified THEN it is a sweep: only parsed events are read', () => {
    // WHEN
    const trigger = classifyEvent(JSON.stringify(glueEvent()));
    // THEN
    expect(trigger).toEqual(SWEEP);
  });
});

describe('classifyEvent, a pipeline schedule', () => {
  const payload = {
    source: SCHEDULED_START_SOURCE,
    scheduledTime: '2026-12-01T02:00:00Z',
    timeZone: 'UTC',
    period: 'DAY',
    periodsBack: 1,
    dateField: 'runDate',
    input: {},
    namePrefix: 'nightly',
  };

  test('its payload is a scheduled start, not a sweep', () => {
    expect(classifyEvent(payload)).toEqual({ kind: 'scheduled-start', start: payload });
  });

  test('a broken payload is still the schedule\'s (no sweep), and says which field', () => {
    const trigger = classifyEvent({ ...payload, timeZone: 'Nowhere/Else' });
    expect(trigger.kind).toBe('scheduled-start');
    expect(trigger).toMatchObject({ invalid: expect.stringContaining('"timeZone"') });
  });
});
