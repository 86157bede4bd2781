import { createHash } from 'crypto';
import { EventEmitter } from 'events';
import { EndTimers, sameTime } from './end-timers';
import { ScriptBook } from './script-book';
import { ServiceError } from './service-error';
import { SimClock } from '../sim-clock';

export type WorkflowRunStatus = 'RUNNING' | 'COMPLETED' | 'STOPPING' | 'STOPPED' | 'ERROR';

/** How runs of one workflow behave. */
export interface WorkflowScript {
  /** Simulated seconds a run takes. @default 60 */
  readonly seconds?: number;
  /** Nodes (jobs, crawlers) the run executes. @default 2 */
  readonly actions?: number;
  /** Of those, how many fail. The run still ends COMPLETED, as in Glue, with FailedActions > 0. @default 0 */
  readonly failedActions?: number;
  /** Of those, how many end stopped. @default 0 */
  readonly stoppedActions?: number;
  /** Of those, how many time out. @default 0 */
  readonly timeoutActions?: number;
  /** Where the run ends, unless StopWorkflowRun stops it first. @default COMPLETED */
  readonly finalStatus?: 'COMPLETED' | 'STOPPED' | 'ERROR';
  /** Glue's ErrorMessage on a run that ends in ERROR (or scripted STOPPED). */
  readonly errorMessage?: string;
  /**
   * Errors StartWorkflowRun throws, one per call, before it starts runs normally again, e.g.
   * `ConcurrentRunsExceededException` or `ThrottlingException`.
   */
  readonly startErrors?: string[];
  /** No such workflow: every call about it is EntityNotFoundException. */
  readonly missing?: boolean;
  /** How the workflow's next run behaves, once a run has started with this script. */
  readonly next?: WorkflowScript;
}

/** Any workflow not scripted exists, and its runs complete two actions in 60 s. */
export const DEFAULT_WORKFLOW_SCRIPT: WorkflowScript = { seconds: 60, actions: 2, finalStatus: 'COMPLETED' };

/** How long a stopped run sits in STOPPING. */
const STOPPING_SECONDS = 5;

/** A workflow run, as the fake keeps it. */
export interface SimWorkflowRun {
  readonly id: string;
  readonly workflowName: string;
  readonly properties: Record<string, string>;
  readonly startedAt: number;
  readonly script: WorkflowScript;
  stoppedAt?: number;
}

/**
 * The Glue workflow calls (StartWorkflowRun, GetWorkflowRun, GetWorkflowRuns, StopWorkflowRun)
 * with scriptable runs, in simulated time. Emits `workflow-ended` (run, status, simulated time)
 * on `events` when a run ends. Glue sends no EventBridge event for workflow runs; the event is
 * for tests and the simulation's own bookkeeping. Runs carry no graph (`IncludeGraph` is ignored).
 */
export class GlueWorkflows {
  /** Every run, oldest first. */
  public readonly workflowRuns: SimWorkflowRun[] = [];
  private readonly book: ScriptBook<WorkflowScript>;
  private nextId = 1;

  constructor(
    private readonly clock: SimClock,
    scripts: Record<string, WorkflowScript>,
    private readonly events: EventEmitter,
    private readonly timers: EndTimers,
  ) {
    this.book = new ScriptBook(scripts, DEFAULT_WORKFLOW_SCRIPT, 'workflow');
  }

  /** The script the workflow's next run follows. */
  public scriptOf(workflowName: string): WorkflowScript {
    return this.book.scriptOf(workflowName);
  }

  public startWorkflowRun(name: string | undefined, runProperties: Record<string, string> = {}): { RunId: string } {
    const workflow = this.existing(name);
    this.book.throwStartError(workflow);
    const script = this.book.nextRun(workflow);
    const run: SimWorkflowRun = {
      // Glue workflow run ids are `wr_` and 64 hex digits.
      id: `wr_${createHash('sha256').update(`workflow-run-${this.nextId++}`).digest('hex')}`,
      workflowName: workflow,
      properties: { ...runProperties },
      startedAt: this.clock.now(),
      script,
    };
    this.workflowRuns.push(run);
    this.announceEnd(run);
    return { RunId: run.id };
  }

  public getWorkflowRun(name: string | undefined, runId: string | undefined) {
    return { Run: this.describe(this.runOf(name, runId)) };
  }

