import { mapSettledBounded } from '../../src/lambda/aws/bounded';

/** A promise the test resolves by hand, to control how long each call stays in flight. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('mapSettledBounded', () => {
  it('GIVEN 20 slow items and a limit of 3 WHEN mapped THEN never more than 3 calls are in flight, and all 20 run', async () => {
    // GIVEN
    const items = Array.from({ length: 20 }, (_, i) => i);
    let inFlight = 0;
    let maxInFlight = 0;
    const calls: number[] = [];
    // WHEN
    const results = await mapSettledBounded(items, 3, async (i) => {
      calls.push(i);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await tick();
      inFlight--;
      return i * 10;
    });
    // THEN
    expect(maxInFlight).toBe(3);
    expect(calls.sort((a, b) => a - b)).toEqual(items);
    expect(results).toEqual(items.map((i) => ({ status: 'fulfilled', value: i * 10 })));
  });

  it('GIVEN the first calls hang WHEN mapped THEN no call beyond the limit starts until one finishes', async () => {
    // GIVEN
    const gates = [deferred<void>(), deferred<void>(), deferred<void>()];
    const started: number[] = [];
    // WHEN
    const run = mapSettledBounded([0, 1, 2], 2, async (i) => {
      started.push(i);
      await gates[i].promise;
      return i;
    });
    await tick();
    // THEN
    expect(started).toEqual([0, 1]);
    gates[1].resolve();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    gates[0].resolve();
    gates[2].resolve();
    await expect(run).resolves.toHaveLength(3);
  });

  it('GIVEN one item that rejects WHEN mapped THEN the others still run and the results keep input order', async () => {
    // GIVEN
    const boom = new Error('boom');
    const seen: string[] = [];
    // WHEN
    const results = await mapSettledBounded(['a', 'b', 'c', 'd'], 2, async (s) => {
      seen.push(s);
      if (s === 'a') {
        throw boom;
      }
      await tick();
      return s.toUpperCase();
    });
    // THEN
    expect(seen.sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(results).toEqual([
      { status: 'rejected', reason: boom },
      { status: 'fulfilled', value: 'B' },
      { status: 'fulfilled', value: 'C' },
      { status: 'fulfilled', value: 'D' },
    ]);
  });

  it('GIVEN no items WHEN mapped THEN the function is never called', async () => {
    // GIVEN
    const fn = jest.fn(async () => 1);
    // WHEN
    const results = await mapSettledBounded([], 8, fn);
    // THEN
    expect(results).toEqual([]);
    expect(fn).not.toHaveBeenCalled();
  });
});
