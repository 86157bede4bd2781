/** Small statistics and formatting helpers for the benchmark report. */

export interface Summary {
  readonly n: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/**
 * Nearest-rank percentile: the smallest value with at least p% of the values at or below it.
 * It is always one of the measured values, never an interpolation.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) {
    throw new Error('percentile of an empty list of values is undefined');
  }
  if (!(p >= 0 && p <= 100)) {
    throw new Error(`percentile p must be within 0..100, got ${p}`);
  }
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

export function summarize(values: readonly number[]): Summary {
  return {
    n: values.length,
    p50: percentile(values, 50),
    p99: percentile(values, 99),
    max: percentile(values, 100),
    mean: values.reduce((sum, v) => sum + v, 0) / values.length,
  };
}

/** A GitHub-markdown table; columns whose cells are all numbers are right-aligned. */
export function formatTable(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const numeric = headers.map((_, col) => rows.length > 0 && rows.every((row) => typeof row[col] === 'number'));
  const line = (cells: readonly (string | number)[]) => `| ${cells.map((cell) => String(cell).replace(/\|/g, '\\|')).join(' | ')} |`;
  return [
    line(headers),
    line(numeric.map((right) => (right ? '---:' : '---'))),
    ...rows.map(line),
  ].join('\n');
}
