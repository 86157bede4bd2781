import { createHash } from 'crypto';
import { EventEmitter } from 'events';
import { EndTimers, sameTime } from './end-timers';
import { CrawlerScript, GlueCrawlers } from './glue-crawlers';
import { GlueTriggers, TriggerScript } from './glue-triggers';
import { GlueWorkflows, WorkflowScript } from './glue-workflows';
import { ScriptBook } from './script-book';
import { ServiceError } from './service-error';
import { SimClock } from '../sim-clock';

export type JobRunState = 'STARTING' | 'RUNNING' | 'STOPPING' | 'WAITING' | 'SUCCEEDED' | 'FAILED' | 'STOPPED' | 'TIMEOUT' | 'ERROR' | 'EXPIRED';

const TERMINAL: readonly JobRunState[] = ['SUCCEEDED', 'FAILED', 'STOPPED', 'TIMEOUT', 'ERROR', 'EXPIRED'];

/** One stretch of a run's life: a state held for some simulated seconds. */
export interface RunPhase {
  readonly state: JobRunState;
  readonly seconds: number;
}

/** How runs of one job behave. */
export interface JobScript {
  /** Non-terminal states the run passes through, in order. @default STARTING 5 s, RUNNING 60 s */
  readonly phases?: RunPhase[];
  /** Where the run ends. @default SUCCEEDED */
  readonly finalState?: JobRunState;
  /** Glue's ErrorMessage on a run that does not succeed. */
  readonly errorMessage?: string;
  /**
   * Errors StartJobRun throws, one per call, before it starts runs normally again, e.g.
   * `ConcurrentRunsExceededException` or `ThrottlingException`.
   */
  readonly startErrors?: string[];
  /** How the job's next run behaves, once a run has started with this script. */
  readonly next?: JobScript;
  /**
   * The job's `MaxRetries` (a property of the job, answered by GetJob): Glue runs a run that
   * ended FAILED again, up to this many times, as a new run with `Attempt` one higher,
   * `PreviousRunId` naming the failed run and the same arguments. Runs that end in any other
   * state are not retried (see docs/aws-assumptions.md). @default 0
   */
  readonly maxRetries?: number;
  /** Simulated seconds from a failed attempt's end to the start of Glue's retry of it. @default 15 */
  readonly retryDelaySeconds?: number;
  /**
   * Where each attempt of a run ends, by `Attempt` (0 for the run StartJobRun started, 1 for
   * Glue's first retry...); an attempt past the list ends in `finalState`. Retries follow the
   * same phases. E.g. `['FAILED', 'FAILED', 'SUCCEEDED']`.
   */
  readonly attemptStates?: JobRunState[];
  /**
   * The script of a run started with these arguments, in place of this one (`undefined`: this
   * one): runs of one job that behave by their input, e.g. fail for some dates. Read when the run
   * starts; Glue's retries of the run follow the same script.
   */
  readonly byArguments?: (args: Readonly<Record<string, string>>) => JobScript | undefined;
}

export const DEFAULT_JOB_SCRIPT: JobScript = {
  phases: [{ state: 'STARTING', seconds: 5 }, { state: 'RUNNING', seconds: 60 }],
  finalState: 'SUCCEEDED',
};

/** How long a stopped run sits in STOPPING. */
const STOPPING_SECONDS = 5;

/** Seconds from a failed attempt's end to Glue's retry, unless the script says otherwise. */
export const DEFAULT_RETRY_DELAY_SECONDS = 15;

export interface StartJobRunRequest {
  readonly JobName?: string;
  readonly Arguments?: Record<string, string>;
  readonly WorkerType?: string;
  readonly NumberOfWorkers?: number;
  readonly MaxCapacity?: number;
  readonly ExecutionClass?: string;
  readonly Timeout?: number;
  /** Set on a run a trigger's firing started (Glue's `JobRun.TriggerName`); never sent by a caller. */
  readonly TriggerName?: string;
}

/** How the Glue resources other than jobs behave, by name. Names not listed exist, with default behaviour. */
export interface GlueResourceScripts {
  readonly crawlers?: Record<string, CrawlerScript>;
  readonly triggers?: Record<string, TriggerScript>;
  readonly workflows?: Record<string, WorkflowScript>;
}

/** A run, as the fake keeps it. */
export interface SimRun {
  readonly id: string;
  readonly jobName: string;
  readonly request: StartJobRunRequest;
  readonly startedAt: number;
  readonly script: JobScript;
  /** Glue's `Attempt`: 0 for a run StartJobRun started, then one more for each retry Glue made. */
  readonly attempt: number;
  /** Glue's `PreviousRunId`: the failed run this one retries (unset on a run StartJobRun started). */
  readonly previousRunId?: string;
  stoppedAt?: number;
}

