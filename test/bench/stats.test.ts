import { formatTable, percentile, summarize } from '../../bench/stats';

const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

describe('percentile (nearest rank)', () => {
  it('GIVEN a single value WHEN any percentile is asked THEN it is that value', () => {
    expect(percentile([7], 0)).toBe(7);
    expect(percentile([7], 50)).toBe(7);
    expect(percentile([7], 100)).toBe(7);
  });

  it('GIVEN 1..100 WHEN p50 and p99 are asked THEN they are 50 and 99', () => {
    expect(percentile(oneToHundred, 50)).toBe(50);
    expect(percentile(oneToHundred, 99)).toBe(99);
    expect(percentile(oneToHundred, 100)).toBe(100);
    expect(percentile(oneToHundred, 0)).toBe(1);
  });

  it('GIVEN few values WHEN a percentile falls between ranks THEN the next measured value is returned, not an interpolation', () => {
    expect(percentile([10, 20, 30, 40], 50)).toBe(20);
    expect(percentile([10, 20, 30, 40], 51)).toBe(30);
  });

  it('GIVEN unsorted input WHEN a percentile is asked THEN the values are ranked and the input is left as it was', () => {
    const values = [5, 1, 4, 2, 3];
    expect(percentile(values, 50)).toBe(3);
    expect(percentile(values, 100)).toBe(5);
    expect(values).toEqual([5, 1, 4, 2, 3]);
  });

  it('GIVEN no values WHEN a percentile is asked THEN it throws saying the list is empty', () => {
    expect(() => percentile([], 50)).toThrow(/empty/);
  });

  it('GIVEN p outside 0..100 WHEN a percentile is asked THEN it throws', () => {
    expect(() => percentile([1], 101)).toThrow(/0\.\.100/);
    expect(() => percentile([1], -1)).toThrow(/0\.\.100/);
  });
});

describe('summarize', () => {
  it('GIVEN 1..100 WHEN summarized THEN n, p50, p99, max and mean are right', () => {
    expect(summarize(oneToHundred)).toEqual({ n: 100, p50: 50, p99: 99, max: 100, mean: 50.5 });
  });
});

describe('formatTable', () => {
  it('GIVEN text and number columns WHEN formatted THEN it is a markdown table with number columns right-aligned', () => {
    expect(formatTable(['mode', 'p50 ms'], [['ours', 12], ['old | sample', 340]])).toBe([
      '| mode | p50 ms |',
      '| --- | ---: |',
      '| ours | 12 |',
      '| old \\| sample | 340 |',
    ].join('\n'));
  });
});
