import { RefusedError } from '../../src/cli/exit-codes';
import { defaultRerunName, MAX_RERUN_NAMES } from '../../src/cli/rerun/rerun-name';

describe('defaultRerunName', () => {
  test.each<[string, string, number, string]>([
    ['run-2026-11-30', 'transform', 1, 'run-2026-11-30-from-transform'],
    ['run-2026-11-30', 'transform', 2, 'run-2026-11-30-from-transform-2'],
    ['run-2026-11-30', 'transform', MAX_RERUN_NAMES, 'run-2026-11-30-from-transform-99'],
    // a rerun of a rerun
    ['run-2026-11-30-from-transform', 'load', 1, 'run-2026-11-30-from-transform-from-load'],
    // a console execution's name (a UUID)
    ['0f6a3c1e-8b1d-4e55-9a39-6a8d1c2b7e11', 'load', 1, '0f6a3c1e-8b1d-4e55-9a39-6a8d1c2b7e11-from-load'],
    // 80 characters exactly
    [`${'e'.repeat(70)}`, 'load', 1, `${'e'.repeat(70)}-from-load`],
  ])('%s from %s, name %d: %s', (earlier, step, n, name) => {
    expect(defaultRerunName(earlier, step, n)).toBe(name);
  });

  test.each<[string, string, string, number, RegExp]>([
    ['81 characters', 'e'.repeat(71), 'load', 1, /is 81 characters, more than Step Functions' 80: give the new execution a shorter name with --name/],
    ['81 characters with -2', 'e'.repeat(69), 'load', 2, /-from-load-2" is 81 characters.*--name/],
    ['a dot from the earlier name', 'run.2026', 'load', 1, /"run.2026-from-load" has characters other than letters.*give the new execution a name with --name/],
    ['every numbered name taken', 'run-2026-11-30', 'load', MAX_RERUN_NAMES + 1, /run-2026-11-30-from-load and its 98 numbered names \(-2 to -99\) are all taken: .*--name/],
  ])('refuses %s', (_, earlier, step, n, message) => {
    expect(() => defaultRerunName(earlier, step, n)).toThrow(RefusedError);
    expect(() => defaultRerunName(earlier, step, n)).toThrow(message);
  });
});
