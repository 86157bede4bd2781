import { splitArgs } from '../../packages/testing/src/cli';

describe('glue-pipeline-simulate arguments', () => {
  test('the assembly, the stack, and the rest for the simulator, in any order', () => {
    expect(splitArgs(['--fail', 'load', 'cdk.out', '--stack', 'Orders', '--lose-events', '--input', '{"runDate":"2026-11-24"}'])).toEqual({
      cdkOut: 'cdk.out',
      stack: 'Orders',
      rest: ['--fail', 'load', '--lose-events', '--input', '{"runDate":"2026-11-24"}'],
    });
  });

  test('--stack=<name> and --end <step>=<STATE> are taken whole', () => {
    expect(splitArgs(['my/cdk.out', '--stack=Graph', '--end', 'join=TIMEOUT'])).toEqual({ cdkOut: 'my/cdk.out', stack: 'Graph', rest: ['--end', 'join=TIMEOUT'] });
  });

  test('a flag is not given the assembly as its value', () => {
    expect(splitArgs(['--lose-events', 'cdk.out'])).toEqual({ cdkOut: 'cdk.out', stack: undefined, rest: ['--lose-events'] });
  });

  test('no assembly: undefined, for the command to report', () => {
    expect(splitArgs(['--fail', 'load']).cdkOut).toBeUndefined();
  });
});
