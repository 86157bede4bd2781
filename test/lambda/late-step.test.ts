import { LateDecision, lateDecision, LateFacts } from '../../src/lambda/decisions/late-step';
import { stepLateDetail } from '../../src/lambda/decisions/step-late-detail';

const SINCE = Date.parse('2026-11-30T10:00:00.000Z');
const MIN = 60_000;

/** A record of an attempt expected to take 10 minutes, running since SINCE. */
function facts(overrides: Partial<LateFacts> = {}): LateFacts {
  return { status: 'RUNNING', runningSince: SINCE, input: { expectedSeconds: 600 }, ...overrides };
}

describe('lateDecision: whether a tracked attempt is late, and is to be announced now', () => {
  it.each<[string, LateFacts, number, LateDecision]>([
    ['a step with no expected duration, long running', facts({ input: {} }), SINCE + 600 * MIN, { kind: 'no-expectation' }],
    ['a STARTING record past its expected time', facts({ status: 'STARTING' }), SINCE + 20 * MIN, { kind: 'not-running' }],
    ['a WAITING record past its expected time', facts({ status: 'WAITING' }), SINCE + 20 * MIN, { kind: 'not-running' }],
    ['a CLOSING record (its run ended) past its expected time', facts({ status: 'CLOSING' }), SINCE + 20 * MIN, { kind: 'not-running' }],
    ['a RUNNING record of an earlier runner (no runningSince)', facts({ runningSince: undefined }), SINCE + 20 * MIN, { kind: 'unmeasured' }],
    ['an attempt just started', facts(), SINCE, { kind: 'on-time', lateAfter: SINCE + 10 * MIN }],
    ['an attempt at exactly its expected duration', facts(), SINCE + 10 * MIN, { kind: 'on-time', lateAfter: SINCE + 10 * MIN }],
    ['an attempt one second past it', facts(), SINCE + 10 * MIN + 1000, { kind: 'late', runningSeconds: 601 }],
    ['an attempt half an hour past it', facts(), SINCE + 40 * MIN + 999, { kind: 'late', runningSeconds: 2400 }],
    ['a late attempt announced already', facts({ lateAnnouncedAt: SINCE + 11 * MIN }), SINCE + 40 * MIN, { kind: 'announced' }],
  ])('GIVEN %s WHEN a sweep looks THEN the decision is the table\'s', (_case, record, now, expected) => {
    expect(lateDecision(record, now)).toEqual(expected);
  });
});

describe('stepLateDetail', () => {
  const late = {
    pipelineId: 'OrdersPipeline71CF3101',
    pipelineName: 'nightly-orders',
    stepName: 'transform',
    kind: 'glue-job' as const,
    resourceName: 'transform-job',
    runId: 'jr_1',
    executionId: 'arn:aws:states:eu-west-1:123456789012:execution:nightly-orders:run-1',
    state: 'RUNNING',
    attempt: 1,
    redriveCount: 2,
    expectedSeconds: 600,
    runningSeconds: 660,
    runningSince: SINCE,
  };

  it('GIVEN a late job run WHEN its detail is made THEN every field, the start as ISO 8601, and the run\'s, execution\'s and logs\' console links', () => {
    expect(stepLateDetail(late)).toEqual({
      pipeline: 'nightly-orders',
      pipelineId: 'OrdersPipeline71CF3101',
      execution: late.executionId,
      step: 'transform',
      kind: 'glue-job',
      resourceName: 'transform-job',
      runId: 'jr_1',
      state: 'RUNNING',
      attempt: 1,
      redriveCount: 2,
      expectedSeconds: 600,
      runningSeconds: 660,
      runningSince: '2026-11-30T10:00:00.000Z',
      links: {
        glue: 'https://eu-west-1.console.aws.amazon.com/gluestudio/home?region=eu-west-1#/job/transform-job/run/jr_1',
        execution: `https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${late.executionId}`,
        logs: 'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/$252Faws-glue$252Fjobs$252Foutput/log-events/jr_1',
        errorLogs: 'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/$252Faws-glue$252Fjobs$252Ferror/log-events/jr_1',
      },
    });
  });

  it('GIVEN a state machine that passes no name, attempt or Glue state WHEN the detail is made THEN the pipeline is called by its id and the unknown fields are left out', () => {
    const { pipelineName: _n, attempt: _a, redriveCount: _r, state: _s, ...older } = late;
    const detail = stepLateDetail(older);
    expect(detail.pipeline).toBe('OrdersPipeline71CF3101');
    expect(Object.keys(detail)).not.toContain('attempt');
    expect(Object.keys(detail)).not.toContain('redriveCount');
    expect(Object.keys(detail)).not.toContain('state');
  });
});
