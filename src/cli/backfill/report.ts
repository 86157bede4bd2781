/**
 * What the backfill prints: a line per change, the live status line and the summary. Pure text;
 * `Progress` only decides where it goes (a terminal redraws one status line, a log gets lines).
 */
import { DateAction, DateState, isRunning } from './date-decision';
import { failureLinks } from '../../lambda/decisions/console-links';

/** Where the command writes: stdout, or a test's buffer. */
export interface Output {
  /** A terminal: one status line is redrawn in place. Otherwise (CI, a file) only change lines. */
  readonly isTTY?: boolean;
  write(text: string): void;
}

/** What this invocation did. */
export interface Counters {
  started: number;
  redriven: number;
  /** Starts that found the execution already there (ExecutionAlreadyExists). */
  existed: number;
}

export class Progress {
  private shown = false;

  constructor(private readonly out: Output) {}

  /** A change: one line, kept. */
  public line(text: string): void {
    this.clear();
    this.out.write(`${text}\n`);
  }

  /** The status line: redrawn on a terminal, left out of a log (the change lines tell it all). */
  public status(text: string): void {
    if (this.out.isTTY) {
      this.out.write(`\r\x1b[K${text}`);
      this.shown = true;
    }
  }

  public clear(): void {
    if (this.shown) {
      this.out.write('\r\x1b[K');
      this.shown = false;
    }
  }
}

/** `6m 05s`, `1h 02m`, `45s`. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) {
    return `${s}s`;
  }
  if (s < 3600) {
    return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  }
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The status line: how many dates are where. */
export function statusLine(states: readonly DateState[], actions: readonly DateAction[]): string {
  const count = (kind: DateAction['kind']) => actions.filter((a) => a.kind === kind).length;
  const done = actions.filter((a) => a.kind === 'succeeded' || a.kind === 'failed' || a.kind === 'not-started').length;
  return `[${done}/${states.length} done] running ${states.filter(isRunning).length}, succeeded ${count('succeeded')}, `
    + `failed ${count('failed')}, to start ${count('start') + count('redrive')}`;
}

/** One date's line in a `--dry-run` plan. */
export function planLine(state: DateState, action: DateAction, nameOf: (attempt: number) => string): string {
  const current = state.execution ? `${state.execution.name} is ${state.execution.status}` : 'no execution';
  switch (action.kind) {
    case 'start':
      return `${state.value}  would start ${nameOf(action.attempt)}${state.execution ? ` (${current}, not redrivable: ${state.execution.redriveReason ?? 'no reason given'})` : ''}`;
    case 'redrive':
      return `${state.value}  would redrive ${state.execution!.name} (${state.execution!.status})`;
    case 'wait':
      return `${state.value}  would wait: ${current}`;
    case 'succeeded':
      return `${state.value}  nothing to do: ${current}`;
    case 'failed':
      return `${state.value}  would leave it: ${current} (${action.why})`;
    case 'not-started':
      return `${state.value}  would leave it: ${current} (--only-failed starts only failed dates)`;
  }
}

/**
 * The summary: the dates by status, what this invocation did, and each date that did not
 * succeed with its execution's ARN and console page.
 */
export function summaryLines(states: readonly DateState[], actions: readonly DateAction[], counters: Counters, interrupted: boolean): string[] {
  const byStatus = new Map<string, number>();
  states.forEach((s) => byStatus.set(s.execution?.status ?? 'NOT STARTED', (byStatus.get(s.execution?.status ?? 'NOT STARTED') ?? 0) + 1));
  const order = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'RUNNING', 'PENDING_REDRIVE', 'NOT STARTED'];
  const lines = [
    '',
    `${interrupted ? 'Interrupted: started nothing more. ' : ''}Backfill of ${states.length} date${states.length === 1 ? '' : 's'}: `
      + order.filter((s) => byStatus.has(s)).map((s) => `${byStatus.get(s)} ${s}`).join(', '),
    `This run: ${counters.started} started, ${counters.redriven} redriven, ${counters.existed} found already started`,
  ];
  const unsuccessful = states.filter((s, i) => s.execution && actions[i].kind === 'failed');
  if (unsuccessful.length > 0) {
    lines.push('Did not succeed (rerun them with --only-failed):');
    unsuccessful.forEach((s) => lines.push(`  ${s.value}  ${s.execution!.status}  ${s.execution!.arn}`, ...link(s.execution!.arn)));
  }
  const running = states.filter(isRunning);
  if (running.length > 0) {
    lines.push(interrupted ? 'Still running, left alone:' : 'Running:');
    running.forEach((s) => lines.push(`  ${s.value}  ${s.execution!.arn}`));
  }
  const notStarted = states.filter((s) => !s.execution);
  if (notStarted.length > 0) {
    lines.push(`Not started: ${notStarted.map((s) => s.value).join(', ')}`);
  }
  return lines;
}

function link(executionArn: string): string[] {
  const page = executionConsoleLink(executionArn);
  return page ? [`      ${page}`] : [];
}

/** The execution's page in the Step Functions console; undefined in a partition without a known console. */
export function executionConsoleLink(executionArn: string): string | undefined {
  return failureLinks({ executionArn }).execution;
}
