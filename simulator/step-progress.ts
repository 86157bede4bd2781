import { ExecutionReport, ExecutionStatus, StateReport } from './execution';
import { ActivityTask } from './local-aws/activity-service';
import { GlueService, SimRun } from './local-aws/glue-service';
import { CORRELATION_ARGUMENT, CORRELATION_RUN_PROPERTY } from '../src/shared/contract';

/** What one step looks like to someone watching the pipeline. */
export interface StepView {
  readonly name: string;
  readonly status: string;
  /** Simulated seconds since the step was entered (to its end, once ended). */
  readonly elapsed?: number;
  readonly jobRunId?: string;
  /**
   * Which attempt the status is about, once the runner has taken it up: a retry waiting for the
   * runner has no number yet, and the failure of attempt 2 is still attempt 2.
   */
  readonly attempt?: number;
  /**
   * What the step's current run was started with, references resolved: a job run's arguments or
   * a workflow run's properties, without the pipeline's own correlation entry.
   */
  readonly arguments?: Readonly<Record<string, string>>;
}

/** Pairs each Glue run with the task that started it: the open task of the same job. */
export class RunTracker {
  private readonly runOfTask = new Map<string, SimRun>();

  constructor(private readonly glue: GlueService, private readonly tasks: readonly ActivityTask[]) {
    glue.on('run', (run: SimRun) => {
      if ([...this.runOfTask.values()].includes(run)) {
        return;
      }
      const owner = [...tasks].reverse().find((t) => t.status === 'STARTED' && !this.runOfTask.has(t.token) && jobNameOf(t) === run.jobName);
      if (owner) {
        this.runOfTask.set(owner.token, run);
      }
    });
  }

  public runOf(task: ActivityTask): SimRun | undefined {
    return this.runOfTask.get(task.token);
  }

  /** The view of every step, in definition order. */
  public steps(stepNames: readonly string[], report: ExecutionReport, now: number): StepView[] {
    return stepNames.map((name) => {
      const state = [...report.states].reverse().find((s) => s.name === name);
      const tasks = this.tasks.filter((t) => t.stateName === name);
      const task = tasks[tasks.length - 1];
      const run = task && this.runOf(task);
      const stage = stageOf(state, task, report.status);
      if (!state) {
        return { name, status: stage.kind };
      }
      const attempt = stage.kind === 'waiting' ? undefined : tasks.filter((t) => t.startedAt !== undefined).length;
      const ended = stage.kind === 'succeeded' || stage.kind === 'failed' ? state.exitedAt : undefined;
      const elapsed = (ended ?? (report.status === 'RUNNING' ? now : report.endedAt ?? now)) - state.enteredAt;
      const view = { name, elapsed, jobRunId: run?.id, attempt, arguments: shownArguments(run?.request.Arguments) };
      switch (stage.kind) {
        case 'pending':
        case 'not run':
          return { ...view, status: stage.kind };
        case 'succeeded':
          return { ...view, status: 'SUCCEEDED' };
        case 'failed':
          return { ...view, status: `FAILED ${stage.error ?? ''}`.trim() };
        case 'closed':
          // A branch of a graph still open when another failed: the execution closed its task.
          return { ...view, status: 'closed with the execution' };
        case 'waiting':
          return { ...view, status: stage.retryAfter ? `retrying after ${stage.retryAfter}: waiting for the runner` : 'waiting for the runner' };
        case 'taken':
          return { ...view, ...this.takenStatus(task!, run, report, now) };
      }
    });
  }

  /** A step whose task the runner holds: held for its dependencies, or its Glue work's status. */
  private takenStatus(task: ActivityTask, run: SimRun | undefined, report: ExecutionReport, now: number): Pick<StepView, 'status' | 'jobRunId' | 'arguments'> {
    const input = taskInputOf(task);
    const unmet = (input.dependsOn ?? []).filter((dep) => !report.states.some((s) => s.name === dep && s.status === 'SUCCEEDED'));
    if (unmet.length > 0) {
      return { status: `held: waiting for ${unmet.join(', ')}` };
    }
    if (input.kind === undefined || input.kind === 'glue-job') {
      return { status: run ? `Glue ${this.glue.stateOf(run)}` : 'starting', jobRunId: run?.id, arguments: shownArguments(run?.request.Arguments) };
    }
    const work = this.workOf(input, task, now);
    return { status: work?.status ?? 'starting', jobRunId: work?.id, arguments: shownArguments(work?.properties) };
  }

