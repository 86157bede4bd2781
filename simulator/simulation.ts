import { randomUUID } from 'crypto';
import { ExecutionReport, startExecution } from './execution';
import { ActivityClocks, ActivityService } from './local-aws/activity-service';
import { AwsJsonEndpoint } from './local-aws/aws-json-endpoint';
import { LocalDynamo } from './local-aws/dynamo';
import { LocalEventBus, PutEvent } from './local-aws/event-bus';
import { Fault, FaultProxy, ServiceName } from './local-aws/fault-proxy';
import { CrawlerScript, crawlerStateChange, CrawlStatus } from './local-aws/glue-crawlers';
import { jobStateChange } from './local-aws/glue-job-events';
import { DEFAULT_JOB_SCRIPT, GlueService, JobRunState, JobScript, SimRun } from './local-aws/glue-service';
import { TriggerScript } from './local-aws/glue-triggers';
import { WorkflowScript } from './local-aws/glue-workflows';
import { redriveOperations } from './local-aws/redrive-operations';
import { LocalSes, SentEmail } from './local-aws/ses';
import { LocalExecutions, RedriveSupport } from './local-aws/sfn-executions';
import { matchesPattern, PipelineTemplate, readPipelineTemplate, SIM_REGION } from './pipeline-template';
import { redrivableExecution } from './redrive';
import { AsyncRetry, MetricLine, RunnerPool } from './runner-pool';
import { Cancellable, SimClock } from './sim-clock';
import { SCHEDULED_TIME_ATTRIBUTE } from '../src/shared/scheduled-start';

export interface SimulationOptions {
  /** `<cdk.out>/<Stack>.template.json` of a stack holding one GlueOrchestratedPipeline. */
  readonly templateFile: string;
  /** How runs of each job (by Glue job name) behave. */
  readonly jobs?: Record<string, JobScript>;
  /** How runs of unlisted jobs behave. @default STARTING 5 s, RUNNING 60 s, SUCCEEDED */
  readonly defaultJob?: JobScript;
  /** How crawls of each crawler (by Glue crawler name) behave. @default any crawler crawls 60 s, SUCCEEDED */
  readonly crawlers?: Record<string, CrawlerScript>;
  /** How each trigger (by Glue trigger name) behaves. @default any trigger is ON_DEMAND and starts no jobs */
  readonly triggers?: Record<string, TriggerScript>;
  /** How runs of each workflow (by Glue workflow name) behave. @default any workflow's run completes 2 actions in 60 s */
  readonly workflows?: Record<string, WorkflowScript>;
  /** Invoke the runner on the template's schedule. @default true */
  readonly schedule?: boolean;
  /** Runner containers that may run at once. @default 3 */
  readonly maxContainers?: number;
  /**
   * What becomes of an event or a schedule tick that finds every container busy. Lambda
   * invokes the runner asynchronously for both and retries a throttled event from its queue
   * (see `AsyncRetry`): `true` models that, or give the retry schedule. @default false (the
   * invocation is refused and lost, as a synchronous `invoke` would be)
   */
  readonly retryThrottledEvents?: boolean | AsyncRetry;
  /** Faults to inject into the runner's AWS calls; more can be pushed to `faults` later. */
  readonly faults?: Fault[];
  /**
   * EventBridge: events the template's rules match invoke the runner. `false` turns events off
   * (schedule only, as when every event is lost). @default delivered after 1 s
   */
  readonly events?: false | EventDelivery;
  /** Run this runner asset instead of the template's (a directory with an `index.js`). */
  readonly runnerAssetDir?: string;
  /** Simulated seconds every AWS call of the runner takes on the way in; see `apiLatencySeconds`. @default 0 */
  readonly apiLatencySeconds?: number;
  /**
   * When each activity task's heartbeat and task clocks start (AWS does not document it; see
   * `ActivityClocks`). @default 'hand-out'
   */
  readonly activityClocks?: ActivityClocks;
  /**
   * `ListExecutions` lists an execution only once it is this many simulated seconds old, as a
   * list that lags behind the start would. @default 0
   */
  readonly listExecutionsLagSeconds?: number;
  /** Whether DescribeExecution may call a closed execution redrivable (see `RedriveSupport`). @default it may, by Step Functions' rules */
  readonly redrive?: RedriveSupport;
}

