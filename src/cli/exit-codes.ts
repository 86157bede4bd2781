/** The exit codes of `glue-pipeline`: scripts and CI tell the cases apart by them (README, "Backfill"). */
export const ExitCode = {
  /** Every date's execution succeeded (for `--dry-run`: the plan was made). */
  SUCCEEDED: 0,
  /** At least one date did not succeed: its execution failed, timed out or was aborted, or it was not started. */
  NOT_ALL_SUCCEEDED: 1,
  /** The command line is wrong, or the command refused what it names (rerun of a running execution): nothing was started. */
  USAGE: 2,
  /** The command stopped on an error: a Step Functions call failed past the SDK's retries (access denied, no such state machine...); nothing more was started. */
  STOPPED_ON_ERROR: 3,
  /** Interrupted (Ctrl-C, SIGINT): nothing more was started; running executions were left running. 128 + SIGINT. */
  INTERRUPTED: 130,
} as const;

/** A mistake in the command line: reported with the usage text, exit code `USAGE`. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * The command line is well formed but asks for what cannot be done (rerun an execution that is
 * still running, or that does not exist): reported without the usage text, exit code `USAGE`.
 */
export class RefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedError';
  }
}
