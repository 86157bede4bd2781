import { inputsFor } from '../../src/cli/backfill/input-template';
import { parseBackfillArgs } from '../../src/cli/backfill/options';
import { UsageError } from '../../src/cli/exit-codes';

const ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:Orders';
const parse = (...args: string[]) => parseBackfillArgs(['--state-machine-arn', ARN, ...args]);

describe('parseBackfillArgs', () => {
  test('a range with the defaults', () => {
    const options = parse('--from', '2026-11-01', '--to', '2026-11-03');
    expect(options).toEqual({
      help: false,
      stateMachineArn: ARN,
      region: 'eu-west-1',
      values: ['2026-11-01', '2026-11-02', '2026-11-03'],
      inputs: ['{"runDate":"2026-11-01"}', '{"runDate":"2026-11-02"}', '{"runDate":"2026-11-03"}'],
      maxConcurrent: 3,
      namePrefix: 'run',
      onlyFailed: false,
      dryRun: false,
      pollSeconds: 10,
    });
  });

  test('a list, a template, a prefix and the flags', () => {
    const options = parse('--dates', 'eu,us', '--input', '{"region":"{{date}}","full":true}', '--name-prefix', 'by-region',
      '--max-concurrent', '1', '--only-failed', '--dry-run', '--poll-seconds', '60', '--region', 'eu-west-1');
    expect(options).toMatchObject({
      values: ['eu', 'us'],
      inputs: ['{"region":"eu","full":true}', '{"region":"us","full":true}'],
      namePrefix: 'by-region',
      maxConcurrent: 1,
      onlyFailed: true,
      dryRun: true,
      pollSeconds: 60,
      region: 'eu-west-1',
    });
  });

  test.each<[string, string[], RegExp]>([
    ['no state machine', ['--from', '2026-11-01', '--to', '2026-11-02'], /--state-machine-arn is required/],
    ['a state machine alias', ['--state-machine-arn', `${ARN}:PROD`, '--from', '2026-11-01', '--to', '2026-11-02'], /is not a state machine ARN: .*no version or alias/],
    ['an execution ARN', ['--state-machine-arn', 'arn:aws:states:eu-west-1:123456789012:execution:Orders:x', '--dates', 'a'], /is not a state machine ARN/],
  ])('refuses %s', (_, args, message) => {
    expect(() => parseBackfillArgs(args)).toThrow(UsageError);
    expect(() => parseBackfillArgs(args)).toThrow(message);
  });

  test.each<[string, string[], RegExp]>([
    ['another region', ['--dates', 'a', '--region', 'us-east-1'], /--region us-east-1 is not the state machine's region eu-west-1/],
    ['no dates', [], /--from is missing: give a range .* or a list/],
    ['no end', ['--from', '2026-11-01'], /--to is missing/],
    ['a range and a list', ['--from', '2026-11-01', '--to', '2026-11-02', '--dates', 'a'], /either --from and --to, or --dates, not both/],
    ['a bad date', ['--from', '2026-11-31', '--to', '2026-12-02'], /"2026-11-31" is not a date of the calendar/],
    ['a value twice', ['--dates', 'a,b,a'], /--dates names a twice/],
    ['a value with a space', ['--dates', 'a,b c'], /"b c" cannot be part of an execution name/],
    ['a prefix too long', ['--dates', 'a', '--name-prefix', 'p'.repeat(70)], /more than Step Functions' 80: use a shorter prefix/],
    ['zero at once', ['--dates', 'a', '--max-concurrent', '0'], /--max-concurrent 0 is not a whole number from 1 to 1000/],
    ['a fraction of a second', ['--dates', 'a', '--poll-seconds', '0.5'], /--poll-seconds 0.5 is not a whole number/],
    ['an unknown option', ['--dates', 'a', '--concurrency', '3'], /Unknown option '--concurrency'/],
  ])('refuses %s', (_, args, message) => {
    expect(() => parse(...args)).toThrow(UsageError);
    expect(() => parse(...args)).toThrow(message);
  });
});

describe('inputsFor', () => {
  test.each<[string, string, RegExp]>([
    ['no {{date}}', '{"runDate":"2026-11-01"}', /has no \{\{date\}\}: every date would run with the same input/],
    ['another placeholder', '{"day":"{{day}}"}', /has the placeholder \{\{day\}\}: only \{\{date\}\} is replaced/],
    ['not JSON once replaced (quotes lost to the shell)', '{runDate:{{date}}}', /--input is not JSON once \{\{date\}\} is 2026-11-01: \{runDate:2026-11-01\}/],
    ['over 256 KiB', `{"runDate":"{{date}}","pad":"${'x'.repeat(262_144)}"}`, /is 262177 bytes, more than the 262144 Step Functions accepts/],
  ])('refuses %s', (_, template, message) => {
    expect(() => inputsFor(template, ['2026-11-01'])).toThrow(message);
  });

  test('replaces every {{date}}', () => {
    expect(inputsFor('{"from":"{{date}}","to":"{{date}}"}', ['2026-11-01'])).toEqual(['{"from":"2026-11-01","to":"2026-11-01"}']);
  });
});
