import { expectsMoreTasks, PollPlan, pollPlanAfterSweep, successorFollows, SweepFindings, UNTIL_EMPTY } from '../../src/lambda/poll-plan';

const arn = (n: number) => `arn:aws:states:us-east-1:111122223333:execution:sm:exec-${n}`;
const A = arn(1);
const B = arn(2);
const C = arn(3);
const D = arn(4);

function findings(f: { running?: string[]; occupied?: string[]; successorReady?: string[]; ended?: string[] }): SweepFindings {
  return {
    running: f.running ?? [],
    occupied: new Set(f.occupied ?? []),
    successorReady: new Set(f.successorReady ?? []),
    ended: new Set(f.ended ?? []),
  };
}

/** The plan as a sorted array, to compare with toEqual (a set's order is its insertion order). */
function sorted(plan: PollPlan): string[] | typeof UNTIL_EMPTY {
  return plan === UNTIL_EMPTY ? plan : [...plan].sort();
}

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
    expect(sorted(plan)).toEqual([...expected].sort());
  });

  it('GIVEN a successor ready that is also counted occupied WHEN the plan is made THEN it is still expected: its next step was just dispatched', () => {
    // GIVEN
    const f = findings({ running: [A], occupied: [A], successorReady: [A] });
    // WHEN
    const plan = pollPlanAfterSweep(f);
    // THEN
    expect(sorted(plan)).toEqual([A]);
  });

  it('GIVEN running executions WHEN the plan is made THEN the findings passed in are not changed', () => {
    // GIVEN
    const f = findings({ running: [A, B], occupied: [A], successorReady: [C] });
    // WHEN
    pollPlanAfterSweep(f);
    // THEN
    expect([...f.running]).toEqual([A, B]);
    expect([...f.occupied]).toEqual([A]);
    expect([...f.successorReady]).toEqual([C]);
    expect([...f.ended]).toEqual([]);
  });
});

describe('expectsMoreTasks', () => {
  it.each<[string, string[]]>([
    ['nothing taken yet', []],
    ['some tasks taken', [A, B]],
  ])('GIVEN the plan is to poll until empty and %s WHEN asked THEN it always expects more', (_label, taken) => {
    // WHEN
    const more = expectsMoreTasks(UNTIL_EMPTY, new Set(taken));
    // THEN
    expect(more).toBe(true);
  });

  it.each<[string, string[], string[], boolean]>([
    ['an empty plan, nothing taken', [], [], false],
    ['an empty plan, a task taken anyway', [], [A], false],
    ['one expected, nothing taken', [A], [], true],
    ['one expected, it was taken', [A], [A], false],
    ['one expected, another taken', [A], [B], true],
    ['two expected, one taken', [A, B], [A], true],
    ['two expected, the other one taken', [A, B], [B], true],
    ['two expected, both taken', [A, B], [B, A], false],
    ['two expected, both taken and one more', [A, B], [A, B, C], false],
  ])('GIVEN %s WHEN asked THEN more tasks expected is %s', (_label, plan, taken, expected) => {
    // WHEN
    const more = expectsMoreTasks(new Set(plan), new Set(taken));
    // THEN
    expect(more).toBe(expected);
  });

  it('GIVEN a plan from a sweep WHEN its tasks are taken one by one THEN polling stops exactly when the last expected one was taken', () => {
    // GIVEN
    const plan = pollPlanAfterSweep(findings({ running: [A, B, C], occupied: [B], successorReady: [D] }));
    const taken = new Set<string>();
    const answers: boolean[] = [expectsMoreTasks(plan, taken)];
    // WHEN
    for (const execution of [D, A, C]) {
      taken.add(execution);
      answers.push(expectsMoreTasks(plan, taken));
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
