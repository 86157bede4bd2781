/**
 * `glue-pipeline rerun`: read the earlier execution and check, from its history, that it reached
 * the step; start the new one (its input the earlier one's with `rerunFrom`, under the first free
 * default name or `--name`), or find the same rerun already running; print where to see it, and
 * with `--wait` poll it until it ends. The decisions are `rerun-input.ts` and `rerun-name.ts`.
 */
import { RerunOptions } from './options';
import { earlierInput, rerunInput } from './rerun-input';
import { defaultRerunName, MAX_RERUN_NAMES } from './rerun-name';
import { executionArnOf } from '../../shared/logical-date';
import { ExecutionView } from '../backfill/date-decision';
import { sameJson, SfnExecutions, StartResult, viewOf } from '../backfill/executions';
import { duration, executionConsoleLink, Output } from '../backfill/report';
import { ExitCode, RefusedError } from '../exit-codes';

export interface RerunDeps {
  readonly executions: SfnExecutions;
  /** The steps an execution reached (its history's `TaskStateEntered` names), in order. */
  readonly reachedSteps: (executionArn: string) => Promise<readonly string[]>;
  readonly out: Output;
  /** Resolves after `seconds`, or at once when `signal` aborts. */
  readonly sleep: (seconds: number, signal: AbortSignal) => Promise<void>;
  /** Aborts on Ctrl-C (SIGINT): stop waiting, leave the execution running. */
  readonly interrupt: AbortSignal;
}

/** Statuses of an execution that has not ended: Step Functions may still run its steps. */
const NOT_ENDED = ['RUNNING', 'PENDING_REDRIVE'];

export async function rerun(options: RerunOptions, deps: RerunDeps): Promise<number> {
  const { executions, out } = deps;
  const earlier = await executions.describeArn(options.earlierArn);
  if (!earlier) {
    throw new RefusedError(`no execution ${options.earlierArn} (Step Functions: ExecutionDoesNotExist): check --execution, the name or ARN of an `
      + 'execution of this state machine (Step Functions keeps them 90 days after they end)');
  }
  const earlierName = earlier.name ?? options.earlierArn.split(':').pop()!;
  if (NOT_ENDED.includes(earlier.status ?? 'RUNNING')) {
    throw new RefusedError(`${earlierName} is ${earlier.status ?? 'RUNNING'}: its results are not all there yet; wait for it to end, then rerun it`);
  }
  const reached = await deps.reachedSteps(options.earlierArn);
  if (!reached.includes(options.step)) {
    throw new RefusedError(`${earlierName} never reached step ${options.step}: a re-run starts from a step the earlier execution reached; `
      + `it reached: ${reached.length > 0 ? reached.join(', ') : 'no step'}`);
  }
  const base = options.input ?? earlierInput(earlier.input, earlierName, earlier.inputDetails?.included);
  const input = rerunInput(base, { step: options.step, execution: options.earlierArn });
  if (deps.interrupt.aborted) {
    out.write('Interrupted: started nothing\n');
    return ExitCode.INTERRUPTED;
  }
  const { execution: started, alreadyRunning } = await startUnderFreeName(options, earlierName, input, deps);
  const what = alreadyRunning ? 'already running:' : 'started';
  out.write(`Rerun of ${earlierName} (${earlier.status}) from step ${options.step}: ${what} ${started.name}\n  ${started.arn}\n`);
  const link = executionConsoleLink(started.arn);
  if (link) {
    out.write(`  ${link}\n`);
  }
  return options.wait ? waitForEnd(started, options, deps) : ExitCode.SUCCEEDED;
}

/** The rerun's execution: started now, or the same rerun found running. */
interface Started {
  readonly execution: ExecutionView;
  /** It ran already, under that name and with this input: joined, not started. */
  readonly alreadyRunning: boolean;
}

/**
 * Starts the execution under `--name`, or under the first default name no execution has; or
 * finds the same rerun running. Each name is read first: an execution of it that runs with this
 * very input is the same rerun, run again while the first still runs, and is joined (StartExecution
 * would answer with it all the same, as it does for a start retried after a lost answer, and the
 * command could not tell it from a new one). One that ended, or runs with another input, takes the
 * name. A name taken between the read and the start answers ExecutionAlreadyExists, and counts as
 * taken.
 */
async function startUnderFreeName(options: RerunOptions, earlierName: string, input: string, deps: RerunDeps): Promise<Started> {
  for (let n = 1; n <= MAX_RERUN_NAMES + 1; n++) {
    const name = options.name ?? defaultRerunName(earlierName, options.step, n);
    const existing = await deps.executions.describeArn(executionArnOf(options.stateMachineArn, name));
    let taken: Pick<StartResult, 'execution' | 'sameInput'>;
    if (existing) {
      taken = { execution: viewOf(existing, name), sameInput: sameJson(existing.input, input) };
      if (taken.execution.status === 'RUNNING' && taken.sameInput) {
        return { execution: taken.execution, alreadyRunning: true };
      }
    } else {
      const result: StartResult = await deps.executions.start(name, input);
      if (result.started) {
        return { execution: result.execution, alreadyRunning: false };
      }
      taken = result;
    }
    if (options.name !== undefined) {
      throw new RefusedError(`an execution named ${name} exists already (${taken.execution.status}${taken.sameInput ? '' : ', with another input'}): `
        + 'choose another --name, or leave --name out for a free default name');
    }
    deps.out.write(`${name} exists already (${taken.execution.status}): trying the next name\n`);
  }
  // defaultRerunName refuses past MAX_RERUN_NAMES before the loop gets here.
  throw new Error('unreachable: no default rerun name left');
}

async function waitForEnd(started: ExecutionView, options: RerunOptions, deps: RerunDeps): Promise<number> {
  deps.out.write(`Waiting for ${started.name} to end (Ctrl-C stops waiting and leaves it running)\n`);
  for (;;) {
    await deps.sleep(options.pollSeconds, deps.interrupt);
    if (deps.interrupt.aborted) {
      deps.out.write(`Interrupted: stopped waiting; ${started.name} is left running\n  ${started.arn}\n`);
      return ExitCode.INTERRUPTED;
    }
    const output = await deps.executions.describeArn(started.arn);
    if (!output) {
      throw new Error(`execution ${started.arn} is no longer there`);
    }
    const now = viewOf(output, started.name);
    if (!NOT_ENDED.includes(now.status)) {
      const took = now.startMs !== undefined && now.stopMs !== undefined ? ` after ${duration(now.stopMs - now.startMs)}` : '';
      deps.out.write(`${now.status} ${now.name}${took}\n`);
      return now.status === 'SUCCEEDED' ? ExitCode.SUCCEEDED : ExitCode.NOT_ALL_SUCCEEDED;
    }
  }
}