/**
 * The Glue calls the runner makes, with scriptable runs: each passes through its phases in
 * simulated time and ends in the chosen state. Emits `run` when a run starts or is stopped,
 * and `ended` (run, final state, simulated time) when a run reaches its final state, as Glue
 * emits "Glue Job State Change" to EventBridge. Crawlers, triggers and workflows are served by
 * their own fakes, reachable here; crawls and workflow runs announce their ends on this emitter
 * too (`crawler-ended`, `workflow-ended`), and `dispose` silences them all.
 */
export class GlueService extends EventEmitter {
  public readonly runs: SimRun[] = [];
  public readonly crawlers: GlueCrawlers;
  public readonly triggers: GlueTriggers;
  public readonly workflows: GlueWorkflows;
  private readonly endTimers: EndTimers;
  private readonly book: ScriptBook<JobScript>;
  private nextId = 1;

  constructor(
    private readonly clock: SimClock,
    scripts: Record<string, JobScript> = {},
    defaultScript: JobScript = DEFAULT_JOB_SCRIPT,
    resources: GlueResourceScripts = {},
  ) {
    super();
    this.endTimers = new EndTimers(clock);
    this.crawlers = new GlueCrawlers(clock, resources.crawlers ?? {}, this, this.endTimers);
    this.triggers = new GlueTriggers(clock, resources.triggers ?? {}, this);
    this.workflows = new GlueWorkflows(clock, resources.workflows ?? {}, this, this.endTimers);
    this.book = new ScriptBook(scripts, defaultScript, 'job');
  }

  /** The script the job's next run follows. */
  public scriptOf(jobName: string): JobScript {
    return this.book.scriptOf(jobName);
  }

  /**
   * StartJobRun. `script` overrides the job's script for this one run: a run started by
   * someone else, outside the pipeline.
   */
  public startJobRun(req: StartJobRunRequest, script?: JobScript): { JobRunId: string } {
    if (!req.JobName) {
      throw new ServiceError('InvalidInputException', 'JobName is required');
    }
    this.book.throwStartError(req.JobName);
    const chosen = script ?? this.book.nextRun(req.JobName);
    const run = this.addRun(req.JobName, req, chosen.byArguments?.(req.Arguments ?? {}) ?? chosen, 0);
    return { JobRunId: run.id };
  }

  /** GetJob: the job's definition, as far as the runner reads it. Every job name exists. */
  public getJob(jobName: string | undefined) {
    if (!jobName) {
      throw new ServiceError('InvalidInputException', 'JobName is required');
    }
    return { Job: { Name: jobName, MaxRetries: this.book.given(jobName)?.maxRetries ?? this.scriptOf(jobName).maxRetries ?? 0 } };
  }

  private addRun(jobName: string, request: StartJobRunRequest, script: JobScript, attempt: number, previousRunId?: string): SimRun {
    const run: SimRun = {
      // Glue run ids are `jr_` and 64 hex digits.
      id: `jr_${createHash('sha256').update(`run-${this.nextId++}`).digest('hex')}`,
      jobName,
      request,
      startedAt: this.clock.now(),
      script,
      attempt,
      previousRunId,
    };
    this.runs.push(run);
    this.emit('run', run);
    this.announceEnd(run, totalSeconds(run.script));
    return run;
  }

  /**
   * Glue's own retry of a failed run: a new run, `Attempt` one higher, `PreviousRunId` the failed
   * run, the same request (so the same arguments), after the script's delay.
   */
  private retryLater(run: SimRun, endedAt: number) {
    this.endTimers.at(endedAt + (run.script.retryDelaySeconds ?? DEFAULT_RETRY_DELAY_SECONDS), () => {
      this.addRun(run.jobName, run.request, run.script, run.attempt + 1, run.id);
      return true;
    });
  }

  public getJobRun(jobName: string | undefined, runId: string | undefined) {
    const run = this.runs.find((r) => r.id === runId && r.jobName === jobName);
    if (!run) {
      throw new ServiceError('EntityNotFoundException', `Job run ${runId} of job ${jobName} not found`);
    }
    return { JobRun: this.describe(run) };
  }

  public getJobRuns(jobName: string | undefined, maxResults = 100, nextToken?: string) {
    const all = this.runs.filter((r) => r.jobName === jobName).reverse();
    const from = nextToken ? Number(nextToken) : 0;
    const page = all.slice(from, from + Math.min(maxResults, 200));
    const next = from + page.length < all.length ? String(from + page.length) : undefined;
    return { JobRuns: page.map((r) => this.describe(r)), NextToken: next };
  }

