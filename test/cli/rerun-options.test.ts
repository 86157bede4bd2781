import { RefusedError, UsageError } from '../../src/cli/exit-codes';
import { parseRerunArgs } from '../../src/cli/rerun/options';

const ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:Orders';
const EXECUTION = 'arn:aws:states:eu-west-1:123456789012:execution:Orders';
const parse = (...args: string[]) => parseRerunArgs(['--state-machine-arn', ARN, ...args]);

describe('parseRerunArgs', () => {
  test('a name, with the defaults', () => {
    expect(parse('--from', 'transform', '--execution', 'run-2026-11-30')).toEqual({
      help: false,
      stateMachineArn: ARN,
      region: 'eu-west-1',
      step: 'transform',
      earlierArn: `${EXECUTION}:run-2026-11-30`,
      name: undefined,
      input: undefined,
      wait: false,
      pollSeconds: 10,
    });
  });

  test('an ARN, a name, an input and the flags', () => {
    expect(parse('--from', 'load', '--execution', `${EXECUTION}:run-2026-11-30`, '--name', 'fix-1234', '--input', '{"runDate":"2026-11-30","full":true}',
      '--wait', '--poll-seconds', '30', '--region', 'eu-west-1')).toMatchObject({
      step: 'load',
      earlierArn: `${EXECUTION}:run-2026-11-30`,
      name: 'fix-1234',
      input: { runDate: '2026-11-30', full: true },
      wait: true,
      pollSeconds: 30,
    });
  });

  test('--help needs nothing else', () => {
    expect(parseRerunArgs(['--help']).help).toBe(true);
  });

  test.each<[string, string[], RegExp]>([
    ['no state machine', ['--from', 'load', '--execution', 'x'], /--state-machine-arn is required/],
    ['the old --state-machine spelling', ['--state-machine', ARN, '--from', 'load', '--execution', 'x'], /Unknown option '--state-machine'/],
    ['a state machine alias', ['--state-machine-arn', `${ARN}:PROD`, '--from', 'load', '--execution', 'x'], /--state-machine-arn .*:PROD is not a state machine ARN/],
  ])('refuses %s', (_, args, message) => {
    expect(() => parseRerunArgs(args)).toThrow(UsageError);
    expect(() => parseRerunArgs(args)).toThrow(message);
  });

  test.each<[string, string[], RegExp]>([
    ['no step', ['--execution', 'x'], /--from is required: the name of the first step to run again/],
    ['no execution', ['--from', 'load'], /--execution is required: the name or ARN of the earlier execution/],
    ['a step name with a dash', ['--from', 'load-all', '--execution', 'x'], /--from "load-all" is not a step name .*: give the name of the step/],
    ['an empty step', ['--from', '', '--execution', 'x'], /^--from "" is not a step name /],
    ['an empty execution', ['--from', 'load', '--execution', ''], /^--execution is empty: give the name or ARN of the earlier execution/],
    ['an empty execution with a bad step too', ['--from', 'load-all', '--execution', ''], /^--execution is empty/],
    ['another state machine\'s execution', ['--from', 'load', '--execution', 'arn:aws:states:eu-west-1:123456789012:execution:Other:x'],
      /--execution: .*"arn:aws:states:eu-west-1:123456789012:execution:Other:x" is not an execution of this pipeline's state machine/],
    ['an execution name with ":"', ['--from', 'load', '--execution', 'a:b'], /--execution: .*"a:b" is no execution name/],
    ['another region', ['--from', 'load', '--execution', 'x', '--region', 'us-east-1'], /--region us-east-1 is not the state machine's region eu-west-1/],
    ['a name with a dot', ['--from', 'load', '--execution', 'x', '--name', 'fix.1'], /--name: "fix.1" cannot be part of an execution name: use only letters, digits/],
    ['a name like a backfill attempt', ['--from', 'load', '--execution', 'x', '--name', 'run-2026-11-30-attempt-2'], /--name: .*ends like a later attempt's name/],
    ['a name of 81 characters', ['--from', 'load', '--execution', 'x', '--name', 'n'.repeat(81)], /--name "n+" is 81 characters, more than Step Functions' 80/],
    ['an input that is not JSON', ['--from', 'load', '--execution', 'x', '--input', '{runDate:1}'], /--input \{runDate:1\} is not JSON .*: give a JSON object/],
    ['an input that is an array', ['--from', 'load', '--execution', 'x', '--input', '[1]'], /--input \[1\] is not a JSON object \(an array\)/],
    ['a poll of 0 seconds', ['--from', 'load', '--execution', 'x', '--poll-seconds', '0'], /--poll-seconds 0 is not a whole number from 1 to 3600/],
    ['a positional argument', ['--from', 'load', '--execution', 'x', 'extra'], /Unexpected argument 'extra'/],
  ])('refuses %s', (_, args, message) => {
    expect(() => parse(...args)).toThrow(UsageError);
    expect(() => parse(...args)).toThrow(message);
    expect(() => parse(...args)).not.toThrow(RefusedError);
  });
});
