/**
 * `glue-pipeline-simulate <cdk.out> [--stack <name>] [options]`: finds the pipeline's template in
 * the cloud assembly, then runs the simulator's CLI on it (the same options and exit codes as
 * `npx projen simulate --template` in the library's repository).
 */
import { AssemblyError, findPipelineTemplate } from './cloud-assembly';
import { USAGE as SIMULATOR_USAGE } from '../../../simulator/cli-options';

const USAGE = `Usage: glue-pipeline-simulate <cdk.out> [--stack <name>] [options]

  <cdk.out>              the cloud assembly your app synthesized (cdk synth)
  --stack <name>         the stack holding the pipeline (default: the only stack holding one)
${SIMULATOR_USAGE.split('\n').slice(3).filter((line) => !/--template|\(default: the example|examples\/cdk\.out/.test(line)).join('\n')}`;

/** The simulator's options that take no value. */
const FLAGS = ['--lose-events', '--help'];

/** The assembly, the stack, and the options for the simulator's CLI. */
export function splitArgs(argv: readonly string[]): { cdkOut?: string; stack?: string; rest: string[] } {
  let cdkOut: string | undefined;
  let stack: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--stack') {
      stack = argv[++i];
    } else if (arg.startsWith('--stack=')) {
      stack = arg.slice('--stack='.length);
    } else if (arg.startsWith('--')) {
      rest.push(arg);
      if (!arg.includes('=') && !FLAGS.includes(arg) && i + 1 < argv.length) {
        rest.push(argv[++i]);
      }
    } else if (cdkOut === undefined) {
      cdkOut = arg;
    } else {
      rest.push(arg);
    }
  }
  return { cdkOut, stack, rest };
}

/** Runs the command line in `process.argv`; the process exits with the simulation's code. */
export function main(): void {
  const argv = process.argv.slice(2);
  if (argv.includes('--help')) {
    console.log(USAGE);
    process.exit(0);
  }
  try {
    const { cdkOut, stack, rest } = splitArgs(argv);
    if (cdkOut === undefined) {
      throw new AssemblyError('name the cloud assembly directory, e.g. glue-pipeline-simulate cdk.out');
    }
    const templateFile = findPipelineTemplate(cdkOut, stack);
    process.argv = [process.argv[0], process.argv[1], '--template', templateFile, ...rest];
  } catch (err) {
    console.error(`glue-pipeline-simulate: ${(err as Error).message}\n\n${USAGE}`);
    process.exit(1);
  }
  // The simulator's CLI reads process.argv and exits 0 (succeeded), 2 (failed) or 1 (harness).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('../../../simulator/cli');
}
