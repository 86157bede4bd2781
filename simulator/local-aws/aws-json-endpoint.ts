import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { ActivityService } from './activity-service';
import { GlueService } from './glue-service';
import { closeServer, listenOnLoopback, readBody } from './local-http';
import { ServiceError } from './service-error';

type Body = Record<string, unknown>;
type Operation = (body: Body, cancelled: Promise<void>) => unknown;

/**
 * One HTTP endpoint for the Step Functions (awsJson1_0, `AWSStepFunctions.<Op>`) and Glue
 * (awsJson1_1, `AWSGlue.<Op>`) calls the runner makes. The real SDK clients reach it through
 * `AWS_ENDPOINT_URL_SFN` and `AWS_ENDPOINT_URL_GLUE`. Counts every call by operation.
 */
export class AwsJsonEndpoint {
  public readonly calls = new Map<string, number>();
  private server?: Server;

  constructor(private readonly activity: ActivityService, private readonly glue: GlueService) {}

  public async start(): Promise<string> {
    const ops: Record<string, Operation> = {
      'AWSStepFunctions.GetActivityTask': async (b, cancelled) => {
        const task = await this.activity.getActivityTask(str(b.activityArn), optStr(b.workerName), cancelled);
        return task ? { taskToken: task.token, input: task.input } : {};
      },
      'AWSStepFunctions.SendTaskSuccess': (b) => (this.activity.sendTaskSuccess(str(b.taskToken), str(b.output)), {}),
      'AWSStepFunctions.SendTaskFailure': (b) => (this.activity.sendTaskFailure(str(b.taskToken), optStr(b.error), optStr(b.cause)), {}),
      'AWSStepFunctions.SendTaskHeartbeat': (b) => (this.activity.sendTaskHeartbeat(str(b.taskToken)), {}),
      'AWSGlue.StartJobRun': (b) => this.glue.startJobRun(b),
      'AWSGlue.GetJobRun': (b) => this.glue.getJobRun(optStr(b.JobName), optStr(b.RunId)),
      'AWSGlue.GetJobRuns': (b) => this.glue.getJobRuns(optStr(b.JobName), b.MaxResults as number | undefined, optStr(b.NextToken)),
      'AWSGlue.BatchStopJobRun': (b) => this.glue.batchStopJobRun(optStr(b.JobName), b.JobRunIds as string[] | undefined),
    };
    this.server = createServer((req, res) => void this.handle(ops, req, res));
    this.server.keepAliveTimeout = 120_000;
    return listenOnLoopback(this.server);
  }

  public stop(): Promise<void> {
    return closeServer(this.server);
  }

  private async handle(ops: Record<string, Operation>, req: IncomingMessage, res: ServerResponse) {
    const target = String(req.headers['x-amz-target'] ?? '');
    const contentType = target.startsWith('AWSGlue.') ? 'application/x-amz-json-1.1' : 'application/x-amz-json-1.0';
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
      const result = await op(raw ? JSON.parse(raw) : {}, cancelled);
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