  /** The crawl, firing or workflow run a non-job step's task started: the first since the task was taken. */
  private workOf(input: TaskInputView, task: ActivityTask, now: number): WorkView | undefined {
    const since = task.startedAt ?? task.scheduledAt;
    if (input.kind === 'glue-crawler') {
      const crawl = this.glue.crawlers.crawls.find((c) => c.crawlerName === input.crawlerName && !c.external && c.startedAt >= since);
      if (!crawl) {
        const busy = this.glue.crawlers.crawls.some((c) => c.crawlerName === input.crawlerName && this.glue.crawlers.endOf(c) > now);
        return busy ? { status: 'crawler busy: waiting to crawl' } : undefined;
      }
      return { status: `Glue crawl ${this.glue.crawlers.endOf(crawl) > now ? 'RUNNING' : this.glue.crawlers.statusOf(crawl)}` };
    }
    if (input.kind === 'glue-trigger') {
      const firing = this.glue.triggers.firings.find((f) => f.triggerName === input.triggerName && f.at >= since);
      return firing && { status: 'Glue trigger fired' };
    }
    if (input.kind === 'glue-workflow') {
      const run = this.glue.workflows.workflowRuns.find((r) => r.workflowName === input.workflowName && r.startedAt >= since);
      return run && { status: `Glue workflow ${this.glue.workflows.statusOf(run)}`, id: run.id, properties: run.properties };
    }
    return undefined;
  }
}

/**
 * Where a step stands. `waiting`: its task waits for the runner to take it (`retryAfter`: the
 * error of the attempt before, when it is a retry); `taken`: the runner holds the current
 * attempt's task (holding, starting or running its work); `closed`: it was open when the
 * execution ended.
 */
export type StepStage =
  | { readonly kind: 'pending' }
  | { readonly kind: 'not run' }
  | { readonly kind: 'waiting'; readonly retryAfter?: string }
  | { readonly kind: 'taken' }
  | { readonly kind: 'succeeded' }
  | { readonly kind: 'failed'; readonly error?: string }
  | { readonly kind: 'closed' };

/**
 * A step's stage from its state in the execution and its latest task. A state reported FAILED
 * whose latest task is open again is being retried: that failure was an attempt's, not the step's.
 */
export function stageOf(
  state: Pick<StateReport, 'status' | 'error'> | undefined,
  task: Pick<ActivityTask, 'status'> | undefined,
  execution: ExecutionStatus,
): StepStage {
  if (!state) {
    return { kind: execution === 'RUNNING' ? 'pending' : 'not run' };
  }
  const open = task?.status === 'SCHEDULED' || task?.status === 'STARTED';
  const retrying = state.status === 'FAILED' && open;
  if (state.status === 'SUCCEEDED') {
    return { kind: 'succeeded' };
  }
  if (state.status === 'FAILED' && !retrying) {
    return { kind: 'failed', error: state.error };
  }
  if (execution !== 'RUNNING') {
    return { kind: 'closed' };
  }
  if (task?.status === 'STARTED') {
    return { kind: 'taken' };
  }
  return { kind: 'waiting', retryAfter: retrying ? state.error : undefined };
}

/** A non-job step's Glue work, as the view shows it. */
interface WorkView {
  readonly status: string;
  readonly id?: string;
  readonly properties?: Record<string, string>;
}

/** The fields of a task input the view needs; an unreadable input gives none. */
interface TaskInputView {
  readonly kind?: string;
  readonly jobName?: string;
  readonly crawlerName?: string;
  readonly triggerName?: string;
  readonly workflowName?: string;
  readonly dependsOn?: string[];
}

function taskInputOf(task: ActivityTask): TaskInputView {
  try {
    return JSON.parse(task.input) as TaskInputView;
  } catch {
    return {};
  }
}

function jobNameOf(task: ActivityTask): string | undefined {
  return taskInputOf(task).jobName;
}