export interface EventDelivery {
  /** Simulated seconds from the change to the runner's invocation. @default 1 */
  readonly delaySeconds?: number;
  /** Which events get through; the others are lost. @default every one */
  readonly deliver?: (event: PipelineEvent) => boolean;
}

/** An EventBridge event, as a rule target receives it. */
export interface PipelineEvent {
  readonly 'source': string;
  readonly 'detail-type': string;
  /** When the change happened (ISO 8601), as every EventBridge event carries it. */
  readonly 'time'?: string;
  readonly 'detail': Record<string, unknown>;
}

/** An event the simulation produced, and whether it reached the runner. */
export interface EventRecord {
  readonly at: number;
  readonly event: PipelineEvent;
  readonly delivered: boolean;
}

export interface RunOptions {
  /** Execution input. @default {} */
  readonly input?: Record<string, unknown>;
  /** Give up (abort) after this many simulated seconds. @default 6 hours */
  readonly maxSeconds?: number;
  /** Stop the execution after this many simulated seconds, as StopExecution would. */
  readonly abortAfter?: number;
  readonly onChange?: (report: ExecutionReport) => void;
}

/**
 * The pipeline of a synthesized template, running locally: the definition on
 * aws-local-stepfunctions, the bundled runner asset in node processes invoked on the schedule,
 * and the runner's AWS calls served by local stand-ins (activities and Glue here, dynalite,
 * aws-ses-v2-local), reached by the real SDK clients through AWS_ENDPOINT_URL_*.
 */
export class Simulation {
  public static async start(options: SimulationOptions): Promise<Simulation> {
    const sim = new Simulation(options);
    await sim.boot();
    return sim;
  }

  public readonly pipeline: PipelineTemplate;
  public readonly clock: SimClock;
  public readonly activity: ActivityService;
  public readonly glue: GlueService;
  public readonly endpoint: AwsJsonEndpoint;
  public readonly dynamo = new LocalDynamo();
  public readonly ses = new LocalSes();
  /** The default event bus: what the runner puts on it (PutEvents). */
  public readonly eventBus: LocalEventBus;
  public runners!: RunnerPool;
  /** Injected faults, applied by the proxies in front of every stand-in. */
  public readonly faults: Fault[];
  public readonly proxies = new Map<ServiceName, FaultProxy>();
  /** Emulated API latency: simulated seconds each AWS call of the runner is held. May be changed at any time. */
  public apiLatencySeconds: number;
  /** Every execution started, oldest first. */
  public readonly executions: ExecutionReport[] = [];
  /** StartExecution, DescribeExecution and GetExecutionHistory, as a caller outside the pipeline (the backfill) uses them. */
  public readonly stepFunctions: LocalExecutions;
  /** Every event that matched a rule of the runner, delivered or lost. */
  public readonly events: EventRecord[] = [];
  private scheduleTimer?: Cancellable;
  private readonly running = new Set<() => void>();
  /** Each execution's input and the outputs of its activity states that succeeded: what a redrive reruns from. */
  private readonly past = new Map<string, { readonly input: unknown; succeeded: ReadonlyMap<string, unknown> }>();

  /**
   * The metric lines the runner wrote (CloudWatch embedded metric format), oldest first, each
   * with the simulated time it was read at: what CloudWatch would extract metrics from.
   */
  public get metrics(): readonly MetricLine[] {
    return this.runners.metrics;
  }

