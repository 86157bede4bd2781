import { attemptKey } from './call-scope';
import { AttemptRef } from './fault-plan';
import { SoakStepKind } from './pipeline-plan';
import { StepErrorNames } from '../src/shared/contract';

/** The invariants the soak checks, in the order it reports them. */
export const INVARIANTS = {
  'execution-ends': 'every execution ends: SUCCEEDED, or FAILED with a documented error name (ABORTED only when stopped on purpose)',
  'one-run-per-attempt': 'at most one Glue run, crawl or trigger firing per task attempt, whatever call was lost or runner killed',
  'nothing-left': 'no tracked record left once the dust settles (lease + 30 s + two check intervals, once more per kill while records are left)',
  'no-token-logged': 'no task token in any log line',
  'no-timeout-kill': 'no runner invocation killed at its Lambda timeout',
  'one-mail-per-failure': 'exactly one failure mail per step attempt the runner failed (SendTaskFailure accepted); at most one when an injected fault struck that attempt\'s mail path',
  'one-late-per-attempt': 'at most one late event per step attempt, for a step that has an expected duration, naming an execution of the pipeline',
} as const;
export type InvariantName = keyof typeof INVARIANTS;

/** Error names an execution may fail with: the README's Error names, and Step Functions' own. */
export const DOCUMENTED_ERRORS: readonly string[] = Object.values(StepErrorNames);

export function isDocumentedError(error: string | undefined): boolean {
  return error !== undefined && (DOCUMENTED_ERRORS.includes(error) || /^States\.[A-Za-z]+$/.test(error));
}

export interface ExecutionFacts {
  readonly index: number;
  /** SUCCEEDED, FAILED, ABORTED, TIMED_OUT, or RUNNING when it never ended. */
  readonly status: string;
  readonly error?: string;
  /** Its plan stopped it (StopExecution) at some point. */
  readonly stopPlanned: boolean;
}

/** One activity task: a step attempt of an execution. */
export interface AttemptFacts {
  readonly ref: AttemptRef;
  readonly kind: SoakStepKind;
  readonly resource: string;
  readonly tokenId: string;
  /** The activity task's status: FAILED only when the runner's SendTaskFailure was accepted. */
  readonly status: string;
  readonly error?: string;
  /**
   * An injected fault struck the mail path of this attempt: the runner died after the accepted
   * SendTaskFailure and before SendEmail answered, or SendEmail itself was refused.
   */
  readonly mailStruck: boolean;
}

export interface PipelineFacts {
  readonly executions: ExecutionFacts[];
  readonly attempts: AttemptFacts[];
  /**
   * Job runs and workflow runs, with the correlation (token hash) they carry. `retryOf`: Glue's
   * own retry of a failed job run (its PreviousRunId), which carries the same correlation.
   */
  readonly runs: ReadonlyArray<{ readonly kind: 'job' | 'workflow'; readonly resource: string; readonly correlation?: string; readonly retryOf?: string }>;
  /** Crawls started through StartCrawler, by crawler. */
  readonly crawls: readonly string[];
  /** Trigger firings, by trigger. */
  readonly firings: readonly string[];
  /** Firings allowed beyond one per attempt: the runner died between StartTrigger and its next write. */
  readonly trackedRecordsAfterSettling: number;
  readonly tokens: readonly string[];
  readonly logLines: readonly string[];
  readonly invocations: ReadonlyArray<{ readonly requestId: string; readonly timedOut?: boolean }>;
  /** Failure mails, with the execution and step they name (undefined when they name none of ours). */
  readonly mails: ReadonlyArray<{ readonly execution?: number; readonly step?: string; readonly subject: string }>;
  /**
   * Late events, with the execution they name (undefined when none of ours), their step and
   * attempt (`$$.State.RetryCount`: one per task, a lost token's re-dispatch included).
   */
  readonly lateEvents: ReadonlyArray<{ readonly execution?: number; readonly step: string; readonly attempt?: number }>;
  /** The steps that have an expected duration: only they may be late. */
  readonly expectedSteps: readonly string[];
}

export interface InvariantResult {
  readonly invariant: InvariantName;
  /** The execution it was checked for; undefined for the pipeline's simulation as a whole. */
  readonly execution?: number;
  readonly held: boolean;
  /** Why it broke. */
  readonly detail?: string;
}

/** Every invariant over one pipeline's recorded facts: per execution where it can be told apart. Pure. */
export function checkInvariants(facts: PipelineFacts): InvariantResult[] {
  const results: InvariantResult[] = [];
  for (const execution of facts.executions) {
    results.push(executionEnds(execution));
    results.push(runsPerAttempt(facts, execution.index));
    results.push(mailsPerFailure(facts, execution.index));
    results.push(lateEventsPerAttempt(facts, execution.index));
  }
  results.push(resourceStarts(facts), nothingLeft(facts), noTokenLogged(facts), noTimeoutKill(facts));
  return results;
}

function result(invariant: InvariantName, problems: string[], execution?: number): InvariantResult {
  return problems.length === 0 ? { invariant, execution, held: true } : { invariant, execution, held: false, detail: problems.join('; ') };
}

function executionEnds(e: ExecutionFacts): InvariantResult {
  const problems: string[] = [];
  if (e.status === 'FAILED' && !isDocumentedError(e.error)) {
    problems.push(`FAILED with an undocumented error ${JSON.stringify(e.error)}`);
  } else if (e.status === 'ABORTED' && !e.stopPlanned) {
    problems.push('did not end by itself (aborted by the soak\'s guard)');
  } else if (!['SUCCEEDED', 'FAILED', 'ABORTED'].includes(e.status)) {
    problems.push(`ended ${e.status}`);
  }
  return result('execution-ends', problems, e.index);
}

