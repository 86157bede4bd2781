/**
 * `glue-pipeline`, the command shipped with the library (`npx glue-pipeline backfill ...`,
 * `npx glue-pipeline rerun ...`).
 * `main` takes its I/O as arguments, so tests run it in-process against the simulation;
 * `run` wires it to the process (stdout, SIGINT, the SDK's own configuration).
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { backfill } from './backfill/backfill';
import { SfnExecutions } from './backfill/executions';
import { BACKFILL_USAGE, parseBackfillArgs } from './backfill/options';
import { Output } from './backfill/report';
import { ExitCode, RefusedError, UsageError } from './exit-codes';
import { parseRerunArgs, RERUN_USAGE } from './rerun/options';
import { reachedSteps } from './rerun/reached-steps';
import { rerun } from './rerun/rerun';

export { ExitCode } from './exit-codes';

const USAGE = `Usage: glue-pipeline <command> [options]

Commands:
  backfill   start one pipeline execution per date of a range, idempotently (glue-pipeline backfill --help)
  rerun      start an execution that runs a step and the steps after it again, reusing an earlier
             execution's results for the others (glue-pipeline rerun --help)`;

/** Each command's usage text, printed with its usage errors. */
const USAGES = new Map([['backfill', BACKFILL_USAGE], ['rerun', RERUN_USAGE]]);

/**
 * What to do after a Step Functions call failed. The backfill is idempotent: run it again. A
 * rerun run again finds one it started that still runs, but would start another (the next free
 * name) beside one that has ended already, so it says to look first.
 */
const AFTER_CALL_FAILED = new Map([
  ['rerun', 'If a started execution is printed above, it keeps running: see it in the console before running the command again.'],
]);

export interface CliDeps {
  /** The Step Functions client for a region. */
  readonly sfnClient: (region: string) => SFNClient;
  readonly out: Output;
  readonly err: Output;
  /** Resolves after `seconds` (of the deps' clock), or at once when `signal` aborts. */
  readonly sleep: (seconds: number, signal: AbortSignal) => Promise<void>;
  /** Aborted on Ctrl-C. */
  readonly interrupt: AbortSignal;
}

/** Runs one command line (without `node` and the script); resolves to the exit code. */
export async function main(argv: readonly string[], deps: CliDeps): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === 'help') {
      deps.out.write(`${USAGE}\n`);
      return command === undefined ? ExitCode.USAGE : ExitCode.SUCCEEDED;
    }
    if (command === 'backfill') {
      const options = parseBackfillArgs(rest);
      if (options.help) {
        deps.out.write(`${BACKFILL_USAGE}\n`);
        return ExitCode.SUCCEEDED;
      }
      const executions = new SfnExecutions(deps.sfnClient(options.region), options.stateMachineArn);
      return await backfill(options, { executions, out: deps.out, sleep: deps.sleep, interrupt: deps.interrupt });
    }
    if (command === 'rerun') {
      const options = parseRerunArgs(rest);
      if (options.help) {
        deps.out.write(`${RERUN_USAGE}\n`);
        return ExitCode.SUCCEEDED;
      }
      const client = deps.sfnClient(options.region);
      const executions = new SfnExecutions(client, options.stateMachineArn);
      return await rerun(options, {
        executions, reachedSteps: (arn) => reachedSteps(client, arn), out: deps.out, sleep: deps.sleep, interrupt: deps.interrupt,
      });
    }
    throw new UsageError(`unknown command ${command}`);
  } catch (err) {
    if (err instanceof UsageError) {
      deps.err.write(`glue-pipeline ${command ?? ''}: ${err.message}\n\n${USAGES.get(command ?? '') ?? USAGE}\n`);
      return ExitCode.USAGE;
    }
    if (err instanceof RefusedError) {
      deps.err.write(`glue-pipeline ${command}: ${err.message}\nNothing was started.\n`);
      return ExitCode.USAGE;
    }
    const e = err as { name?: string; message?: string };
    deps.err.write(`\nglue-pipeline ${command}: stopped, a Step Functions call failed: ${e.name ?? 'Error'}: ${e.message ?? String(err)}\n`
      + `${AFTER_CALL_FAILED.get(command) ?? 'Executions already started keep running; run the same command again to go on.'}\n`);
    return ExitCode.STOPPED_ON_ERROR;
  }
}

/** The process entry (`bin/glue-pipeline.js`). */
export function run(): void {
  const interrupted = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('\nInterrupted: starting nothing more; running executions are left alone. (Ctrl-C again to quit at once.)\n');
    interrupted.abort();
  });
  const deps: CliDeps = {
    // Region from the state machine's ARN; credentials, retries and AWS_ENDPOINT_URL_SFN from the SDK's own configuration.
    sfnClient: (region) => new SFNClient({ region }),
    out: process.stdout,
    err: process.stderr,
    sleep: (seconds, signal) => new Promise((resolve) => {
      const timer = setTimeout(done, seconds * 1000);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    }),
    interrupt: interrupted.signal,
  };
  main(process.argv.slice(2), deps).then((code) => {
    process.exitCode = code;
  }, (err) => {
    process.stderr.write(`glue-pipeline: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  });
}
