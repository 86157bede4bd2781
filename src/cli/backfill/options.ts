/** The `backfill` command line, read and checked: a `UsageError` before anything is called. */
import { parseArgs } from 'util';
import { DEFAULT_INPUT_TEMPLATE, inputsFor } from './input-template';
import {
  checkNamesFit, checkRunValue, DEFAULT_EXECUTION_NAME_PREFIX, LogicalDateError, logicalDatesBetween,
} from '../../shared/logical-date';
import { UsageError } from '../exit-codes';
import { readStateMachineArn } from '../state-machine-arn';
import { wholeNumber } from '../whole-number';

export const BACKFILL_USAGE = `Usage: glue-pipeline backfill --state-machine-arn <arn> (--from <date> --to <date> | --dates <a,b,...>) [options]

Starts one execution of the pipeline's state machine per date, at most --max-concurrent at once,
each named <prefix>-<date>: a date that has an execution already is not started again.

  --state-machine-arn <arn>  the pipeline's state machine (arn:aws:states:<region>:<account>:stateMachine:<name>)
  --from <date> --to <date>  every date from one to the other, both included: days (2026-11-01) or
                             hours (2026-11-01T05), UTC
  --dates <a,b,...>          these values instead of a range (dates or any values of letters,
                             digits, - and _)
  --input <template>         each execution's input, with {{date}} replaced by the date
                             (default '${DEFAULT_INPUT_TEMPLATE}'); quote it for the shell
  --max-concurrent <n>       at most n of the backfill's executions running at once (default 3)
  --name-prefix <prefix>     execution names are <prefix>-<date> (default ${DEFAULT_EXECUTION_NAME_PREFIX})
  --only-failed              rerun only dates whose execution failed, timed out or was aborted:
                             redriven while Step Functions allows it (14 days), else started
                             again as <prefix>-<date>-attempt-<n>
  --dry-run                  start nothing; print what would be done for each date
  --poll-seconds <s>         how often running executions are read (default 10)
  --region <region>          default: the state machine's region
  --help

Exit code: 0 every date succeeded; 1 some date did not; 2 usage error; 3 a Step Functions call
failed (nothing more was started); 130 interrupted (running executions are left running).`;

export interface BackfillOptions {
  readonly help: boolean;
  readonly stateMachineArn: string;
  readonly region: string;
  /** The dates (or values), in order, each with its execution input. */
  readonly values: readonly string[];
  readonly inputs: readonly string[];
  readonly maxConcurrent: number;
  readonly namePrefix: string;
  readonly onlyFailed: boolean;
  readonly dryRun: boolean;
  readonly pollSeconds: number;
}

export function parseBackfillArgs(args: readonly string[]): BackfillOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        'state-machine-arn': { type: 'string' },
        'from': { type: 'string' },
        'to': { type: 'string' },
        'dates': { type: 'string' },
        'input': { type: 'string', default: DEFAULT_INPUT_TEMPLATE },
        'max-concurrent': { type: 'string', default: '3' },
        'name-prefix': { type: 'string', default: DEFAULT_EXECUTION_NAME_PREFIX },
        'only-failed': { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
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
  const none = { help: true, stateMachineArn: '', region: '', values: [], inputs: [], maxConcurrent: 0, namePrefix: '', onlyFailed: false, dryRun: false, pollSeconds: 0 };
  if (values.help) {
    return none;
  }
  const { stateMachineArn, region } = readStateMachineArn('--state-machine-arn', values['state-machine-arn'], values.region);
  const dates = dateValues(values.from, values.to, values.dates);
  const namePrefix = values['name-prefix'];
  try {
    dates.forEach((value) => checkNamesFit(value, namePrefix));
  } catch (err) {
    throw err instanceof LogicalDateError ? new UsageError(err.message) : err;
  }
  return {
    help: false,
    stateMachineArn,
    region,
    values: dates,
    inputs: inputsFor(values.input, dates),
    maxConcurrent: wholeNumber('--max-concurrent', values['max-concurrent'], 1, 1000),
    namePrefix,
    onlyFailed: values['only-failed'],
    dryRun: values['dry-run'],
    pollSeconds: wholeNumber('--poll-seconds', values['poll-seconds'], 1, 3600),
  };
}

function dateValues(from: string | undefined, to: string | undefined, list: string | undefined): string[] {
  if (list !== undefined && (from !== undefined || to !== undefined)) {
    throw new UsageError('give either --from and --to, or --dates, not both');
  }
  try {
    if (list !== undefined) {
      const values = list.split(',').map((v) => v.trim());
      values.forEach(checkRunValue);
      const twice = values.find((v, i) => values.indexOf(v) !== i);
      if (twice !== undefined) {
        throw new UsageError(`--dates names ${twice} twice: give each value once`);
      }
      return values;
    }
    if (from === undefined || to === undefined) {
      throw new UsageError(`${from === undefined ? '--from' : '--to'} is missing: give a range (--from 2026-11-01 --to 2026-11-30) or a list (--dates 2026-11-01,2026-11-07)`);
    }
    return logicalDatesBetween(from, to);
  } catch (err) {
    throw err instanceof LogicalDateError ? new UsageError(err.message) : err;
  }
}