  /**
   * GetWorkflowRuns, paged by an offset token like the service's opaque one. Glue documents no
   * order for its results (GetJobRuns, unlike it, is newest first), so the fake answers oldest
   * first: a caller that assumes newest first, and stops at the first run older than the one it
   * looks for, misses it here.
   */
  public getWorkflowRuns(name: string | undefined, maxResults = 100, nextToken?: string) {
    const workflow = this.existing(name);
    const all = this.workflowRuns.filter((r) => r.workflowName === workflow);
    const from = nextToken ? Number(nextToken) : 0;
    const page = all.slice(from, from + Math.min(Math.max(maxResults || 100, 1), 1000));
    const next = from + page.length < all.length ? String(from + page.length) : undefined;
    return { Runs: page.map((r) => this.describe(r)), NextToken: next };
  }

  public stopWorkflowRun(name: string | undefined, runId: string | undefined): Record<string, never> {
    const run = this.runOf(name, runId);
    if (this.statusOf(run) !== 'RUNNING') {
      throw new ServiceError('IllegalWorkflowStateException', `Workflow run ${run.id} is not running`);
    }
    run.stoppedAt = this.clock.now();
    this.announceEnd(run);
    return {};
  }

  /** The simulated time the run ends (ended): its natural end, or the end of STOPPING. */
  public endOf(run: SimWorkflowRun): number {
    return run.stoppedAt !== undefined
      ? run.stoppedAt + STOPPING_SECONDS
      : run.startedAt + (run.script.seconds ?? DEFAULT_WORKFLOW_SCRIPT.seconds!);
  }

  /** The run's status now. */
  public statusOf(run: SimWorkflowRun): WorkflowRunStatus {
    if (this.clock.now() < this.endOf(run)) {
      return run.stoppedAt === undefined ? 'RUNNING' : 'STOPPING';
    }
    return run.stoppedAt !== undefined ? 'STOPPED' : run.script.finalStatus ?? 'COMPLETED';
  }

  private runOf(name: string | undefined, runId: string | undefined): SimWorkflowRun {
    const workflow = this.existing(name);
    const run = this.workflowRuns.find((r) => r.id === runId && r.workflowName === workflow);
    if (!run) {
      throw new ServiceError('EntityNotFoundException', `Workflow run ${runId} of workflow ${workflow} not found`);
    }
    return run;
  }

  private existing(name: string | undefined): string {
    if (!name) {
      throw new ServiceError('InvalidInputException', 'Name is required');
    }
    if (this.book.given(name)?.missing) {
      throw new ServiceError('EntityNotFoundException', `Workflow with name ${name} not found`);
    }
    return name;
  }

  /** Emits `workflow-ended` once the run has ended; a run stopped early announces only its STOPPED end. */
  private announceEnd(run: SimWorkflowRun) {
    const endAt = this.endOf(run);
    this.timers.at(endAt, () => {
      if (this.clock.now() < this.endOf(run)) {
        return false;
      }
      if (sameTime(this.endOf(run), endAt)) {
        this.events.emit('workflow-ended', run, this.statusOf(run), endAt);
      }
      return true;
    });
  }

  private describe(run: SimWorkflowRun) {
    const status = this.statusOf(run);
    const ended = status !== 'RUNNING' && status !== 'STOPPING';
    return {
      Name: run.workflowName,
      WorkflowRunId: run.id,
      WorkflowRunProperties: run.properties,
      // awsJson encodes timestamps as epoch seconds; simulated seconds from a fixed origin.
      StartedOn: this.clock.epochSeconds(run.startedAt),
      CompletedOn: ended ? this.clock.epochSeconds(this.endOf(run)) : undefined,
      Status: status,
      ErrorMessage: ended && status !== 'COMPLETED' && run.stoppedAt === undefined ? run.script.errorMessage : undefined,
      Statistics: statistics(run.script, ended, run.stoppedAt !== undefined),
    };
  }
}

/**
 * Action counts: every action running until the run ends; then as scripted, the rest succeeded.
 * A run stopped through StopWorkflowRun had all its actions still running: they end stopped.
 */
function statistics(script: WorkflowScript, ended: boolean, stopped: boolean) {
  const actions = script.actions ?? DEFAULT_WORKFLOW_SCRIPT.actions!;
  const counts = {
    TotalActions: actions,
    TimeoutActions: 0,
    FailedActions: 0,
    StoppedActions: 0,
    SucceededActions: 0,
    RunningActions: 0,
    ErroredActions: 0,
    WaitingActions: 0,
  };
  if (!ended) {
    return { ...counts, RunningActions: actions };
  }
  if (stopped) {
    return { ...counts, StoppedActions: actions };
  }
  const failed = script.failedActions ?? 0;
  const stoppedActions = script.stoppedActions ?? 0;
  const timeout = script.timeoutActions ?? 0;
  return {
    ...counts,
    FailedActions: failed,
    StoppedActions: stoppedActions,
    TimeoutActions: timeout,
    SucceededActions: Math.max(0, actions - failed - stoppedActions - timeout),
  };
}
