import { endEventOf, exitsByState, HistoryEvent, HistoryRecorder, stateEventOf } from '../../simulator/history-events';

describe('stateEventOf: the history event a state\'s entry or exit adds', () => {
  test.each<[string, Parameters<typeof stateEventOf>[0], unknown]>([
    ['a Task entered', { type: 'StateEntered', state: { name: 'load', type: 'Task', input: { a: 1 } } },
      { type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'load', input: '{"a":1}', inputDetails: { truncated: false } } }],
    ['a Choice exited', { type: 'StateExited', state: { name: 'pick', type: 'Choice', input: {}, output: { b: 2 } } },
      { type: 'ChoiceStateExited', stateExitedEventDetails: { name: 'pick', output: '{"b":2}', outputDetails: { truncated: false } } }],
    ['a Parallel entered', { type: 'StateEntered', state: { name: 'graph', type: 'Parallel', input: [] } },
      { type: 'ParallelStateEntered', stateEnteredEventDetails: { name: 'graph', input: '[]', inputDetails: { truncated: false } } }],
    ['a state that failed: nothing', { type: 'StateFailed', state: { name: 'load', type: 'Task', input: {} } }, undefined],
    ['a retry: nothing', { type: 'StateRetried', state: { name: 'load', type: 'Task', input: {} } }, undefined],
    ['a Parallel branch: nothing', { type: 'ParallelBranchStarted' }, undefined],
  ])('%s', (_case, event, expected) => {
    expect(stateEventOf(event)).toEqual(expected);
  });
});

describe('endEventOf: the event that closes a run', () => {
  test.each<[Parameters<typeof endEventOf>[0], unknown]>([
    [{ status: 'SUCCEEDED', output: { rows: 3 } },
      { type: 'ExecutionSucceeded', executionSucceededEventDetails: { output: '{"rows":3}', outputDetails: { truncated: false } } }],
    [{ status: 'FAILED', error: 'Glue.Failed', cause: 'why' }, { type: 'ExecutionFailed', executionFailedEventDetails: { error: 'Glue.Failed', cause: 'why' } }],
    [{ status: 'TIMED_OUT', error: 'States.Timeout' }, { type: 'ExecutionTimedOut', executionTimedOutEventDetails: { error: 'States.Timeout' } }],
    [{ status: 'ABORTED' }, { type: 'ExecutionAborted', executionAbortedEventDetails: {} }],
  ])('%o', (end, expected) => {
    expect(endEventOf(end)).toEqual(expected);
  });
});

test('exitsByState counts each state\'s exits, entries and other events not', () => {
  const event = (id: number, type: string, details: Record<string, unknown>): HistoryEvent =>
    ({ timestamp: 0, id, previousEventId: id - 1, type, ...details });
  expect(exitsByState([
    event(1, 'TaskStateEntered', { stateEnteredEventDetails: { name: 'a' } }),
    event(2, 'TaskStateExited', { stateExitedEventDetails: { name: 'a' } }),
    event(3, 'PassStateExited', { stateExitedEventDetails: { name: 'a' } }),
    event(4, 'TaskStateExited', { stateExitedEventDetails: { name: 'b' } }),
    event(5, 'ExecutionFailed', { executionFailedEventDetails: {} }),
  ])).toEqual(new Map([['a', 2], ['b', 1]]));
});

describe('HistoryRecorder', () => {
  const entered = (name: string) => ({ type: 'StateEntered', state: { name, type: 'Task', input: {} } });
  const exited = (name: string) => ({ type: 'StateExited', state: { name, type: 'Task', input: {}, output: {} } });
  const names = (history: HistoryEvent[]) => history.map((e) => [e.id, e.previousEventId, e.type,
    (e.stateEnteredEventDetails as { name?: string } | undefined)?.name ?? (e.stateExitedEventDetails as { name?: string } | undefined)?.name]);

  test('a redrive leaves out the entries and exits of the states that had exited, once each, and records the rest', () => {
    // GIVEN a first run: a exited, b entered and failed
    const history: HistoryEvent[] = [];
    const first = new HistoryRecorder(history, () => 100);
    first.started({}, 0);
    [entered('a'), exited('a'), entered('b')].forEach((e) => first.interpreterEvent(e));
    first.end({ status: 'FAILED', error: 'E' });
    // WHEN the redrive reruns a (replayed), b, then c
    const redrive = new HistoryRecorder(history, () => 200);
    redrive.started({}, 1);
    [entered('a'), exited('a'), entered('b'), exited('b'), entered('c'), exited('c')].forEach((e) => redrive.interpreterEvent(e));
    redrive.end({ status: 'SUCCEEDED', output: {} });
    // THEN
    expect(names(history)).toEqual([
      [1, 0, 'ExecutionStarted', undefined],
      [2, 1, 'TaskStateEntered', 'a'], [3, 2, 'TaskStateExited', 'a'],
      [4, 3, 'TaskStateEntered', 'b'],
      [5, 4, 'ExecutionFailed', undefined],
      [6, 5, 'ExecutionRedriven', undefined],
      [7, 6, 'TaskStateEntered', 'b'], [8, 7, 'TaskStateExited', 'b'],
      [9, 8, 'TaskStateEntered', 'c'], [10, 9, 'TaskStateExited', 'c'],
      [11, 10, 'ExecutionSucceeded', undefined],
    ]);
    expect(history.map((e) => e.timestamp)).toEqual([100, 100, 100, 100, 100, 200, 200, 200, 200, 200, 200]);
  });

  test('nothing after the end event: the interpreter may still report states it was stopping; a second end is ignored', () => {
    const history: HistoryEvent[] = [];
    const recorder = new HistoryRecorder(history, () => 0);
    recorder.started({}, 0);
    recorder.interpreterEvent(entered('a'));
    recorder.end({ status: 'ABORTED' });
    recorder.interpreterEvent(exited('a'));
    recorder.end({ status: 'FAILED' });
    expect(history.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'ExecutionAborted']);
    expect(recorder.ended).toBe(true);
  });
});
