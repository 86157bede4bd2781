import { burstCost, emptyPollsByTrigger } from '../../bench/burst-cost';

describe('burstCost', () => {
  it.each([
    {
      case: 'nothing ran',
      invocations: [],
      polls: [],
      now: 10,
      expected: { billedSeconds: 0, emptyPollSeconds: 0, emptyPollShare: 0 },
    },
    {
      case: 'two invocations, one poll that handed out a task',
      invocations: [{ startedAt: 0, endedAt: 2 }, { startedAt: 1, endedAt: 4 }],
      polls: [{ startedAt: 0.5, endedAt: 0.6, handedOut: true }],
      now: 10,
      expected: { billedSeconds: 5, emptyPollSeconds: 0, emptyPollShare: 0 },
    },
    {
      case: 'an empty 60 s poll in a 61 s invocation, beside a 39 s one',
      invocations: [{ startedAt: 0, endedAt: 61 }, { startedAt: 0, endedAt: 39 }],
      polls: [{ startedAt: 0.5, endedAt: 60.5, handedOut: false }, { startedAt: 1, endedAt: 1.5, handedOut: true }],
      now: 100,
      expected: { billedSeconds: 100, emptyPollSeconds: 60, emptyPollShare: 0.6 },
    },
    {
      case: 'a throttled attempt is not billed',
      invocations: [{ startedAt: 5, endedAt: 5, throttled: true }, { startedAt: 6, endedAt: 8 }],
      polls: [],
      now: 10,
      expected: { billedSeconds: 2, emptyPollSeconds: 0, emptyPollShare: 0 },
    },
    {
      case: 'spans still open count up to now, an open poll as empty',
      invocations: [{ startedAt: 0 }],
      polls: [{ startedAt: 2 }],
      now: 10,
      expected: { billedSeconds: 10, emptyPollSeconds: 8, emptyPollShare: 0.8 },
    },
  ])('GIVEN $case WHEN the cost is reckoned THEN it is as billed', ({ invocations, polls, now, expected }) => {
    const cost = burstCost(invocations, polls, now);
    expect(cost.billedSeconds).toBeCloseTo(expected.billedSeconds);
    expect(cost.emptyPollSeconds).toBeCloseTo(expected.emptyPollSeconds);
    expect(cost.emptyPollShare).toBeCloseTo(expected.emptyPollShare);
  });
});

describe('emptyPollsByTrigger', () => {
  it('GIVEN polls of a sweep and of an event WHEN broken down THEN each empty poll counts for its invocation\'s trigger', () => {
    const invocations = [
      { requestId: 'req-1', startedAt: 0, endedAt: 70, result: { trigger: 'sweep' } },
      { requestId: 'req-2', startedAt: 0, endedAt: 61, result: { trigger: 'execution-started' } },
      { requestId: 'req-3', startedAt: 1, endedAt: 1, throttled: true },
      { requestId: 'req-4', startedAt: 2, endedAt: 3 },
    ];
    const polls = [
      { workerName: 'req-1', startedAt: 0, endedAt: 1, handedOut: true },
      { workerName: 'req-1', startedAt: 1, endedAt: 61, handedOut: false },
      { workerName: 'req-2', startedAt: 0.5, endedAt: 60.5, handedOut: false },
      { startedAt: 5 },
    ];
    expect(emptyPollsByTrigger(invocations, polls, 10)).toEqual([
      { trigger: 'execution-started', invocations: 1, polls: 1, emptyPolls: 1, emptyPollSeconds: 60 },
      { trigger: 'sweep', invocations: 1, polls: 2, emptyPolls: 1, emptyPollSeconds: 60 },
      { trigger: 'unknown', invocations: 1, polls: 1, emptyPolls: 1, emptyPollSeconds: 5 },
    ]);
  });
});