function runsPerAttempt(facts: PipelineFacts, execution: number): InvariantResult {
  const problems: string[] = [];
  const ours = facts.attempts.filter((a) => a.ref.execution === execution);
  for (const attempt of ours) {
    // Glue's retries of a run are that run's later attempts, not runs the runner started.
    const runs = facts.runs.filter((r) => r.correlation === attempt.tokenId && r.retryOf === undefined);
    if (runs.length > 1) {
      problems.push(`${attemptKey(attempt.ref)} started ${runs.length} ${attempt.kind} runs of ${attempt.resource}`);
    }
  }
  return result('one-run-per-attempt', problems, execution);
}

/** The pipeline-wide part: runs of no attempt, and crawls and firings, which carry no correlation. */
function resourceStarts(facts: PipelineFacts): InvariantResult {
  const problems: string[] = [];
  const tokenIds = new Set(facts.attempts.map((a) => a.tokenId));
  for (const run of facts.runs) {
    if (run.correlation === undefined || !tokenIds.has(run.correlation)) {
      problems.push(`a ${run.kind} run of ${run.resource} belongs to no task attempt (correlation ${run.correlation ?? 'missing'})`);
    }
  }
  const attemptsOn = (resource: string) => facts.attempts.filter((a) => a.resource === resource).length;
  for (const [crawler, crawls] of counts(facts.crawls)) {
    if (crawls > attemptsOn(crawler)) {
      problems.push(`crawler ${crawler} crawled ${crawls} times for ${attemptsOn(crawler)} task attempts`);
    }
  }
  for (const [trigger, firings] of counts(facts.firings)) {
    if (firings > attemptsOn(trigger)) {
      problems.push(`trigger ${trigger} fired ${firings} times for ${attemptsOn(trigger)} task attempts`);
    }
  }
  return result('one-run-per-attempt', problems);
}

function mailsPerFailure(facts: PipelineFacts, execution: number): InvariantResult {
  const problems: string[] = [];
  const ours = facts.attempts.filter((a) => a.ref.execution === execution);
  const steps = new Set([...ours.map((a) => a.ref.step), ...facts.mails.filter((m) => m.execution === execution).map((m) => m.step ?? '?')]);
  for (const step of steps) {
    const failed = ours.filter((a) => a.ref.step === step && a.status === 'FAILED');
    const struck = failed.filter((a) => a.mailStruck).length;
    const mails = facts.mails.filter((m) => m.execution === execution && m.step === step).length;
    if (mails > failed.length || mails < failed.length - struck) {
      const expected = struck > 0 ? `${failed.length - struck} to ${failed.length}` : String(failed.length);
      problems.push(`step ${step}: ${mails} failure mails for ${failed.length} failed attempts (expected ${expected})`);
    }
  }
  if (execution === 0) {
    // Mail that names no execution of this pipeline is checked once, with the first execution.
    const strays = facts.mails.filter((m) => m.execution === undefined);
    if (strays.length > 0) {
      problems.push(`${strays.length} mails name no execution of the pipeline: ${strays.map((m) => m.subject).join(' | ')}`);
    }
  }
  return result('one-mail-per-failure', problems, execution);
}

function lateEventsPerAttempt(facts: PipelineFacts, execution: number): InvariantResult {
  const problems: string[] = [];
  const ours = facts.lateEvents.filter((e) => e.execution === execution);
  for (const [key, n] of counts(ours.map((e) => `${e.step} attempt ${e.attempt ?? '?'}`))) {
    if (n > 1) {
      problems.push(`${n} late events for ${key}`);
    }
  }
  for (const step of new Set(ours.map((e) => e.step).filter((s) => !facts.expectedSteps.includes(s)))) {
    problems.push(`a late event for step ${step}, which has no expected duration`);
  }
  if (execution === 0 && facts.lateEvents.some((e) => e.execution === undefined)) {
    problems.push('a late event names no execution of the pipeline');
  }
  return result('one-late-per-attempt', problems, execution);
}

function nothingLeft(facts: PipelineFacts): InvariantResult {
  return result('nothing-left', facts.trackedRecordsAfterSettling === 0 ? [] : [`${facts.trackedRecordsAfterSettling} task records left in the table`]);
}

/** A token's distinctive middle: a line holding it, or any 40 characters of it, leaks the token. */
function noTokenLogged(facts: PipelineFacts): InvariantResult {
  const problems: string[] = [];
  const slices = facts.tokens.map((t) => t.slice(Math.floor(t.length / 2) - 20, Math.floor(t.length / 2) + 20)).filter((s) => s.length === 40);
  const heads = facts.tokens.map((t) => t.slice(0, 40)).filter((s) => s.length === 40);
  for (const line of facts.logLines) {
    if (slices.some((s) => line.includes(s)) || heads.some((h) => line.includes(h))) {
      problems.push(`a log line holds a task token: ${line.slice(0, 120)}…`);
    }
  }
  return result('no-token-logged', problems);
}

function noTimeoutKill(facts: PipelineFacts): InvariantResult {
  const killed = facts.invocations.filter((i) => i.timedOut).map((i) => i.requestId);
  return result('no-timeout-kill', killed.length === 0 ? [] : [`${killed.length} invocations killed at the timeout: ${killed.join(', ')}`]);
}

function counts(items: readonly string[]): Map<string, number> {
  const map = new Map<string, number>();
  items.forEach((item) => map.set(item, (map.get(item) ?? 0) + 1));
  return map;
}
