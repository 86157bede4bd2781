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
      } else if (!task || task.status === 'SCHEDULED') {
        status = 'waiting for the runner';
      } else if (!run) {
        status = 'starting';
      } else {
        status = `Glue ${this.glue.stateOf(run)}`;
      }
      return { name, status, elapsed, jobRunId: run?.id, attempts: tasks.length };
    });
  }
}

function jobNameOf(task: ActivityTask): string | undefined {
  try {
    return JSON.parse(task.input).jobName;
  } catch {
    return undefined;
  }
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
