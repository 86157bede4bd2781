import { createHash } from 'crypto';

/**
 * A seeded pseudo-random stream (sfc32). Streams are derived from the soak's seed and a path of
 * labels (`Prng.of(seed, 'pipeline', 3, 'faults')`), never from one shared stream, so what a
 * pipeline, an execution or a fault draws does not depend on how much anything else drew before
 * it, nor on the order in which calls happen to arrive.
 */
export class Prng {
  /** The stream of `seed` under `labels`. */
  public static of(seed: number, ...labels: Array<string | number>): Prng {
    const digest = createHash('sha256').update([seed, ...labels].join('/')).digest();
    return new Prng([0, 4, 8, 12].map((at) => digest.readUInt32LE(at)));
  }

  private state: number[];

  private constructor(state: number[]) {
    this.state = state;
    // The first outputs of sfc32 are weakly mixed: discard a few.
    for (let i = 0; i < 12; i++) {
      this.next();
    }
  }

  /** A number in [0, 1). sfc32 is bit arithmetic by nature. */
  public next(): number {
    /* eslint-disable no-bitwise */
    let [a, b, c, d] = this.state;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    this.state = [a, b, c, d];
    return (t >>> 0) / 4294967296;
    /* eslint-enable no-bitwise */
  }

  /** An integer in [min, max]. */
  public int(min: number, max: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new Error(`int(${min}, ${max}): need integers with min <= max`);
    }
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  public chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty list. */
  public pick<T>(items: readonly T[]): T {
    if (items.length === 0) {
      throw new Error('pick from an empty list');
    }
    return items[Math.floor(this.next() * items.length)];
  }

  /** One value, each as likely as its weight. */
  public weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    if (!(total > 0)) {
      throw new Error('weighted draw needs a positive total weight');
    }
    let r = this.next() * total;
    for (const [value, weight] of entries) {
      r -= weight;
      if (r < 0) {
        return value;
      }
    }
    return entries[entries.length - 1][0];
  }

  /** A few distinct elements (in their original order), `count` at most. */
  public subset<T>(items: readonly T[], count: number): T[] {
    const chosen = new Set<number>();
    while (chosen.size < Math.min(count, items.length)) {
      chosen.add(Math.floor(this.next() * items.length));
    }
    return items.filter((_, i) => chosen.has(i));
  }
}
