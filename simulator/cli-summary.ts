import { ExitCode } from './cli-options';
import { ExecutionReport, ExecutionStatus } from './execution';
import { SentEmail } from './local-aws/ses';

/** The CLI's exit code for how the execution ended. */
export function exitCodeOf(status: ExecutionStatus): number {
  switch (status) {
    case 'SUCCEEDED':
      return ExitCode.SUCCEEDED;
    case 'FAILED':
    case 'TIMED_OUT':
    case 'ABORTED':
      return ExitCode.EXECUTION_FAILED;
    case 'RUNNING':
      // The simulation returned before the execution ended: the harness is at fault.
      return ExitCode.SIMULATION_FAILED;
  }
}

/**
 * How the execution ended: its status and duration, then the error's cause as the state machine
 * reported it, and what to do about a missing execution input field.
 */
export function outcomeLines(report: Pick<ExecutionReport, 'status' | 'error' | 'cause'>, took: string): string[] {
  const lines = [`Execution ${report.status} after ${took} (simulated)${report.error ? ` with ${report.error}` : ''}`];
  if (report.cause) {
    lines.push(`Cause: ${report.cause}`);
  }
  const field = missingInputField(report.cause);
  if (field !== undefined) {
    lines.push(`The execution input has no "${field}", which a step reads ({{execution.${field}}}); `
      + `give it, e.g. --input '${JSON.stringify(exampleInput(field))}'`);
  }
  return lines;
}

/**
 * The execution input field a `States.Runtime` cause names, when a state's Parameters read a
 * field the input lacks (`$$.Execution.Input.<path>`, as the construct passes references).
 */
export function missingInputField(cause: string | undefined): string | undefined {
  return /\$\$\.Execution\.Input\.([\w.]+)'? (?:does not point to a value|could not be found)/.exec(cause ?? '')?.[1];
}

/** An input holding `path` (dotted), with a placeholder value. */
function exampleInput(path: string): Record<string, unknown> {
  return path.split('.').reduceRight<unknown>((value, name) => ({ [name]: value }), '...') as Record<string, unknown>;
}

/** A mail the runner sent, as the team would read it. */
export function mailText(mail: SentEmail): string {
  const cc = mail.destination.cc.length > 0 ? `\nCc: ${mail.destination.cc.join(', ')}` : '';
  return `From: ${mail.from}\nTo: ${mail.destination.to.join(', ')}${cc}\nSubject: ${mail.subject}\n\n${mail.body.text ?? mail.body.html ?? ''}`;
}
