import { Prng } from '../../soak/prng';

const draws = (rng: Prng, n = 5) => Array.from({ length: n }, () => rng.next());

test('GIVEN the same seed and labels WHEN two streams are drawn THEN they are the same', () => {
  expect(draws(Prng.of(7, 'pipeline', 3))).toEqual(draws(Prng.of(7, 'pipeline', 3)));
});

test.each<[string, Array<string | number>, Array<string | number>]>([
  ['another seed', [7, 'pipeline', 3], [8, 'pipeline', 3]],
  ['another index', [7, 'pipeline', 3], [7, 'pipeline', 4]],
  ['another label', [7, 'pipeline', 3], [7, 'faults', 3]],
])('GIVEN %s WHEN streams are drawn THEN they differ', (_what, [seedA, ...a], [seedB, ...b]) => {
  expect(draws(Prng.of(Number(seedA), ...a))).not.toEqual(draws(Prng.of(Number(seedB), ...b)));
});

test('GIVEN a stream WHEN it draws THEN numbers are in [0, 1), integers in their bounds, and spread out', () => {
  const rng = Prng.of(1, 'spread');
  const values = draws(rng, 10_000);
  expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  expect(Math.abs(mean - 0.5)).toBeLessThan(0.02);
  const ints = Array.from({ length: 2_000 }, () => rng.int(1, 12));
  expect(new Set(ints)).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
});

test.each<[string, () => unknown, RegExp]>([
  ['int with min > max', () => Prng.of(1).int(3, 2), /int\(3, 2\)/],
  ['pick from nothing', () => Prng.of(1).pick([]), /empty/],
  ['weights summing to zero', () => Prng.of(1).weighted([['a', 0]]), /positive/],
])('GIVEN %s WHEN drawn THEN it throws', (_what, draw, message) => {
  expect(draw).toThrow(message);
});

test('GIVEN weights WHEN drawn many times THEN a zero weight is never drawn and the rest follow their weights', () => {
  const rng = Prng.of(2, 'weights');
  const counts = { a: 0, b: 0, never: 0 };
  for (let i = 0; i < 4_000; i++) {
    counts[rng.weighted([['a', 1], ['b', 3], ['never', 0]] as const)]++;
  }
  expect(counts.never).toBe(0);
  expect(counts.b / counts.a).toBeGreaterThan(2.5);
  expect(counts.b / counts.a).toBeLessThan(3.5);
});

test('GIVEN a list WHEN a subset is drawn THEN its elements are distinct, in list order, and no more than asked', () => {
  const rng = Prng.of(3, 'subset');
  for (let i = 0; i < 100; i++) {
    const subset = rng.subset(['a', 'b', 'c', 'd'], 3);
    expect(subset.length).toBe(3);
    expect([...subset].sort()).toEqual(subset);
  }
  expect(rng.subset(['a'], 3)).toEqual(['a']);
});
