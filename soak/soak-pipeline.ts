import { ScopeLookup, scopeKey, scopeOf } from './call-scope';
import { AttemptRef, CallFault, EventFault, ExecutionPlan, FaultKind, PipelineFaults, ServiceName } from './fault-plan';
import { glueScriptsOf } from './glue-scripts';
import { AttemptFacts, checkInvariants, InvariantResult, PipelineFacts } from './invariants';
import { PipelinePlan } from './pipeline-plan';
import { expectedDurationOf, synthesizePipeline } from './synth';
import { ExecutionReport } from '../simulator/execution';
import { Call, Fault, FaultAction } from '../simulator/local-aws/fault-proxy';
import { PipelineEvent, Simulation } from '../simulator/simulation';
import { tokenId } from '../src/lambda/store/token-id';
import { CORRELATION_ARGUMENT, CORRELATION_RUN_PROPERTY } from '../src/shared/contract';
import { PipelineEventTypes } from '../src/shared/operations';
import type { StepLateDetail } from '../src/shared/pipeline-events';

/** What one pipeline's soak did and found. */
export interface PipelineOutcome {
  readonly results: InvariantResult[];
  readonly executions: ReadonlyArray<{ readonly index: number; readonly status: string; readonly error?: string }>;
  /** Faults planned and faults that struck (a planned fault misses when its call never comes). */
  readonly planned: Partial<Record<FaultKind, number>>;
  readonly struck: Partial<Record<FaultKind, number>>;
  readonly invocations: number;
  readonly glueStarts: number;
  readonly mails: number;
  /** Failed attempts whose mail path a fault struck, so their mail may be lost. */
  readonly mailsAtRisk: number;
  /** Late events the runner put on the bus. */
  readonly lateEvents: number;
  readonly simulatedSeconds: number;
}

export interface SoakPipelineOptions {
  /** Run this runner asset instead of the template's (a directory with an `index.js`). */
  readonly runnerAssetDir?: string;
}

/** How long an execution may run before the soak gives up on it: far beyond any plan's worst case. */
const EXECUTION_GUARD_SECONDS = 4 * 3600;

/**
 * Runs one planned pipeline: synthesizes it, starts a Simulation with its Glue scripts, runs its
 * executions (some at once) under their faults, lets the dust settle, and checks the invariants
 * over what was recorded.
 */
export async function soakPipeline(plan: PipelinePlan, faults: PipelineFaults, options: SoakPipelineOptions = {}): Promise<PipelineOutcome> {
  const template = synthesizePipeline(plan);
  const soak = new PipelineSoak(plan, faults);
  const sim = await Simulation.start({
    templateFile: template.templateFile,
    ...glueScriptsOf(plan),
    events: { delaySeconds: 1, deliver: (event) => soak.deliver(event) },
    runnerAssetDir: options.runnerAssetDir,
  });
  try {
    return await soak.run(sim);
  } finally {
    soak.stopped = true;
    await sim.stop();
    template.dispose();
  }
}

class PipelineSoak implements ScopeLookup {
  public stopped = false;
  private sim!: Simulation;
  private readonly executionArns: string[] = [];
  private readonly attempts = new Map<string, AttemptRef & { token: string }>();
  private indexedTasks = 0;
  /** Each call's scope and its position among the calls of its op in that scope. */
  private readonly seen = new WeakMap<Call, { key: string; n: number }>();
  private readonly callCounts = new Map<string, number>();
  private readonly claimed = new WeakSet<Call>();
  private readonly killedAt = new Map<string, number>();
  private readonly crawlEnds = new Map<string, number>();
  private readonly usedEventFaults = new Set<EventFault>();
  private readonly struckFaults = new Set<CallFault | EventFault>();
  /** The execution being started now: its start event is emitted before its ARN is known here. */
  private starting?: number;
  private readonly planned: Partial<Record<FaultKind, number>> = {};
  private readonly struck: Partial<Record<FaultKind, number>> = {};
  private readonly slowWindows: number[] = [];

  constructor(private readonly plan: PipelinePlan, private readonly faults: PipelineFaults) {
    const all = [...faults.calls, ...faults.events, ...faults.executions.flatMap((e) => [...e.calls, ...e.events])];
    all.forEach((f) => this.count(this.planned, f.kind));
    faults.executions.forEach((e) => {
      if (e.stopAfterSeconds !== undefined) {
        this.count(this.planned, 'execution-stopped');
      }
      if (e.slow) {
        this.count(this.planned, 'slow-near-deadline');
      }
    });
  }

