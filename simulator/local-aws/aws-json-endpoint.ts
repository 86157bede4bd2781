import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { ActivityService } from './activity-service';
import { LocalEventBus } from './event-bus';
import { HOLD_HEADER } from './fault-proxy';
import { CrawlsFilter } from './glue-crawlers';
import { GlueService } from './glue-service';
import { closeServer, listenOnLoopback, readBody } from './local-http';
import { ServiceError } from './service-error';

export type Body = Record<string, unknown>;
/** A call that may only wait (a long poll with nothing to hand out) tells the clock so. */
export interface CallWait {
  pause(): void;
  resume(): void;
}
export type Operation = (body: Body, cancelled: Promise<void>, wait: CallWait) => unknown;

const NO_WAIT: CallWait = { pause: () => undefined, resume: () => undefined };

/**
 * One HTTP endpoint for the Step Functions (awsJson1_0, `AWSStepFunctions.<Op>`), Glue
 * (awsJson1_1, `AWSGlue.<Op>`: job runs, crawlers, triggers, workflow runs) and EventBridge
 * (awsJson1_1, `AWSEvents.PutEvents`) calls the runner makes. The real SDK clients reach it
 * through `AWS_ENDPOINT_URL_SFN`, `AWS_ENDPOINT_URL_GLUE` and `AWS_ENDPOINT_URL_EVENTBRIDGE`.
 * Counts every call by operation.
 */
export class AwsJsonEndpoint {
  public readonly calls = new Map<string, number>();
  private server?: Server;
  /** Operations served besides the endpoint's own (see `serve`), by `X-Amz-Target`. */
  private readonly more: Record<string, Operation> = {};

  constructor(
    private readonly activity: ActivityService,
    private readonly glue: GlueService,
    /**
     * The one state machine's ARN and its executions' ARNs, oldest first, with their status and
     * start time (epoch seconds on the simulation's clock, as the service's `startDate`), and once
     * redriven, their `redriveCount` and last `redriveDate` (epoch seconds).
     */
    private readonly stateMachine: {
      readonly arn: string;
      readonly executions: () => Array<{ arn: string; status: string; startDate: number; redriveCount?: number; redriveDate?: number }>;
    },
    /** The clock's hold of a call, by the id in its `x-sim-hold` header (set by the fault proxy). */
    private readonly holdOf: (id: number) => CallWait | undefined = () => undefined,
    /** The default event bus the runner puts its events on. */
    private readonly eventBus: LocalEventBus = new LocalEventBus(() => 0),
    /** Operations served by other stand-ins, by `X-Amz-Target` (StartExecution, DescribeExecution: `sfn-executions.ts`). */
    private readonly moreOperations: Record<string, Operation> = {},
  ) {}

  /** Serves more operations (by `X-Amz-Target`), e.g. those of another file; call before `start`. */
  public serve(operations: Record<string, Operation>): void {
    Object.assign(this.more, operations);
  }