  public batchStopJobRun(jobName: string | undefined, runIds: string[] = []) {
    const SuccessfulSubmissions: Array<{ JobName: string; JobRunId: string }> = [];
    const Errors: Array<{ JobName?: string; JobRunId: string; ErrorDetail: { ErrorCode: string; ErrorMessage: string } }> = [];
    for (const id of runIds) {
      const run = this.runs.find((r) => r.id === id && r.jobName === jobName);
      if (!run || TERMINAL.includes(this.stateOf(run))) {
        Errors.push({ JobName: jobName, JobRunId: id, ErrorDetail: { ErrorCode: 'InvalidInputException', ErrorMessage: 'Job run cannot be stopped in its current state' } });
        continue;
      }
      if (run.stoppedAt === undefined) {
        run.stoppedAt = this.clock.now();
        this.announceEnd(run, run.stoppedAt - run.startedAt + STOPPING_SECONDS);
      }
      this.emit('run', run);
      SuccessfulSubmissions.push({ JobName: run.jobName, JobRunId: id });
    }
    return { SuccessfulSubmissions, Errors };
  }

  /** Cancels the end announcements still to come. */
  public dispose(): void {
    this.endTimers.dispose();
  }

  /** The simulated time a run reached its final state, if it has. */
  public endedAt(run: SimRun): number | undefined {
    const state = this.stateOf(run);
    if (!TERMINAL.includes(state)) {
      return undefined;
    }
    return run.stoppedAt !== undefined && state === 'STOPPED' ? run.stoppedAt + STOPPING_SECONDS : run.startedAt + totalSeconds(run.script);
  }

  /**
   * Emits `ended` once the run has reached a final state `afterSeconds` from its start. A run
   * stopped before its natural end announces only its STOPPED end (its own timer announces it).
   */
  private announceEnd(run: SimRun, afterSeconds: number) {
    const endAt = run.startedAt + afterSeconds;
    this.endTimers.at(endAt, () => {
      const at = this.endedAt(run);
      if (at === undefined) {
        return false;
      }
      if (sameTime(at, endAt)) {
        const state = this.stateOf(run);
        this.emit('ended', run, state, at);
        if (state === 'FAILED' && run.attempt < (run.script.maxRetries ?? 0)) {
          this.retryLater(run, at);
        }
      }
      return true;
    });
  }

  /** The run's state now, from its script and the simulated time since it started. */
  public stateOf(run: SimRun): JobRunState {
    const now = this.clock.now();
    if (run.stoppedAt !== undefined) {
      const naturalEnd = run.startedAt + totalSeconds(run.script);
      if (naturalEnd <= run.stoppedAt) {
        return finalStateOf(run);
      }
      return now < run.stoppedAt + STOPPING_SECONDS ? 'STOPPING' : 'STOPPED';
    }
    let t = run.startedAt;
    for (const phase of run.script.phases ?? []) {
      t += phase.seconds;
      if (now < t) {
        return phase.state;
      }
    }
    return finalStateOf(run);
  }

  private describe(run: SimRun) {
    const state = this.stateOf(run);
    const ended = TERMINAL.includes(state);
    const endSim = run.stoppedAt !== undefined && state === 'STOPPED' ? run.stoppedAt + STOPPING_SECONDS : run.startedAt + totalSeconds(run.script);
    return {
      Id: run.id,
      Attempt: run.attempt,
      PreviousRunId: run.previousRunId,
      JobName: run.jobName,
      JobRunState: state,
      Arguments: run.request.Arguments,
      TriggerName: run.request.TriggerName,
      // awsJson encodes timestamps as epoch seconds; simulated seconds from a fixed origin.
      StartedOn: this.clock.epochSeconds(run.startedAt),
      CompletedOn: ended ? this.clock.epochSeconds(endSim) : undefined,
      ExecutionTime: Math.round((ended ? endSim : this.clock.now()) - run.startedAt),
      ErrorMessage: ended && state !== 'SUCCEEDED' ? (state === 'STOPPED' && run.stoppedAt !== undefined ? 'Job run was stopped' : run.script.errorMessage) : undefined,
      WorkerType: run.request.WorkerType,
      NumberOfWorkers: run.request.NumberOfWorkers,
      MaxCapacity: run.request.MaxCapacity,
      ExecutionClass: run.request.ExecutionClass,
      Timeout: run.request.Timeout,
    };
  }
}

/** Where the run ends unless stopped: its attempt's scripted state, else the script's final state. */
function finalStateOf(run: SimRun): JobRunState {
  return run.script.attemptStates?.[run.attempt] ?? run.script.finalState ?? 'SUCCEEDED';
}

function totalSeconds(script: JobScript): number {
  return (script.phases ?? []).reduce((sum, p) => sum + p.seconds, 0);
}