  private constructor(private readonly options: SimulationOptions) {
    this.pipeline = readPipelineTemplate(options.templateFile);
    this.clock = new SimClock();
    this.activity = new ActivityService(this.clock, options.activityClocks);
    this.eventBus = new LocalEventBus(() => this.clock.now());
    this.glue = new GlueService(this.clock, options.jobs, options.defaultJob ?? DEFAULT_JOB_SCRIPT, {
      crawlers: options.crawlers,
      triggers: options.triggers,
      workflows: options.workflows,
    });
    this.stepFunctions = new LocalExecutions(this.pipeline.stateMachineArn, this.clock, () => this.executions,
      (executionArn, input) => this.launch(executionArn, input).report, options.redrive);
    this.endpoint = new AwsJsonEndpoint(this.activity, this.glue, {
      arn: this.pipeline.stateMachineArn,
      executions: () => this.executions
        .filter((e) => this.clock.now() - e.startedAt >= (options.listExecutionsLagSeconds ?? 0))
        .map((e) => ({
          arn: e.executionArn,
          status: e.status,
          startDate: this.clock.epochSeconds(e.startedAt),
          ...(e.redrivenAt !== undefined && { redriveCount: e.redriveCount, redriveDate: this.clock.epochSeconds(e.redrivenAt) }),
        })),
    }, (id) => this.clock.findHold(id), this.eventBus, {
      'AWSStepFunctions.StartExecution': (b) => this.stepFunctions.startExecution(String(b.stateMachineArn), b.name as string | undefined, b.input as string | undefined),
      'AWSStepFunctions.DescribeExecution': (b) => this.stepFunctions.describeExecution(String(b.executionArn)),
      'AWSStepFunctions.GetExecutionHistory': (b) => this.stepFunctions.getExecutionHistory(b),
    });
    this.endpoint.serve(redriveOperations((arn) => {
      const { redrivenAt, done } = this.startRedrive(arn);
      void done.catch(() => undefined);
      return redrivenAt;
    }, (t) => this.clock.epochSeconds(t)));
    this.faults = [...(options.faults ?? [])];
    this.apiLatencySeconds = options.apiLatencySeconds ?? 0;
    // Glue sends "Glue Job State Change" for some final states only: an ERROR or EXPIRED run ends unannounced.
    this.glue.on('ended', (run: SimRun, state: JobRunState) => {
      const detail = jobStateChange(run.jobName, run.id, state);
      if (detail) {
        this.emitEvent({ 'source': 'aws.glue', 'detail-type': 'Glue Job State Change', detail });
      }
    });
    // Glue sends no EventBridge event for workflow runs, so `workflow-ended` has no counterpart here.
    this.glue.on('crawler-ended', (crawlerName: string, status: CrawlStatus, _at: number, errorMessage?: string) => this.emitEvent({
      'source': 'aws.glue',
      'detail-type': 'Glue Crawler State Change',
      'detail': crawlerStateChange(crawlerName, status, errorMessage),
    }));
  }

  /**
   * Runs one execution to its end (or `maxSeconds`) and reports it, once the runner invocations
   * in flight at that moment have ended too (a failure mail goes out after SendTaskFailure).
   */
  public async run(options: RunOptions = {}): Promise<ExecutionReport> {
    const executionArn = this.stepFunctions.arnOf(randomUUID());
    this.stepFunctions.started(executionArn, options.input ?? {});
    const execution = this.launch(executionArn, options.input ?? {}, options.onChange);
    return this.follow(execution, options);
  }

  /**
   * RedriveExecution, with Step Functions' semantics: the execution (same ARN, same input) runs
   * again from its definition, but an activity state that succeeded in an earlier run returns
   * its output at once, so only the states that failed or were aborted (in a Parallel, the
   * branches that did not succeed) schedule tasks again, with their retry counts and timeouts
   * new. `$$.Execution.RedriveCount` counts the redrive. Throws the service's
   * `ExecutionDoesNotExist` or `ExecutionNotRedrivable` (RUNNING, SUCCEEDED, or ended more than
   * 14 simulated days ago). Returns when the redrive is under way, with its end to wait for.
   */
  public startRedrive(executionArn: string, options: Omit<RunOptions, 'input'> = {}): { redrivenAt: number; done: Promise<ExecutionReport> } {
    const report = redrivableExecution(this.executions, executionArn, this.clock.now());
    const past = this.past.get(executionArn)!;
    const execution = startExecution(this.pipeline.definition, this.activity, this.clock, past.input, executionArn, options.onChange,
      { report, succeeded: past.succeeded });
    past.succeeded = execution.succeeded;
    return { redrivenAt: report.redrivenAt!, done: this.follow(execution, options) };
  }

  /** Redrives the execution (see `startRedrive`) and reports it once it ended, as `run` does. */
  public redrive(executionArn: string, options: Omit<RunOptions, 'input'> = {}): Promise<ExecutionReport> {
    return this.startRedrive(executionArn, options).done;
  }

  /** Waits for an execution (a run or a redrive) to end, or aborts it at `maxSeconds` or `abortAfter`. */
  private async follow(execution: ReturnType<typeof startExecution>, options: Omit<RunOptions, 'input'>): Promise<ExecutionReport> {
    const guard = this.clock.after(options.maxSeconds ?? 6 * 3600, () => execution.abort());
    const stop = options.abortAfter === undefined ? undefined : this.clock.after(options.abortAfter, () => execution.abort());
    this.running.add(execution.abort);
    try {
      const report = await execution.done;
      await this.runners.settle();
      return report;
    } finally {
      this.running.delete(execution.abort);
      guard.cancel();
      stop?.cancel();
    }
  }

