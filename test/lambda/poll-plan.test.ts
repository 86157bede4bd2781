import {
  expectOneEach, expectsMoreTasks, leftToStartEvent, planAtStart, PollPlan, pollPlanAfterSweep, successorFollows, SweepFindings, tasksAtStart,
  UNTIL_EMPTY,
} from '../../src/lambda/decisions/poll-plan';

const arn = (n: number) => `arn:aws:states:us-east-1:111122223333:execution:sm:exec-${n}`;
const A = arn(1);
const B = arn(2);
const C = arn(3);
const D = arn(4);

/** When the sweep in these tests lists the executions, and its schedule's period. */
const SWEEP_AT = Date.UTC(2026, 0, 1, 12);
const INTERVAL_MS = 60_000;

/**
 * Findings of a sweep: executions in `running` started ten intervals ago (their start events had
 * their chance), those in `young` at the given milliseconds before the sweep.
 */
function findings(f: {
  running?: string[]; young?: Record<string, number>; occupied?: string[]; successorReady?: string[]; ended?: string[];
}): SweepFindings {
  return {
    running: [
      ...(f.running ?? []).map((execution) => ({ arn: execution, startedAt: SWEEP_AT - 10 * INTERVAL_MS })),
      ...Object.entries(f.young ?? {}).map(([execution, ageMs]) => ({ arn: execution, startedAt: SWEEP_AT - ageMs })),
    ],
    sweepAt: SWEEP_AT,
    checkIntervalMs: INTERVAL_MS,
    occupied: new Set(f.occupied ?? []),
    successorReady: new Set(f.successorReady ?? []),
    ended: new Set(f.ended ?? []),
  };
}

/** The plan as sorted [execution, count] pairs, to compare with toEqual (a map's order is its insertion order). */
function sorted(plan: PollPlan): Array<[string, number]> | typeof UNTIL_EMPTY {
  return plan === UNTIL_EMPTY ? plan : [...plan].sort(([a], [b]) => a.localeCompare(b));
}

/** One task expected of each execution listed, sorted. */
const oneEach = (arns: string[]): Array<[string, number]> => [...new Set(arns)].sort().map((a) => [a, 1]);

/** Tasks taken so far, of the executions listed: the start phase counts them, whoever's they are. */
const takenOf = (arns: string[]): number => arns.length;

describe('pollPlanAfterSweep', () => {
  it.each<[string, Parameters<typeof findings>[0], string[]]>([
    ['nothing running and nothing ready', {}, []],
    ['nothing running, but executions occupied and ended', { occupied: [A], ended: [B] }, []],
    ['running executions with no tracked task', { running: [A, B] }, [A, B]],
    ['a running execution with a tracked task', { running: [A, B], occupied: [A] }, [B]],
    ['a running execution that ended just now (ListExecutions lags)', { running: [A, B], ended: [B] }, [A]],
    ['every running execution occupied or ended', { running: [A, B], occupied: [A], ended: [B] }, []],
    ['a successor ready that ListExecutions already lists', { running: [A], successorReady: [A] }, [A]],
    ['a successor ready that ListExecutions does not list yet', { running: [B], successorReady: [A] }, [A, B]],
    ['only a successor ready, nothing listed running', { successorReady: [C] }, [C]],
    ['a mix of all four', { running: [A, B, C], occupied: [A], ended: [B], successorReady: [D] }, [C, D]],
    ['an execution listed twice by ListExecutions', { running: [A, A] }, [A]],
  ])('GIVEN %s WHEN the plan is made THEN it expects tasks of exactly %j', (_label, f, expected) => {
    // WHEN
    const plan = pollPlanAfterSweep(findings(f));
    // THEN
    expect(plan).not.toBe(UNTIL_EMPTY);
    expect(sorted(plan)).toEqual(oneEach(expected));
  });

  it('GIVEN a successor ready that is also counted occupied WHEN the plan is made THEN it is still expected: its next step was just dispatched', () => {
    // GIVEN
    const f = findings({ running: [A], occupied: [A], successorReady: [A] });
    // WHEN
    const plan = pollPlanAfterSweep(f);
    // THEN
    expect(sorted(plan)).toEqual([[A, 1]]);
  });

  it('GIVEN running executions WHEN the plan is made THEN the findings passed in are not changed', () => {
    // GIVEN
    const f = findings({ running: [A, B], occupied: [A], successorReady: [C] });
    // WHEN
    pollPlanAfterSweep(f);
    // THEN
    expect(f.running.map((e) => e.arn)).toEqual([A, B]);
    expect([...f.occupied]).toEqual([A]);
    expect([...f.successorReady]).toEqual([C]);
    expect([...f.ended]).toEqual([]);
  });
});