  public async start(): Promise<string> {
    const ops: Record<string, Operation> = {
      ...this.more,
      'AWSStepFunctions.GetActivityTask': async (b, cancelled, wait) => {
        const task = await this.activity.getActivityTask(str(b.activityArn), optStr(b.workerName), cancelled, wait);
        return task ? { taskToken: task.token, input: task.input } : {};
      },
      'AWSStepFunctions.SendTaskSuccess': (b) => (this.activity.sendTaskSuccess(str(b.taskToken), str(b.output)), {}),
      'AWSStepFunctions.SendTaskFailure': (b) => (this.activity.sendTaskFailure(str(b.taskToken), optStr(b.error), optStr(b.cause)), {}),
      'AWSStepFunctions.SendTaskHeartbeat': (b) => (this.activity.sendTaskHeartbeat(str(b.taskToken)), {}),
      ...this.moreOperations,
      'AWSStepFunctions.ListExecutions': (b) => this.listExecutions(str(b.stateMachineArn), optStr(b.statusFilter),
        b.maxResults as number | undefined, optStr(b.nextToken)),
      'AWSEvents.PutEvents': (b) => this.eventBus.putEvents(b),
      'AWSGlue.StartJobRun': (b) => this.glue.startJobRun(b),
      'AWSGlue.GetJobRun': (b) => this.glue.getJobRun(optStr(b.JobName), optStr(b.RunId)),
      'AWSGlue.GetJobRuns': (b) => this.glue.getJobRuns(optStr(b.JobName), b.MaxResults as number | undefined, optStr(b.NextToken)),
      'AWSGlue.GetJob': (b) => this.glue.getJob(optStr(b.JobName)),
      'AWSGlue.BatchStopJobRun': (b) => this.glue.batchStopJobRun(optStr(b.JobName), b.JobRunIds as string[] | undefined),
      'AWSGlue.StartCrawler': (b) => this.glue.crawlers.startCrawler(optStr(b.Name)),
      'AWSGlue.GetCrawler': (b) => this.glue.crawlers.getCrawler(optStr(b.Name)),
      'AWSGlue.ListCrawls': (b) => this.glue.crawlers.listCrawls(optStr(b.CrawlerName), b.Filters as CrawlsFilter[] | undefined,
        b.MaxResults as number | undefined, optStr(b.NextToken)),
      'AWSGlue.StopCrawler': (b) => this.glue.crawlers.stopCrawler(optStr(b.Name)),
      'AWSGlue.StartTrigger': (b) => this.glue.triggers.startTrigger(optStr(b.Name)),
      'AWSGlue.GetTrigger': (b) => this.glue.triggers.getTrigger(optStr(b.Name)),
      'AWSGlue.StartWorkflowRun': (b) => this.glue.workflows.startWorkflowRun(optStr(b.Name), b.RunProperties as Record<string, string> | undefined),
      'AWSGlue.GetWorkflowRun': (b) => this.glue.workflows.getWorkflowRun(optStr(b.Name), optStr(b.RunId)),
      'AWSGlue.GetWorkflowRuns': (b) => this.glue.workflows.getWorkflowRuns(optStr(b.Name), b.MaxResults as number | undefined, optStr(b.NextToken)),
      'AWSGlue.StopWorkflowRun': (b) => this.glue.workflows.stopWorkflowRun(optStr(b.Name), optStr(b.RunId)),
    };
    this.server = createServer((req, res) => void this.handle(ops, req, res));
    this.server.keepAliveTimeout = 120_000;
    return listenOnLoopback(this.server);
  }

  public stop(): Promise<void> {
    return closeServer(this.server);
  }

  /** ListExecutions, newest first, paged by an offset token like the service's opaque one. */
  private listExecutions(stateMachineArn: string, statusFilter: string | undefined, maxResults = 100, nextToken?: string) {
    if (stateMachineArn !== this.stateMachine.arn) {
      throw new ServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
    }
    const all = this.stateMachine.executions().filter((e) => !statusFilter || e.status === statusFilter).reverse();
    const from = nextToken ? Number(nextToken) : 0;
    const size = Math.min(Math.max(maxResults || 100, 1), 1000);
    const page = all.slice(from, from + size);
    return {
      executions: page.map((e) => ({
        executionArn: e.arn,
        stateMachineArn,
        name: e.arn.split(':').pop(),
        status: e.status,
        startDate: e.startDate,
        ...(e.redriveDate !== undefined && { redriveCount: e.redriveCount, redriveDate: e.redriveDate }),
      })),
      nextToken: from + page.length < all.length ? String(from + page.length) : undefined,
    };
  }

  private async handle(ops: Record<string, Operation>, req: IncomingMessage, res: ServerResponse) {
    const target = String(req.headers['x-amz-target'] ?? '');
    const contentType = target.startsWith('AWSGlue.') || target.startsWith('AWSEvents.') ? 'application/x-amz-json-1.1' : 'application/x-amz-json-1.0';
    let resolveCancelled!: () => void;
    const cancelled = new Promise<void>((resolve) => (resolveCancelled = resolve));
    res.on('close', () => resolveCancelled());
    try {
      const raw = await readBody(req);
      const op = ops[target];
      if (!op) {
        throw new ServiceError('UnknownOperationException', `the local endpoint does not serve ${target || 'this request'}`);
      }
      this.calls.set(target, (this.calls.get(target) ?? 0) + 1);
      const wait = this.holdOf(Number(req.headers[HOLD_HEADER])) ?? NO_WAIT;
      const result = await op(raw ? JSON.parse(raw) : {}, cancelled, wait);
      if (!res.writableEnded && !res.destroyed) {
        res.writeHead(200, { 'content-type': contentType }).end(JSON.stringify(result));
      }
    } catch (err) {
      const e = err instanceof ServiceError ? err : new ServiceError('InternalFailure', String(err));
      if (!res.writableEnded && !res.destroyed) {
        res.writeHead(400, { 'content-type': contentType }).end(JSON.stringify({ __type: e.code, message: e.message }));
      }
    }
  }
}


function str(v: unknown): string {
  if (typeof v !== 'string') {
    throw new ServiceError('ValidationException', `expected a string, got ${JSON.stringify(v)}`);
  }
  return v;
}

function optStr(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : str(v);
}