  /**
   * Starts an execution of the definition and lets it run, as StartExecution does: listed from
   * now on, its start announced to EventBridge, stopped by `stopExecutions`.
   */
  private launch(executionArn: string, input: unknown, onChange?: (report: ExecutionReport) => void) {
    const execution = startExecution(this.pipeline.definition, this.activity, this.clock, input, executionArn, onChange);
    this.executions.push(execution.report);
    this.past.set(executionArn, { input, succeeded: execution.succeeded });
    this.emitEvent({
      'source': 'aws.states',
      'detail-type': 'Step Functions Execution Status Change',
      // As Step Functions sends it: the envelope's ISO time, and the start as epoch ms in the detail.
      'time': new Date(this.clock.epochSeconds(execution.report.startedAt) * 1000).toISOString(),
      'detail': { executionArn, stateMachineArn: this.pipeline.stateMachineArn, status: 'RUNNING', startDate: this.clock.epochSeconds(execution.report.startedAt) * 1000 },
    });
    this.running.add(execution.abort);
    void execution.done.then(() => this.running.delete(execution.abort));
    return execution;
  }

  /**
   * Puts one task on the activity outside any execution of the definition, as a state of the
   * execution its input names would. That execution is listed RUNNING from now on, as started
   * `startedSecondsAgo` before (an hour by default: no start event of its own is on its way, so a
   * sweep expects its task at once).
   */
  public scheduleTask(stateName: string, input: string, heartbeatSeconds: number, timeoutSeconds: number, startedSecondsAgo = 3600): Promise<string> {
    const executionArn = String(JSON.parse(input).executionId);
    if (!this.executions.some((e) => e.executionArn === executionArn)) {
      this.executions.push({ executionArn, status: 'RUNNING', startedAt: this.clock.now() - startedSecondsAgo, states: [] });
    }
    return this.activity.schedule(this.pipeline.activityArn, stateName, input, heartbeatSeconds, timeoutSeconds);
  }

  /** Stops every running execution, as StopExecution does: their open tasks' tokens die. */
  public stopExecutions(): void {
    [...this.running].forEach((abort) => abort());
  }

  /** Lets `seconds` of simulated time pass (the schedule keeps invoking the runner). */
  public async advance(seconds: number): Promise<void> {
    await this.clock.sleep(seconds);
    await this.runners.settle();
  }

  /**
   * Lets `seconds` of simulated time pass with the schedule off, as days of sweeps that find
   * nothing to do would (each would be a runner invocation in a real process), then turns the
   * schedule back on. For scenarios that wait days, e.g. before a redrive.
   */
  public async idle(seconds: number): Promise<void> {
    await this.runners.settle();
    this.scheduleTimer?.cancel();
    await this.clock.sleep(seconds);
    if (this.options.schedule ?? true) {
      this.startSchedule();
    }
  }

  /** Every call the runner made to `service` (`op` only, when given), in order. */
  public callsTo(service: ServiceName, op?: string) {
    return this.proxies.get(service)!.calls.filter((c) => op === undefined || c.op === op);
  }

  /** Mail the runner sent through SES. */
  public emails(): Promise<SentEmail[]> {
    return this.ses.emails();
  }

  /** The events the runner put on the default event bus (failure events), oldest first. */
  public get pipelineEvents(): readonly PutEvent[] {
    return this.eventBus.events;
  }

  /**
   * EventBridge Scheduler fires an execution schedule (`addExecutionSchedule`) for `scheduledTime`
   * (ISO 8601): the runner is invoked with the schedule's input, its context attribute
   * `<aws.scheduler.scheduled-time>` replaced. `logicalId` picks one of several schedules.
   */
  public fireExecutionSchedule(scheduledTime: string, logicalId?: string) {
    const schedules = this.pipeline.executionSchedules.filter((s) => logicalId === undefined || s.logicalId === logicalId);
    if (schedules.length !== 1) {
      throw new Error(`expected one execution schedule${logicalId ? ` ${logicalId}` : ''}, the template has ${this.pipeline.executionSchedules.map((s) => s.logicalId).join(', ') || 'none'}`);
    }
    const input = schedules[0].input.split(SCHEDULED_TIME_ATTRIBUTE).join(new Date(scheduledTime).toISOString().replace(/\.000Z$/, 'Z'));
    return this.runners.invoke(JSON.parse(input));
  }