  public async run(sim: Simulation): Promise<PipelineOutcome> {
    this.sim = sim;
    this.installCallFaults();
    const reports = await Promise.all(this.faults.executions.map((e) => this.execute(e)));
    // The dust settles: leases run out (the runner's timeout + 30 s), then two sweeps clean up.
    // A kill that strikes the invocation cleaning up after an earlier kill holds a record for one
    // lease more: one more settling per kill planned, while records are left.
    const settle = sim.pipeline.runnerTimeoutSeconds + 30 + 2 * sim.pipeline.checkIntervalSeconds;
    const kills = [...this.faults.calls, ...this.faults.executions.flatMap((e) => e.calls)]
      .filter((f) => f.kind === 'kill-before' || f.kind === 'kill-after').length;
    await sim.advance(settle);
    for (let more = kills; more > 0 && (await sim.trackedRecords()) > 0; more--) {
      await sim.advance(settle);
    }
    const facts = await this.facts(reports);
    const failedAttempts = facts.attempts.filter((a) => a.status === 'FAILED');
    return {
      results: checkInvariants(facts),
      executions: reports.map((r, index) => ({ index, status: r.status, error: r.error })),
      planned: this.planned,
      struck: this.struck,
      invocations: sim.runners.invocations.length,
      glueStarts: facts.runs.length + facts.crawls.length + facts.firings.length,
      mails: facts.mails.length,
      mailsAtRisk: failedAttempts.filter((a) => a.mailStruck).length,
      lateEvents: facts.lateEvents.length,
      simulatedSeconds: sim.clock.now(),
    };
  }

  // --- Executions -----------------------------------------------------------------------------

  private async execute(plan: ExecutionPlan): Promise<ExecutionReport> {
    await this.later(plan.startAtSeconds);
    this.starting = plan.index;
    const running = this.sim.run({ abortAfter: plan.stopAfterSeconds, maxSeconds: EXECUTION_GUARD_SECONDS });
    this.starting = undefined;
    // `run` lists the execution before its first await: its ARN is known from here on.
    this.executionArns[plan.index] = this.sim.executions[this.sim.executions.length - 1].executionArn;
    if (plan.slow) {
      const { fromSeconds, forSeconds, latencySeconds } = plan.slow;
      void this.later(fromSeconds).then(async () => {
        if (this.stopped) {
          return;
        }
        this.count(this.struck, 'slow-near-deadline');
        this.slowWindows.push(latencySeconds);
        this.applyLatency();
        await this.later(forSeconds);
        this.slowWindows.splice(this.slowWindows.indexOf(latencySeconds), 1);
        this.applyLatency();
      });
    }
    const report = await running;
    if (plan.stopAfterSeconds !== undefined && report.status === 'ABORTED') {
      this.count(this.struck, 'execution-stopped');
    }
    return report;
  }

  private applyLatency() {
    if (!this.stopped) {
      this.sim.apiLatencySeconds = Math.max(0, ...this.slowWindows);
    }
  }

  /** Resolves after `seconds` of simulated time. */
  private later(seconds: number): Promise<void> {
    return seconds > 0 ? this.sim.clock.sleep(seconds) : Promise.resolve();
  }

  // --- Faults on calls ------------------------------------------------------------------------

  /**
   * Every planned call fault becomes a Fault of the Simulation. In front of them, one observer
   * per (service, op) sees every call first and numbers it within its scope; it never strikes.
   */
  private installCallFaults() {
    const planned = [...this.faults.calls, ...this.faults.executions.flatMap((e) => e.calls)];
    const ops = new Map<string, { service: ServiceName; op: string }>();
    planned.forEach((f) => ops.set(`${f.service}.${f.op}`, f));
    // Kills and mail: the SendTaskFailure and StartTrigger calls are needed to tell what a kill cut short.
    const observers: Fault[] = [...ops.values()].map(({ service, op }) => ({
      service,
      op,
      action: { kind: 'delay', seconds: 0 },
      when: (call) => {
        this.observe(call);
        return false;
      },
    }));
    this.sim.faults.unshift(...observers, ...planned.map((f) => this.faultOf(f)));
  }

  private observe(call: Call) {
    if (this.seen.has(call)) {
      return;
    }
    // Only calls of the services the plan strikes are observed (EventBridge's are not among them).
    const key = `${scopeKey(scopeOf(call.service as ServiceName, call.op, call.body, this))}|${call.op}`;
    const n = (this.callCounts.get(key) ?? 0) + 1;
    this.callCounts.set(key, n);
    this.seen.set(call, { key, n });
  }