describe('leftToStartEvent', () => {
  it.each<[string, number, boolean]>([
    ['started at the sweep', 0, true],
    ['started a second before', 1_000, true],
    ['started just under one interval before', INTERVAL_MS - 1, true],
    ['started exactly one interval before', INTERVAL_MS, false],
    ['started ten intervals before', 10 * INTERVAL_MS, false],
    ['started after the sweep listed it (clock skew)', -5_000, true],
  ])('GIVEN an execution %s WHEN a sweep decides THEN it is left to its start event: %s', (_label, ageMs, left) => {
    expect(leftToStartEvent(SWEEP_AT - ageMs, SWEEP_AT, INTERVAL_MS)).toBe(left);
  });
});

describe('planAtStart', () => {
  it.each<[string, number | undefined, number | undefined, Array<[string, number]>]>([
    ['a sequence, the event 2 s after the start', 2_000, undefined, [[A, 1]]],
    ['a graph of 4 steps, the event 2 s after the start', 2_000, 4, [[A, 4]]],
    ['a sequence, the event just under one interval late (throttled and retried)', INTERVAL_MS - 1, undefined, [[A, 1]]],
    ['a sequence, the event one interval late: a sweep takes the task', INTERVAL_MS, undefined, []],
    ['a graph, the event 20 minutes late', 20 * INTERVAL_MS, 4, []],
    ['an event with no start time: taken as on time', undefined, undefined, [[A, 1]]],
  ])('GIVEN %s WHEN the event\'s plan is made THEN it expects %j', (_label, lateByMs, graphSteps, expected) => {
    // GIVEN the invocation runs at SWEEP_AT, `lateByMs` after the execution started
    const startedAt = lateByMs === undefined ? undefined : SWEEP_AT - lateByMs;
    // WHEN
    const plan = planAtStart(A, startedAt, SWEEP_AT, INTERVAL_MS, graphSteps);
    // THEN
    expect(sorted(plan)).toEqual(expected);
  });

  it.each([0, 30_000, INTERVAL_MS - 1, INTERVAL_MS, 5 * INTERVAL_MS])(
    'GIVEN an execution %d ms old WHEN both its event and a sweep decide at that moment THEN exactly one of them expects its first task',
    (ageMs) => {
      // GIVEN
      const startedAt = SWEEP_AT - ageMs;
      // WHEN
      const byEvent = planAtStart(A, startedAt, SWEEP_AT, INTERVAL_MS, undefined);
      const bySweep = pollPlanAfterSweep({ ...findings({}), running: [{ arn: A, startedAt }] });
      // THEN
      const expecting = [byEvent, bySweep].filter((plan) => plan !== UNTIL_EMPTY && plan.has(A));
      expect(expecting).toHaveLength(1);
    },
  );
});

describe('pollPlanAfterSweep, executions younger than one check interval', () => {
  it.each<[string, Parameters<typeof findings>[0], string[]]>([
    ['an execution started 5 s ago, its start event maybe still queued', { young: { [A]: 5_000 } }, []],
    ['an execution started 59 s ago beside one 10 intervals old', { running: [B], young: { [A]: 59_000 } }, [B]],
    ['an execution started exactly one interval ago', { young: { [A]: INTERVAL_MS } }, [A]],
    ['a young execution whose next step became ready just now (a trigger step)', { young: { [A]: 5_000 }, successorReady: [A] }, [A]],
    ['a young execution that ended just now', { young: { [A]: 5_000 }, ended: [A] }, []],
  ])('GIVEN %s WHEN the plan is made THEN it expects tasks of exactly %j', (_label, f, expected) => {
    // WHEN
    const plan = pollPlanAfterSweep(findings(f));
    // THEN
    expect(sorted(plan)).toEqual(oneEach(expected));
  });
});

