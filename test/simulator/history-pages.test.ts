import { HistoryEvent } from '../../simulator/history-events';
import { historyPage, historyPageSize, HistoryTokens, withoutExecutionData } from '../../simulator/local-aws/history-pages';

describe('historyPageSize: GetExecutionHistory maxResults', () => {
  test.each<[unknown, number | string]>([
    [undefined, 100],
    [0, 100],
    [1, 1],
    [1000, 1000],
    [1001, 'ValidationException'],
    [-1, 'ValidationException'],
    [2.5, 'ValidationException'],
    ['10', 'ValidationException'],
  ])('%p: %p', (maxResults, expected) => {
    if (typeof expected === 'number') {
      expect(historyPageSize(maxResults)).toBe(expected);
    } else {
      expect(() => historyPageSize(maxResults)).toThrow(expect.objectContaining({ code: expected }));
    }
  });
});

describe('historyPage: pages kept by event id', () => {
  const history: HistoryEvent[] = [1, 2, 3, 4, 5].map((id) => ({ timestamp: 0, id, previousEventId: id - 1, type: 'X' }));
  test.each<[number | undefined, number, boolean, number[], number | undefined]>([
    [undefined, 2, false, [1, 2], 3],
    [3, 2, false, [3, 4], 5],
    [5, 2, false, [5], undefined],
    [undefined, 5, false, [1, 2, 3, 4, 5], undefined],
    [undefined, 2, true, [5, 4], 3],
    [3, 2, true, [3, 2], 1],
    [1, 2, true, [1], undefined],
  ])('from %p, %p a page, reverse %p: %p, next %p', (fromId, size, reverse, ids, nextId) => {
    const page = historyPage(history, fromId, size, reverse);
    expect(page.events.map((e) => e.id)).toEqual(ids);
    expect(page.nextId).toBe(nextId);
  });
});

test('withoutExecutionData drops the details\' input and output, keeps the rest', () => {
  const head = { timestamp: 1, id: 2, previousEventId: 1, type: 'TaskStateExited' };
  const event: HistoryEvent = { ...head, stateExitedEventDetails: { name: 'load', output: '{}', outputDetails: { truncated: false } } };
  expect(withoutExecutionData(event)).toEqual({ ...head, stateExitedEventDetails: { name: 'load', outputDetails: { truncated: false } } });
  expect(withoutExecutionData({ timestamp: 1, id: 3, previousEventId: 2, type: 'ExecutionFailed', executionFailedEventDetails: { error: 'E', cause: 'C' } }))
    .toEqual({ timestamp: 1, id: 3, previousEventId: 2, type: 'ExecutionFailed', executionFailedEventDetails: { error: 'E', cause: 'C' } });
});

test('HistoryTokens: a token redeems only for the execution and order it was handed out for', () => {
  const tokens = new HistoryTokens();
  const token = tokens.issue('arn:e1', false, 7);
  expect(tokens.redeem(token, 'arn:e1', false)).toBe(7);
  expect(() => tokens.redeem(token, 'arn:e2', false)).toThrow(expect.objectContaining({ code: 'InvalidToken' }));
  expect(() => tokens.redeem(token, 'arn:e1', true)).toThrow(expect.objectContaining({ code: 'InvalidToken' }));
  expect(() => tokens.redeem('made-up', 'arn:e1', false)).toThrow(expect.objectContaining({ code: 'InvalidToken' }));
});