  private faultOf(f: CallFault): Fault {
    const key = `${scopeKey(f.scope)}|${f.op}`;
    return {
      service: f.service,
      op: f.op,
      action: actionOf(f),
      times: f.times,
      when: (call) => {
        const seen = this.seen.get(call);
        if (!seen || seen.key !== key || seen.n < f.nth || this.claimed.has(call)) {
          return false;
        }
        this.claimed.add(call);
        this.strike(f);
        if ((f.kind === 'kill-before' || f.kind === 'kill-after') && call.container) {
          this.killedAt.set(call.container, this.sim.clock.now());
        }
        return true;
      },
    };
  }

  // --- Events ---------------------------------------------------------------------------------

  /** EventBridge delivery: an event a fault targets is lost, delivered late, or delivered twice. */
  public deliver(event: PipelineEvent): boolean {
    const fault = this.eventFaultFor(event);
    if (!fault) {
      return true;
    }
    this.usedEventFaults.add(fault);
    this.strike(fault);
    const invoke = () => {
      if (!this.stopped) {
        void this.sim.runners.invoke(event);
      }
    };
    switch (fault.kind) {
      case 'event-lost':
        return false;
      case 'event-late':
        void this.later(1 + fault.delaySeconds).then(invoke);
        return false;
      case 'event-duplicated':
        void this.later(1 + fault.delaySeconds).then(invoke);
        return true;
    }
  }

  private eventFaultFor(event: PipelineEvent): EventFault | undefined {
    const unused = (f: EventFault) => !this.usedEventFaults.has(f);
    const detail = event.detail;
    switch (event['detail-type']) {
      case 'Glue Job State Change': {
        const correlation = this.correlationOfJobRun(String(detail.jobRunId));
        const attempt = correlation ? this.attemptOfTokenId(correlation) : undefined;
        return attempt && this.faults.executions[attempt.execution]?.events.find((f) => unused(f) && 'run' in f.target
          && f.target.run.step === attempt.step && f.target.run.attempt === attempt.attempt);
      }
      case 'Glue Crawler State Change': {
        const crawler = String(detail.crawlerName);
        const nth = (this.crawlEnds.get(crawler) ?? 0) + 1;
        this.crawlEnds.set(crawler, nth);
        return this.faults.events.find((f) => unused(f) && 'crawler' in f.target && f.target.crawler === crawler && f.target.nth === nth);
      }
      case 'Step Functions Execution Status Change': {
        const known = this.executionArns.indexOf(String(detail.executionArn));
        const execution = known >= 0 ? known : this.starting;
        return execution === undefined ? undefined : this.faults.executions[execution]?.events.find((f) => unused(f) && 'started' in f.target);
      }
      default:
        return undefined;
    }
  }

  // --- What calls are about (ScopeLookup) -----------------------------------------------------

  public attemptOfToken(token: string): AttemptRef | undefined {
    return this.attemptOfTokenId(tokenId(token));
  }

  public attemptOfTokenId(id: string): AttemptRef | undefined {
    if (!this.attempts.has(id)) {
      this.indexTasks();
    }
    return this.attempts.get(id);
  }

  public correlationOfJobRun(runId: string): string | undefined {
    return this.sim.glue.runs.find((r) => r.id === runId)?.request.Arguments?.[CORRELATION_ARGUMENT];
  }

  public correlationOfWorkflowRun(runId: string): string | undefined {
    return this.sim.glue.workflows.workflowRuns.find((r) => r.id === runId)?.properties[CORRELATION_RUN_PROPERTY];
  }

  public latestAttempt(executionArn: string, step: string): AttemptRef | undefined {
    this.indexTasks();
    const execution = this.executionArns.indexOf(executionArn);
    return [...this.attempts.values()].filter((a) => a.execution === execution && a.step === step).pop();
  }

  /** Numbers the tasks scheduled since the last look: attempt n of a step in an execution. */
  private indexTasks() {
    const tasks = this.sim.activity.tasks;
    for (; this.indexedTasks < tasks.length; this.indexedTasks++) {
      const task = tasks[this.indexedTasks];
      const input = JSON.parse(task.input) as { executionId?: string; stepName?: string };
      const execution = this.executionArns.indexOf(String(input.executionId));
      const step = String(input.stepName ?? task.stateName);
      const attempt = [...this.attempts.values()].filter((a) => a.execution === execution && a.step === step).length + 1;
      this.attempts.set(tokenId(task.token), { execution, step, attempt, token: task.token });
    }
  }

  // --- Facts ----------------------------------------------------------------------------------

