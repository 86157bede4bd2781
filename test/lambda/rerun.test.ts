import { stepInput } from './fixtures';
import { earlierRunOf, earlierRunProblem, HistoryEventView, rerunChoice, reusedResult } from '../../src/lambda/decisions/rerun';
import { parseTaskInput, InvalidTaskInputError } from '../../src/lambda/entry/task-input';
import { earlierExecutionArn, readRerunRequest, RerunRequestError } from '../../src/shared/rerun';

const MACHINE = 'arn:aws:states:us-east-1:111122223333:stateMachine:nightly';
const EARLIER = 'arn:aws:states:us-east-1:111122223333:execution:nightly:run-2026-11-01';
const NOW_EXECUTION = 'arn:aws:states:us-east-1:111122223333:execution:nightly:run-2026-11-01-from-transform';
const reused = (step: string) => ({ jobRunId: `jr_${step}`, stepName: step, reusedFrom: EARLIER });
const ran = (step: string) => ({ jobRunId: `jr_${step}_new`, stepName: step });

describe('readRerunRequest', () => {
  test.each<[string, unknown, object | undefined]>([
    ['absent', undefined, undefined],
    ['null', null, undefined],
    ['false', false, undefined],
    ['"none", as the state machine sets it', 'none', undefined],
    ['a name', { step: 'transform', execution: 'run-2026-11-01' }, { step: 'transform', execution: 'run-2026-11-01' }],
    ['an ARN', { step: 't_2', execution: EARLIER }, { step: 't_2', execution: EARLIER }],
  ])('%s', (_what, value, expected) => {
    expect(readRerunRequest(value)).toEqual(expected);
  });

  test.each<[string, unknown, RegExp]>([
    ['a string', 'transform', /rerunFrom must be an object, got "transform"/],
    ['a list', ['transform'], /rerunFrom must be an object/],
    ['no step', { execution: 'x' }, /rerunFrom\.step must be the name of a step of the pipeline, got undefined/],
    ['a step that is no step name', { step: 'load data', execution: 'x' }, /rerunFrom\.step .* got "load data"/],
    ['no execution', { step: 'load' }, /rerunFrom\.execution must be the name or ARN of an earlier execution, got undefined/],
    ['an empty execution', { step: 'load', execution: '' }, /rerunFrom\.execution/],
    ['a field it does not know', { step: 'load', execution: 'x', from: 'y' }, /rerunFrom has fields it does not know: from/],
  ])('refuses %s, naming it and the shape to write', (_what, value, message) => {
    expect(() => readRerunRequest(value)).toThrow(RerunRequestError);
    expect(() => readRerunRequest(value)).toThrow(message);
    expect(() => readRerunRequest(value)).toThrow(/write rerunFrom as \{"step": /);
  });

  test('a task whose rerunFrom cannot be read fails with Pipeline.InvalidInput, naming the execution input', () => {
    const raw = JSON.stringify({ ...stepInput(1), rerunFrom: { step: 'transform' } });
    expect(() => parseTaskInput(raw)).toThrow(InvalidTaskInputError);
    expect(() => parseTaskInput(raw)).toThrow(/the execution input's rerunFrom\.execution must be/);
    expect(parseTaskInput(JSON.stringify({ ...stepInput(1), rerunFrom: 'none' })).rerunFrom).toBeUndefined();
  });
});

describe('earlierExecutionArn', () => {
  test.each([
    ['a name', 'run-2026-11-01', EARLIER],
    ['an ARN of this state machine', EARLIER, EARLIER],
  ])('%s', (_what, execution, expected) => {
    expect(earlierExecutionArn(execution, MACHINE)).toBe(expected);
  });

  test.each([
    ['another state machine\'s execution', 'arn:aws:states:us-east-1:111122223333:execution:other:run-1', /is not an execution of this pipeline's state machine/],
    ['an ARN with no name', 'arn:aws:states:us-east-1:111122223333:execution:nightly:', /is not an execution of this pipeline's state machine/],
    ['a name with a colon', 'nightly:run-1', /is no execution name/],
    ['a name of 81 characters', 'x'.repeat(81), /is no execution name/],
  ])('refuses %s', (_what, execution, message) => {
    expect(() => earlierExecutionArn(execution, MACHINE)).toThrow(message);
  });
});

describe('rerunChoice: a step runs when it is the one named, or a step it comes after ran', () => {
  const request = { step: 'transform', execution: 'run-2026-11-01' };
  const seq = (name: string, follows?: string) => stepInput(name, { stepName: name, follows, rerunFrom: request });
  const graph = (name: string, dependsOn: string[]) => stepInput(name, { stepName: name, dependsOn, rerunFrom: request });

  test.each<[string, ReturnType<typeof stepInput>, Array<[string, Record<string, unknown>]>, 'run' | 'reuse']>([
    ['no re-run: every step runs', stepInput('extract', { stepName: 'extract' }), [], 'run'],
    ['sequence, the first step, not the one named', seq('extract'), [], 'reuse'],
    ['sequence, a step after a reused one', seq('clean', 'extract'), [['extract', reused('extract')]], 'reuse'],
    ['sequence, the step named, after a reused one', seq('transform', 'clean'), [['clean', reused('clean')]], 'run'],
    ['sequence, the step after the one named (which keeps no result)', seq('load', 'transform'), [], 'run'],
    ['sequence, a step after one that ran and kept its result', seq('load', 'transform'), [['transform', ran('transform')]], 'run'],
    ['sequence, the first step is the one named', seq('transform'), [], 'run'],
    ['graph, a root that is not the one named', graph('extract', []), [], 'reuse'],
    ['graph, the root named', graph('transform', []), [], 'run'],
    ['graph, every dependency reused', graph('join', ['a', 'b']), [['a', reused('a')], ['b', reused('b')]], 'reuse'],
    ['graph, one dependency ran', graph('join', ['a', 'transform']), [['a', reused('a')], ['transform', ran('transform')]], 'run'],
    ['graph, the one named, its dependencies reused', graph('transform', ['a']), [['a', reused('a')]], 'run'],
  ])('%s', (_what, input, done, expected) => {
    expect(rerunChoice(input, new Map(done))).toBe(expected);
  });
});

describe('earlierRunOf, earlierRunProblem and reusedResult: a reused step takes its result from the earlier execution\'s history', () => {
  const entered = (name: string): HistoryEventView => ({ type: 'TaskStateEntered', stateEnteredEventDetails: { name } });
  const exited = (name: string, output: unknown): HistoryEventView => ({ type: 'TaskStateExited', stateExitedEventDetails: { name, output: JSON.stringify(output) } });
  const extractResult = { jobRunId: 'jr_1', stepName: 'extract' };
  const sequenceHistory: HistoryEventView[] = [
    { type: 'ExecutionStarted' },
    { type: 'ChoiceStateEntered' },
    entered('extract'),
    exited('extract', { day: '2026-11-01', rerunFrom: 'none', results: { extract: extractResult } }),
    entered('transform'),
    { type: 'ExecutionFailed' },
  ];
  const input = (stepName: string, extra: object = {}) =>
    stepInput(stepName, { stepName, executionId: NOW_EXECUTION, rerunFrom: { step: 'transform', execution: 'run-2026-11-01' }, ...extra });

  test('a sequence step\'s result is its state\'s output at results.<step>, with reusedFrom', () => {
    const earlier = earlierRunOf(sequenceHistory);
    expect(earlier).toEqual({ ended: true, entered: new Set(['extract', 'transform']), results: new Map([['extract', extractResult]]) });
    expect(earlierRunProblem(input('extract'), earlier, EARLIER)).toBeUndefined();
    expect(reusedResult(input('extract'), earlier, EARLIER)).toEqual({ jobRunId: 'jr_1', stepName: 'extract', reusedFrom: EARLIER });
  });

  test('a graph step\'s result is its branch state\'s output; the last exit counts (a redrive), and an earlier reusedFrom is replaced', () => {
    const history = [
      { type: 'ExecutionStarted' }, entered('a'), entered('b'),
      exited('a', { crawlId: 'old', stepName: 'a' }),
      { type: 'ExecutionFailed' }, { type: 'ExecutionRedriven' },
      exited('a', { crawlId: 'c_1', stepName: 'a', reusedFrom: 'arn:aws:states:us-east-1:111122223333:execution:nightly:older' }),
      exited('b', { jobRunId: 'jr_b', stepName: 'b' }),
      { type: 'ExecutionSucceeded' },
    ];
    const graphInput = stepInput('a', { stepName: 'a', dependsOn: [], executionId: NOW_EXECUTION, rerunFrom: { step: 'b', execution: 'run-2026-11-01' } });
    expect(reusedResult(graphInput, earlierRunOf(history), EARLIER)).toEqual({ crawlId: 'c_1', stepName: 'a', reusedFrom: EARLIER });
  });

  test('a pipeline that changed shape still finds a step\'s result: a graph\'s step in a sequence\'s output, and the other way round', () => {
    const asSequence = earlierRunOf([exited('a', { results: { a: { jobRunId: 'jr_a', stepName: 'a' } } })]);
    const asGraph = earlierRunOf([exited('a', { jobRunId: 'jr_a', stepName: 'a' })]);
    for (const earlier of [asSequence, asGraph]) {
      expect(earlier.results.get('a')).toEqual({ jobRunId: 'jr_a', stepName: 'a' });
    }
    // an output that is no result of that step gives none
    expect(earlierRunOf([exited('a', { jobRunId: 'jr_x', stepName: 'x' }), exited('b', 'text')]).results.size).toBe(0);
  });

  test('a step that did not succeed there (a branch the failure aborted) has no result to reuse: it runs', () => {
    const history = [...sequenceHistory.slice(0, -1), { type: 'ExecutionFailed' }];
    expect(reusedResult(input('transform', { rerunFrom: { step: 'extract', execution: 'x' } }), earlierRunOf(history), EARLIER)).toBeUndefined();
  });

  test.each<[string, HistoryEventView[], ReturnType<typeof input>, string, RegExp]>([
    ['the execution itself', sequenceHistory, input('extract'), NOW_EXECUTION, /names this execution; name the earlier execution/],
    ['an execution still running', sequenceHistory.slice(0, -1), input('extract'), EARLIER, /has not ended \(it runs, or is being redriven\)/],
    ['a redriven execution running again', [...sequenceHistory, { type: 'ExecutionRedriven' }], input('extract'), EARLIER, /has not ended/],
    ['a step the earlier execution never reached', sequenceHistory, input('extract', { rerunFrom: { step: 'load', execution: 'run-2026-11-01' } }), EARLIER,
      /never reached a step "load": a re-run starts from a step the earlier execution reached, .*\(it reached: extract, transform\)/],
  ])('refuses %s, saying what to do', (_what, history, taskInput, earlierArn, message) => {
    expect(earlierRunProblem(taskInput, earlierRunOf(history), earlierArn)).toMatch(message);
  });

  test('an event after the end that does not start a run again leaves the execution ended', () => {
    expect(earlierRunOf([...sequenceHistory, { type: 'SomeLaterEvent' }]).ended).toBe(true);
    expect(earlierRunOf([{ type: 'ExecutionStarted' }, entered('a')]).ended).toBe(false);
  });
});
