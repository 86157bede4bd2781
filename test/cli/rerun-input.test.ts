import { RefusedError } from '../../src/cli/exit-codes';
import { earlierInput, rerunInput } from '../../src/cli/rerun/rerun-input';
import { readRerunRequest } from '../../src/shared/rerun';

const EARLIER = 'arn:aws:states:eu-west-1:123456789012:execution:Orders:run-2026-11-30';
const OLDER = 'arn:aws:states:eu-west-1:123456789012:execution:Orders:run-2026-11-29';

describe('rerunInput', () => {
  test.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['an input gains rerunFrom', { runDate: '2026-11-30', full: true },
      { runDate: '2026-11-30', full: true, rerunFrom: { step: 'load', execution: EARLIER } }],
    ['an empty input', {}, { rerunFrom: { step: 'load', execution: EARLIER } }],
    ['a rerun of a rerun points at the execution it reruns', { runDate: '2026-11-30', rerunFrom: { step: 'transform', execution: OLDER } },
      { runDate: '2026-11-30', rerunFrom: { step: 'load', execution: EARLIER } }],
    ['a rerunFrom of null (none) is replaced too', { runDate: '2026-11-30', rerunFrom: null },
      { runDate: '2026-11-30', rerunFrom: { step: 'load', execution: EARLIER } }],
  ])('%s', (_, base, expected) => {
    const input = JSON.parse(rerunInput(base, { step: 'load', execution: EARLIER }));
    expect(input).toEqual(expected);
    // what the runner will read back
    expect(readRerunRequest(input.rerunFrom)).toEqual({ step: 'load', execution: EARLIER });
  });

  test('refuses an input over 256 KiB once rerunFrom is in', () => {
    expect(() => rerunInput({ pad: 'x'.repeat(262_100) }, { step: 'load', execution: EARLIER }))
      .toThrow(/the rerun's input is \d+ bytes, more than the 262144 Step Functions accepts: give a smaller one with --input/);
  });
});

describe('earlierInput', () => {
  test.each<[string, string | undefined, Record<string, unknown>]>([
    ['an object', '{"runDate":"2026-11-30"}', { runDate: '2026-11-30' }],
    ['an empty object', '{}', {}],
  ])('reads %s', (_, text, expected) => {
    expect(earlierInput(text, 'run-2026-11-30')).toEqual(expected);
  });

  test.each<[string, boolean | undefined, RegExp]>([
    ['left out, inputDetails.included false', false,
      /^the earlier execution's input could not be read \(DescribeExecution of run-2026-11-30 has no input: inputDetails.included is false, .*\): give the new execution's input with --input/],
    ['left out, no inputDetails', undefined,
      /^the earlier execution's input could not be read \(DescribeExecution of run-2026-11-30 has no input\): give the new execution's input with --input/],
  ])('refuses an input %s (an empty input would lose the logical date)', (_, included, message) => {
    expect(() => earlierInput(undefined, 'run-2026-11-30', included)).toThrow(RefusedError);
    expect(() => earlierInput(undefined, 'run-2026-11-30', included)).toThrow(message);
  });

  test.each<[string, string, RegExp]>([
    ['a string', '"2026-11-30"', /the input of run-2026-11-30 is not a JSON object \(a string\): .*give the new execution's input with --input/],
    ['an array', '[1,2]', /is not a JSON object \(an array\)/],
    ['null', 'null', /is not a JSON object \(null\)/],
    ['not JSON', '{', /is not JSON \(/],
  ])('refuses %s', (_, text, message) => {
    expect(() => earlierInput(text, 'run-2026-11-30')).toThrow(RefusedError);
    expect(() => earlierInput(text, 'run-2026-11-30')).toThrow(message);
  });
});