  /** One runner invocation now, outside the schedule (as a Lambda retry or a manual test would). */
  public invokeRunner() {
    return this.runners.invoke({ 'source': 'simulation', 'detail-type': 'Manual Invocation' });
  }

  /** Task records left in the tracking table. */
  public trackedRecords(): Promise<number> {
    return this.dynamo.count(String(this.pipeline.table.TableName), 'task#');
  }

  /**
   * EventBridge: an event that one of the runner's rules matches invokes the runner after the
   * delivery delay, unless the delivery options lose it.
   */
  private emitEvent(event: PipelineEvent) {
    if (this.options.events === false || !this.pipeline.eventPatterns.some((p) => matchesPattern(event as never, p))) {
      return;
    }
    const delivered = this.options.events?.deliver?.(event) ?? true;
    this.events.push({ at: this.clock.now(), event, delivered });
    if (!delivered) {
      return;
    }
    this.clock.after(this.options.events?.delaySeconds ?? 1, () => this.invokeAsync(event));
  }

  /** EventBridge invokes Lambda asynchronously: a throttled invocation is retried if `retryThrottledEvents` says so. */
  private invokeAsync(event: unknown): void {
    if (this.options.retryThrottledEvents) {
      void this.runners.invokeAsync(event);
    } else {
      void this.runners.invoke(event);
    }
  }

  public async stop(): Promise<void> {
    // Executions still running would keep their interpreter waiting, and a test process alive.
    this.stopExecutions();
    this.scheduleTimer?.cancel();
    this.clock.dispose();
    this.glue.dispose();
    this.activity.dispose();
    await this.runners?.stop();
    // Let requests the killed runners left in flight finish before the servers close under them.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await Promise.all([...[...this.proxies.values()].map((p) => p.stop()), this.endpoint.stop(), this.dynamo.stop(), this.ses.stop()]);
  }

  private async boot() {
    const [awsJson, dynamoUrl, sesUrl] = await Promise.all([
      this.endpoint.start(),
      this.dynamo.start(this.pipeline.table),
      this.ses.start(),
    ]);
    const targets: Record<ServiceName, string> = { sfn: awsJson, glue: awsJson, dynamodb: dynamoUrl, ses: sesUrl, events: awsJson };
    const urls = {} as Record<ServiceName, string>;
    for (const service of Object.keys(targets) as ServiceName[]) {
      const proxy = new FaultProxy(service, targets[service], this.clock, this.faults, {
        killContainer: (id) => this.runners.kill(id),
        latencySeconds: () => this.apiLatencySeconds,
        callArrived: (id) => this.runners.callArrived(id),
        callAnswered: (id) => this.runners.callAnswered(id),
      });
      this.proxies.set(service, proxy);
      urls[service] = await proxy.start();
    }
    this.runners = new RunnerPool({
      assetDir: this.options.runnerAssetDir ?? this.pipeline.runnerAssetDir,
      clock: this.clock,
      timeoutSeconds: this.pipeline.runnerTimeoutSeconds,
      maxContainers: this.options.maxContainers,
      asyncRetry: typeof this.options.retryThrottledEvents === 'object' ? this.options.retryThrottledEvents : undefined,
      env: {
        PATH: process.env.PATH ?? '',
        ...this.pipeline.runnerEnv,
        AWS_REGION: SIM_REGION,
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_ENDPOINT_URL_SFN: urls.sfn,
        AWS_ENDPOINT_URL_GLUE: urls.glue,
        AWS_ENDPOINT_URL_DYNAMODB: urls.dynamodb,
        AWS_ENDPOINT_URL_SES: urls.ses,
        AWS_ENDPOINT_URL_EVENTBRIDGE: urls.events,
      },
    });
    if (this.options.schedule ?? true) {
      this.startSchedule();
    }
  }

  private startSchedule(): void {
    this.scheduleTimer = this.clock.every(this.pipeline.checkIntervalSeconds, () => {
      this.invokeAsync({ 'source': 'aws.events', 'detail-type': 'Scheduled Event' });
    });
  }
}
