import { ExecutionReport } from './execution';
import { ActivityTask } from './local-aws/activity-service';
import { GlueService, SimRun } from './local-aws/glue-service';

/** What one step looks like to someone watching the pipeline. */
export interface StepView {
  readonly name: string;
  readonly status: string;
  /** Simulated seconds since the step was entered (to its end, once ended). */
  readonly elapsed?: number;
  readonly jobRunId?: string;
  readonly attempts: number;
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
      if (!state) {
        return { name, status: report.status === 'RUNNING' ? 'pending' : 'not run', attempts: 0 };
      }
      const elapsed = (state.exitedAt ?? (report.status === 'RUNNING' ? now : report.endedAt ?? now)) - state.enteredAt;
      let status: string;
      if (state.status === 'SUCCEEDED') {
        status = 'SUCCEEDED';
      } else if (state.status === 'FAILED') {
        status = `FAILED ${state.error ?? ''}`.trim();
      } else if (report.status !== 'RUNNING') {
        // A branch of a graph still open when another failed: the execution closed its task.
        status = 'closed with the execution';
      } else if (!task || task.status === 'SCHEDULED') {
        status = 'waiting for the runner';
      } else {
        const input = taskInputOf(task);
        const unmet = (input.dependsOn ?? []).filter((dep) => !report.states.some((s) => s.name === dep && s.status === 'SUCCEEDED'));
        if (unmet.length > 0) {
          status = `held: waiting for ${unmet.join(', ')}`;
        } else if (input.kind === undefined || input.kind === 'glue-job') {
          status = run ? `Glue ${this.glue.stateOf(run)}` : 'starting';
        } else {
          const work = this.workOf(input, task, now);
          return { name, status: work?.status ?? 'starting', elapsed, jobRunId: work?.id, attempts: tasks.length };
        }
      }
      return { name, status, elapsed, jobRunId: run?.id, attempts: tasks.length };
    });
  }

  /** The crawl, firing or workflow run a non-job step's task started: the first since the task was taken. */
  private workOf(input: TaskInputView, task: ActivityTask, now: number): { status: string; id?: string } | undefined {
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
      return run && { status: `Glue workflow ${this.glue.workflows.statusOf(run)}`, id: run.id };
    }
    return undefined;
  }
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

/** `m:ss` of simulated seconds. */
export function clockText(seconds: number | undefined): string {
  if (seconds === undefined) {
    return '';
  }
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** A fixed-width table of the steps, one line each. */
export function renderSteps(steps: readonly StepView[]): string[] {
  const nameWidth = Math.max(4, ...steps.map((s) => s.name.length));
  const statusWidth = Math.max(6, ...steps.map((s) => s.status.length));
  const header = `${'step'.padEnd(nameWidth)}  ${'status'.padEnd(statusWidth)}  elapsed  Glue run id`;
  return [header, ...steps.map((s) =>
    `${s.name.padEnd(nameWidth)}  ${s.status.padEnd(statusWidth)}  ${clockText(s.elapsed).padStart(7)}  ${s.jobRunId ?? ''}${s.attempts > 1 ? ` (attempt ${s.attempts})` : ''}`)];
}