/** The moments a Glue run passes from one phase to the next (its end is announced on its own). */
export function phaseBoundaries(run: Pick<SimRun, 'startedAt' | 'script'>): number[] {
  const phases = run.script.phases ?? [];
  return phases.slice(0, -1).map((_, i) => run.startedAt + phases.slice(0, i + 1).reduce((sum, p) => sum + p.seconds, 0));
}

/** The entries of a run's arguments (or properties) worth showing: all but the pipeline's correlation entry. */
export function shownArguments(args: Readonly<Record<string, string>> | undefined): Record<string, string> | undefined {
  const shown = Object.entries(args ?? {}).filter(([key]) => key !== CORRELATION_ARGUMENT && key !== CORRELATION_RUN_PROPERTY);
  return shown.length > 0 ? Object.fromEntries(shown) : undefined;
}

/** `key=value` pairs, a value with blanks or quotes in JSON quotes. */
export function argumentsText(args: Readonly<Record<string, string>>): string {
  return Object.entries(args).map(([key, value]) => `${key}=${/[\s"']/.test(value) || value === '' ? JSON.stringify(value) : value}`).join(' ');
}

/**
 * Simulated seconds from the execution's start to `now`, or to its end once it ended: the time
 * stamp of a log line and the duration in the summary, so the two agree.
 */
export function executionTime(report: Pick<ExecutionReport, 'startedAt' | 'endedAt'>, now: number): number {
  return Math.min(now, report.endedAt ?? now) - report.startedAt;
}

/** `m:ss` of simulated seconds. */
export function clockText(seconds: number | undefined): string {
  if (seconds === undefined) {
    return '';
  }
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * The progress as a log (CI): one line each time a step changes status, gets a run or takes up
 * another attempt, stamped with the execution's time. A run's arguments are shown once, on the
 * line that first names the run.
 */
export class ChangeLog {
  private readonly seen = new Map<string, string>();
  private readonly runsShown = new Set<string>();

  /** The lines for what changed since the last call; `at` is `executionTime` now. */
  public lines(steps: readonly StepView[], at: number): string[] {
    const lines: string[] = [];
    for (const step of steps) {
      const key = `${step.status}|${step.jobRunId ?? ''}|${step.attempt ?? ''}`;
      if (this.seen.get(step.name) === key) {
        continue;
      }
      this.seen.set(step.name, key);
      const run = step.jobRunId ? `  run ${step.jobRunId}` : '';
      const attempt = (step.attempt ?? 0) > 1 ? `  (attempt ${step.attempt})` : '';
      const firstSight = step.jobRunId !== undefined && !this.runsShown.has(step.jobRunId);
      const args = firstSight && step.arguments ? `  with ${argumentsText(step.arguments)}` : '';
      if (step.jobRunId !== undefined) {
        this.runsShown.add(step.jobRunId);
      }
      lines.push(`${stamp(at)} ${step.name}: ${step.status}${run}${attempt}${args}`);
    }
    return lines;
  }

  /** The last line: the execution's end, stamped with its duration. */
  public end(report: Pick<ExecutionReport, 'status' | 'startedAt' | 'endedAt'>, now: number): string {
    return `${stamp(executionTime(report, now))} execution ${report.status}`;
  }
}

function stamp(seconds: number): string {
  return `[${clockText(seconds).padStart(6)}]`;
}

/** A fixed-width table of the steps, one line each. */
export function renderSteps(steps: readonly StepView[]): string[] {
  const nameWidth = Math.max(4, ...steps.map((s) => s.name.length));
  const statusWidth = Math.max(6, ...steps.map((s) => s.status.length));
  const header = `${'step'.padEnd(nameWidth)}  ${'status'.padEnd(statusWidth)}  elapsed  Glue run id`;
  return [header, ...steps.map((s) =>
    `${s.name.padEnd(nameWidth)}  ${s.status.padEnd(statusWidth)}  ${clockText(s.elapsed).padStart(7)}  ${s.jobRunId ?? ''}`
    + `${(s.attempt ?? 0) > 1 ? ` (attempt ${s.attempt})` : ''}${s.arguments ? `  with ${argumentsText(s.arguments)}` : ''}`)];
}