describe('expectsMoreTasks', () => {
  it.each<[string, string[]]>([
    ['nothing taken yet', []],
    ['some tasks taken', [A, B]],
  ])('GIVEN the plan is to poll until empty and %s WHEN asked THEN it always expects more', (_label, taken) => {
    // WHEN
    const more = expectsMoreTasks(UNTIL_EMPTY, takenOf(taken));
    // THEN
    expect(more).toBe(true);
  });

  it.each<[string, string[], string[], boolean]>([
    ['an empty plan, nothing taken', [], [], false],
    ['an empty plan, a task taken anyway', [], [A], false],
    ['one expected, nothing taken', [A], [], true],
    ['one expected, it was taken', [A], [A], false],
    ['one expected, another execution\'s taken instead', [A], [B], false],
    ['two expected, one taken', [A, B], [A], true],
    ['two expected, the other one taken', [A, B], [B], true],
    ['two expected, both taken', [A, B], [B, A], false],
    ['two expected, both taken and one more', [A, B], [A, B, C], false],
  ])('GIVEN %s WHEN asked THEN more tasks expected is %s', (_label, plan, taken, expected) => {
    // WHEN
    const more = expectsMoreTasks(expectOneEach(plan), takenOf(taken));
    // THEN
    expect(more).toBe(expected);
  });

  it('GIVEN a plan from a sweep WHEN its tasks are taken one by one THEN polling stops exactly when the last expected one was taken', () => {
    // GIVEN
    const plan = pollPlanAfterSweep(findings({ running: [A, B, C], occupied: [B], successorReady: [D] }));
    const taken: string[] = [];
    const answers: boolean[] = [expectsMoreTasks(plan, takenOf(taken))];
    // WHEN
    for (const execution of [D, A, C]) {
      taken.push(execution);
      answers.push(expectsMoreTasks(plan, takenOf(taken)));
    }
    // THEN
    expect(answers).toEqual([true, true, true, false]);
  });
});

describe('successorFollows', () => {
  it.each([
    [{ final: true }, false],
    [{ final: false }, true],
    [{}, true],
    [undefined, true],
  ])('GIVEN a step input %j WHEN it succeeds THEN a next task is expected: %s', (input, expected) => {
    expect(successorFollows(input)).toBe(expected);
  });
});

describe('pollPlanAfterSweep, steps that form a graph', () => {
  /** Findings of a graph pipeline of `steps` steps: per execution, tasks tracked and steps succeeded. */
  function graphFindings(f: {
    steps: number;
    running?: string[];
    young?: Record<string, number>;
    occupied?: string[];
    ended?: string[];
    successorReady?: string[];
    tracked?: Record<string, number>;
    succeeded?: Record<string, number>;
  }): SweepFindings {
    return {
      ...findings(f),
      graph: { steps: f.steps, tracked: new Map(Object.entries(f.tracked ?? {})), succeeded: new Map(Object.entries(f.succeeded ?? {})) },
    };
  }

  it.each<[string, number, number | undefined, number | undefined, number | undefined]>([
    ['nothing tracked or done yet (the execution just started)', 3, undefined, undefined, 3],
    ['nothing tracked or done, counted as zero', 3, 0, 0, 3],
    ['one task tracked', 3, 1, 0, 2],
    ['one tracked and one succeeded', 3, 1, 1, 1],
    ['all but one succeeded, none tracked (a Retry dispatched one again)', 3, 0, 2, 1],
    ['every task tracked', 3, 3, 0, undefined],
    ['every step accounted for, tracked or done', 3, 2, 1, undefined],
    ['every step succeeded', 3, 0, 3, undefined],
    ['more tracked than steps (counts that overlap)', 3, 4, 0, undefined],
    ['more tracked and done than steps', 3, 2, 2, undefined],
    ['a one-step graph not taken yet', 1, 0, 0, 1],
  ])('GIVEN a graph execution with %s WHEN the plan is made THEN it expects that many tasks of it', (_label, steps, tracked, succeeded, expected) => {
    // GIVEN
    const f = graphFindings({
      steps,
      running: [A],
      tracked: tracked === undefined ? {} : { [A]: tracked },
      succeeded: succeeded === undefined ? {} : { [A]: succeeded },
    });
    // WHEN
    const plan = pollPlanAfterSweep(f);
    // THEN
    expect(sorted(plan)).toEqual(expected === undefined ? [] : [[A, expected]]);
  });

  it('GIVEN several graph executions WHEN the plan is made THEN each is counted on its own, and one that ended is left out', () => {
    // GIVEN
    const f = graphFindings({
      steps: 4,
      running: [A, B, C, D],
      ended: [C],
      tracked: { [A]: 1, [B]: 4, [C]: 0 },
      succeeded: { [A]: 1, [D]: 3 },
    });
    // WHEN
    const plan = pollPlanAfterSweep(f);
    // THEN
    expect(sorted(plan)).toEqual([[A, 2], [D, 1]]);
  });

  it('GIVEN a graph execution younger than one interval WHEN the plan is made THEN its tasks are left to its start event', () => {
    // GIVEN one execution that just started (its event expects all 3 tasks) and one 10 intervals old
    const f = graphFindings({ steps: 3, running: [B], young: { [A]: 10_000 } });
    // WHEN
    const plan = pollPlanAfterSweep(f);
    // THEN
    expect(sorted(plan)).toEqual([[B, 3]]);
  });

  it('GIVEN a graph execution counted occupied WHEN the plan is made THEN occupancy does not hide its untaken tasks: only the counts decide', () => {
    // GIVEN
    const f = graphFindings({ steps: 3, running: [A], occupied: [A], tracked: { [A]: 1 } });
    // WHEN
    const plan = pollPlanAfterSweep(f);
    // THEN
    expect(sorted(plan)).toEqual([[A, 2]]);
  });

  it('GIVEN a successor ready of an execution whose untaken tasks are already counted WHEN the plan is made THEN the larger count stands', () => {
    // GIVEN
    const f = graphFindings({ steps: 3, running: [A, B], successorReady: [A, B], tracked: { [B]: 3 } });
    // WHEN
    const plan = pollPlanAfterSweep(f);
    // THEN
    expect(sorted(plan)).toEqual([[A, 3], [B, 1]]);
  });
});