  private async facts(reports: ExecutionReport[]): Promise<PipelineFacts> {
    const sim = this.sim;
    this.indexTasks();
    const calls = [...sim.proxies.values()].flatMap((p) => p.calls).sort((a, b) => a.at - b.at);
    const stepOf = new Map(this.plan.steps.map((s) => [s.name, s]));
    const attempts: AttemptFacts[] = sim.activity.tasks.map((task) => {
      const id = tokenId(task.token);
      const ref = this.attempts.get(id)!;
      const step = stepOf.get(ref.step)!;
      return {
        ref: { execution: ref.execution, step: ref.step, attempt: ref.attempt },
        kind: step.kind,
        resource: step.resource,
        tokenId: id,
        status: task.status,
        error: task.error,
        mailStruck: task.status === 'FAILED' && this.mailStruck(task.token, calls),
      };
    });
    const emails = await sim.emails();
    return {
      executions: reports.map((r, index) => ({
        index,
        status: r.status,
        error: r.error,
        stopPlanned: this.faults.executions[index].stopAfterSeconds !== undefined,
      })),
      attempts,
      runs: [
        // A trigger's job runs are its firing's doing, counted as firings.
        ...sim.glue.runs.filter((r) => r.request.TriggerName === undefined).map((r) => ({
          kind: 'job' as const, resource: r.jobName, correlation: r.request.Arguments?.[CORRELATION_ARGUMENT], retryOf: r.previousRunId,
        })),
        ...sim.glue.workflows.workflowRuns.map((r) => ({ kind: 'workflow' as const, resource: r.workflowName, correlation: r.properties[CORRELATION_RUN_PROPERTY] })),
      ],
      crawls: sim.glue.crawlers.crawls.filter((c) => !c.external).map((c) => c.crawlerName),
      firings: sim.glue.triggers.firings.map((f) => f.triggerName),
      trackedRecordsAfterSettling: await sim.trackedRecords(),
      tokens: sim.activity.tasks.map((t) => t.token),
      logLines: sim.runners.logs,
      invocations: sim.runners.invocations,
      lateEvents: sim.pipelineEvents.filter((e) => e.detailType === PipelineEventTypes.STEP_LATE).map((e) => {
        const detail = e.detail as StepLateDetail;
        const execution = this.executionArns.indexOf(detail.execution);
        return { execution: execution >= 0 ? execution : undefined, step: detail.step, attempt: detail.attempt };
      }),
      expectedSteps: this.plan.steps.filter((s) => expectedDurationOf(s) !== undefined).map((s) => s.name),
      mails: emails.map((m) => {
        const text = m.body.text ?? '';
        const execution = this.executionArns.indexOf(/^Execution:\s+(\S+)/m.exec(text)?.[1] ?? '');
        return { execution: execution >= 0 ? execution : undefined, step: /^Step "([^"]+)"/m.exec(text)?.[1], subject: m.subject };
      }),
    };
  }

  /** The container that sent this task's SendTaskFailure died afterwards: its mail may be lost. */
  private mailStruck(token: string, calls: ReadonlyArray<Call & { at: number }>): boolean {
    return calls.some((c) => c.op === 'SendTaskFailure' && c.container !== undefined && c.body.includes(token)
      && (this.killedAt.get(c.container) ?? -1) >= c.at);
  }

  /** A fault struck: counted once, however many calls it hits. */
  private strike(fault: CallFault | EventFault) {
    if (!this.struckFaults.has(fault)) {
      this.struckFaults.add(fault);
      this.count(this.struck, fault.kind);
    }
  }

  private count(tally: Partial<Record<FaultKind, number>>, kind: FaultKind) {
    tally[kind] = (tally[kind] ?? 0) + 1;
  }
}

/** Each service's own 5xx. SES (a query protocol) is never answered with an error. */
const SERVER_ERRORS: Readonly<Record<ServiceName, FaultAction>> = {
  dynamodb: { kind: 'error', type: 'InternalServerError', status: 500 },
  sfn: { kind: 'error', type: 'ServiceUnavailable', status: 503 },
  glue: { kind: 'error', type: 'InternalServiceException', status: 500 },
  ses: { kind: 'kill-caller' },
};

/** What a planned call fault does to the call it strikes. */
function actionOf(f: CallFault): FaultAction {
  switch (f.kind) {
    case 'kill-before': return { kind: 'kill-caller' };
    case 'kill-after': return { kind: 'kill-caller-after' };
    case 'throttling': return { kind: 'error', type: 'ThrottlingException', status: 400, message: 'Rate exceeded' };
    case 'server-error': return SERVER_ERRORS[f.service];
    case 'answer-lost': {
      const error = SERVER_ERRORS[f.service];
      return error.kind === 'error' ? { kind: 'error-after', type: error.type, status: error.status } : { kind: 'kill-caller-after' };
    }
    case 'connection-dropped': return { kind: 'drop-after' };
    case 'concurrent-runs': return f.op === 'StartCrawler'
      ? { kind: 'error', type: 'CrawlerRunningException', status: 400 }
      : { kind: 'error', type: 'ConcurrentRunsExceededException', status: 400 };
  }
}

