/** The `rerun` command line, read and checked: a `UsageError` before anything is called. */
import { parseArgs } from 'util';
import { inputOption } from './rerun-input';
import { checkRerunName } from './rerun-name';
import { earlierExecutionArn, readRerunRequest, RerunRequestError } from '../../shared/rerun';
import { UsageError } from '../exit-codes';
import { readStateMachineArn } from '../state-machine-arn';
import { wholeNumber } from '../whole-number';

export const RERUN_USAGE = `Usage: glue-pipeline rerun --state-machine-arn <arn> --from <step> --execution <name or ARN> [options]

Starts a new execution of the pipeline's state machine that runs <step> and every step after it,
and takes the other steps' results from the earlier execution. Its input is the earlier
execution's, with "rerunFrom" set to {"step": <step>, "execution": <the earlier execution's ARN>}.

  --state-machine-arn <arn>  the pipeline's state machine (arn:aws:states:<region>:<account>:stateMachine:<name>)
  --from <step>              the first step to run again
  --execution <name or ARN>  the earlier execution (of that state machine; it must have ended,
                             having reached <step>)
  --name <name>              the new execution's name (default <earlier name>-from-<step>, then
                             -2, -3... when that name is taken; the same rerun still running with
                             the same input is reported "already running", not started again)
  --input <json>             the new execution's input instead of the earlier one's (a JSON
                             object; quote it for the shell)
  --wait                     wait for the new execution to end; the exit code tells how it ended
  --poll-seconds <s>         with --wait, how often the execution is read (default 10)
  --region <region>          default: the state machine's region
  --help

Exit code: 0 started or already running (--wait: it succeeded); 1 with --wait, it failed, timed
out or was aborted; 2 usage error or refused (nothing was started); 3 a Step Functions call
failed; 130 interrupted while waiting (the execution is left running).`;

export interface RerunOptions {
  readonly help: boolean;
  readonly stateMachineArn: string;
  readonly region: string;
  /** The first step to run again. */
  readonly step: string;
  /** The earlier execution's ARN (an execution of `stateMachineArn`). */
  readonly earlierArn: string;
  /** `--name`: the only name tried. Undefined: the default names. */
  readonly name?: string;
  /** `--input`: the new input instead of the earlier execution's. */
  readonly input?: Record<string, unknown>;
  readonly wait: boolean;
  readonly pollSeconds: number;
}

export function parseRerunArgs(args: readonly string[]): RerunOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        'state-machine-arn': { type: 'string' },
        'from': { type: 'string' },
        'execution': { type: 'string' },
        'name': { type: 'string' },
        'input': { type: 'string' },
        'wait': { type: 'boolean', default: false },
        'poll-seconds': { type: 'string', default: '10' },
        'region': { type: 'string' },
        'help': { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) {
    return { help: true, stateMachineArn: '', region: '', step: '', earlierArn: '', wait: false, pollSeconds: 0 };
  }
  const { stateMachineArn, region } = readStateMachineArn('--state-machine-arn', values['state-machine-arn'], values.region);
  const step = values.from;
  if (step === undefined) {
    throw new UsageError('--from is required: the name of the first step to run again (it and every step after it run)');
  }
  const execution = values.execution;
  if (execution === undefined) {
    throw new UsageError('--execution is required: the name or ARN of the earlier execution whose results the other steps reuse');
  }
  // Each option is checked on its own, so an error names the option that is wrong.
  if (execution.length === 0) {
    throw new UsageError('--execution is empty: give the name or ARN of the earlier execution whose results the other steps reuse');
  }
  try {
    // The field's own reader checks the step name, so the command writes only what the runner
    // reads; the execution is not empty, so only the step can be what it refuses.
    readRerunRequest({ step, execution });
  } catch (err) {
    throw err instanceof RerunRequestError
      ? new UsageError(`--from ${JSON.stringify(step)} is not a step name (a letter, then letters, digits and _, 64 at most): give the name of the step to run again from`)
      : err;
  }
  let earlierArn;
  try {
    earlierArn = earlierExecutionArn(execution, stateMachineArn);
  } catch (err) {
    throw err instanceof RerunRequestError ? new UsageError(`--execution: ${err.message}`) : err;
  }
  return {
    help: false,
    stateMachineArn,
    region,
    step,
    earlierArn,
    name: values.name === undefined ? undefined : checkRerunName(values.name),
    input: values.input === undefined ? undefined : inputOption(values.input),
    wait: values.wait,
    pollSeconds: wholeNumber('--poll-seconds', values['poll-seconds'], 1, 3600),
  };
}
