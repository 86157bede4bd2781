import { clockText, renderSteps } from '../../simulator/step-progress';

test.each([[0, '0:00'], [59.6, '1:00'], [605, '10:05'], [undefined, '']])('clockText(%p) = %p', (seconds, text) => {
  expect(clockText(seconds)).toBe(text);
});

test('renderSteps lines up name, status, elapsed and run id, and marks repeated attempts', () => {
  expect(renderSteps([
    { name: 'extract', status: 'SUCCEEDED', elapsed: 312, jobRunId: 'jr_1', attempts: 1 },
    { name: 'load', status: 'Glue RUNNING', elapsed: 5, jobRunId: 'jr_2', attempts: 2 },
    { name: 'report', status: 'pending', attempts: 0 },
  ])).toEqual([
    'step     status        elapsed  Glue run id',
    'extract  SUCCEEDED        5:12  jr_1',
    'load     Glue RUNNING     0:05  jr_2 (attempt 2)',
    'report   pending                ',
  ]);
});