describe('expectsMoreTasks, several tasks of one execution', () => {
  it.each<[string, Record<string, number>, string[], boolean]>([
    ['three of one execution expected, none taken', { [A]: 3 }, [], true],
    ['three expected, two taken', { [A]: 3 }, [A, A], true],
    ['three expected, three taken', { [A]: 3 }, [A, A, A], false],
    ['three expected, two of it and one of another taken', { [A]: 3 }, [A, B, A], false],
    ['three expected, four taken', { [A]: 3 }, [A, A, A, A], false],
    ['two of one and one of another, only the two taken', { [A]: 2, [B]: 1 }, [A, A], true],
    ['two of one and one of another, one of each taken', { [A]: 2, [B]: 1 }, [A, B], true],
    ['two of one and one of another, all taken', { [A]: 2, [B]: 1 }, [B, A, A], false],
    ['three expected, three of other executions taken instead', { [A]: 3 }, [B, C, D], false],
  ])('GIVEN %s WHEN asked THEN more tasks expected is %s', (_label, plan, taken, expected) => {
    // WHEN
    const more = expectsMoreTasks(new Map(Object.entries(plan)), takenOf(taken));
    // THEN
    expect(more).toBe(expected);
  });
});

describe('successorFollows, steps of a graph', () => {
  it.each([
    [{ dependsOn: [] }, false],
    [{ dependsOn: ['extract'] }, false],
    [{ final: false, dependsOn: ['extract', 'clean'] }, false],
    [{ final: true, dependsOn: [] }, false],
    [{ final: false, dependsOn: undefined }, true],
  ])('GIVEN a step input %j WHEN it succeeds THEN a next task is expected: %s (a graph hands out every task at the start)', (input, expected) => {
    expect(successorFollows(input)).toBe(expected);
  });
});

describe('tasksAtStart and expectOneEach', () => {
  it.each<[number | undefined, number]>([
    [undefined, 1],
    [1, 1],
    [5, 5],
  ])('GIVEN graphSteps %p WHEN an execution starts THEN %i of its tasks are expected', (graphSteps, expected) => {
    expect(tasksAtStart(graphSteps)).toBe(expected);
  });

  it('GIVEN executions listed, one twice WHEN a plan expecting one each is made THEN each is expected once', () => {
    expect(sorted(expectOneEach([B, A, B]))).toEqual([[A, 1], [B, 1]]);
  });

  it('GIVEN no executions WHEN a plan expecting one each is made THEN it expects nothing', () => {
    expect(expectsMoreTasks(expectOneEach([]), 0)).toBe(false);
  });
});

describe('expectsMoreTasks, a burst of invocations taking each other\'s tasks', () => {
  it('GIVEN three invocations each expecting its own execution\'s task WHEN each takes another\'s THEN none polls again: no empty long poll', () => {
    // GIVEN invocation 1 expects A, 2 expects B, 3 expects C; the activity hands out C, A, B in that order
    const invocations = [[A, C], [B, A], [C, B]] as const;
    // WHEN each asks after taking the one task it was handed
    const more = invocations.map(([expected, handed]) => expectsMoreTasks(expectOneEach([expected]), takenOf([handed])));
    // THEN
    expect(more).toEqual([false, false, false]);
  });
});
