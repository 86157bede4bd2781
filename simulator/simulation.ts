import { randomUUID } from 'crypto';
import { ExecutionReport, startExecution } from './execution';
import { ActivityService } from './local-aws/activity-service';
import { AwsJsonEndpoint } from './local-aws/aws-json-endpoint';
import { LocalDynamo } from './local-aws/dynamo';
import { DEFAULT_JOB_SCRIPT, GlueService, JobScript } from './local-aws/glue-service';
import { LocalSes, SentEmail } from './local-aws/ses';
import { PipelineTemplate, readPipelineTemplate, SIM_ACCOUNT, SIM_REGION } from './pipeline-template';
import { RunnerPool } from './runner-pool';
import { SimClock } from './sim-clock';

export interface SimulationOptions {
  /** `<cdk.out>/<Stack>.template.json` of a stack holding one GlueOrchestratedPipeline. */
  readonly templateFile: string;
  /** Real milliseconds per simulated second. @default 5 */
  readonly realMsPerSimSecond?: number;
  /** How runs of each job (by Glue job name) behave. */
  readonly jobs?: Record<string, JobScript>;
  /** How runs of unlisted jobs behave. @default STARTING 5 s, RUNNING 60 s, SUCCEEDED */
  readonly defaultJob?: JobScript;
  /** Invoke the runner on the template's schedule. @default true */
  readonly schedule?: boolean;
  /** Runner containers that may run at once. @default 3 */
  readonly maxContainers?: number;
}

export interface RunOptions {
  /** Execution input. @default {} */
  readonly input?: Record<string, unknown>;
  /** Give up (abort) after this many simulated seconds. @default 6 hours */
  readonly maxSeconds?: number;
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
  public runners!: RunnerPool;
  private scheduleTimer?: NodeJS.Timeout;

  private constructor(private readonly options: SimulationOptions) {
    this.pipeline = readPipelineTemplate(options.templateFile);
    this.clock = new SimClock(options.realMsPerSimSecond ?? 5);
    this.activity = new ActivityService(this.clock);
    this.glue = new GlueService(this.clock, options.jobs, options.defaultJob ?? DEFAULT_JOB_SCRIPT);
    this.endpoint = new AwsJsonEndpoint(this.activity, this.glue);
  }

  /**
   * Runs one execution to its end (or `maxSeconds`) and reports it, once the runner invocations
   * in flight at that moment have ended too (a failure mail goes out after SendTaskFailure).
   */
  public async run(options: RunOptions = {}): Promise<ExecutionReport> {
    const executionArn = `arn:aws:states:${SIM_REGION}:${SIM_ACCOUNT}:execution:pipeline:${randomUUID()}`;
    const execution = startExecution(this.pipeline.definition, this.activity, this.clock, options.input ?? {}, executionArn, options.onChange);
    const guard = setTimeout(() => execution.abort(), this.clock.realMs(options.maxSeconds ?? 6 * 3600));
    try {
      const report = await execution.done;
      await this.runners.settle();
      return report;
    } finally {
      clearTimeout(guard);
    }
  }

  /** Mail the runner sent through SES. */
  public emails(): Promise<SentEmail[]> {
    return this.ses.emails();
  }

  /** One runner invocation now, outside the schedule (as a Lambda retry or a manual test would). */
  public invokeRunner() {
    return this.runners.invoke({ 'source': 'simulation', 'detail-type': 'Manual Invocation' });
  }

  /** Records left in the tracking table. */
  public trackedRecords(): Promise<number> {
    return this.dynamo.count(String(this.pipeline.table.TableName));
  }

  public async stop(): Promise<void> {
    clearInterval(this.scheduleTimer);
    await this.runners?.stop();
    // Let requests the killed runners left in flight finish before the servers close under them.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await Promise.all([this.endpoint.stop(), this.dynamo.stop(), this.ses.stop()]);
  }

  private async boot() {
    const [awsJson, dynamoUrl, sesUrl] = await Promise.all([
      this.endpoint.start(),
      this.dynamo.start(this.pipeline.table),
      this.ses.start(),
    ]);
    this.runners = new RunnerPool({
      assetDir: this.pipeline.runnerAssetDir,
      clock: this.clock,
      timeoutSeconds: this.pipeline.runnerTimeoutSeconds,
      maxContainers: this.options.maxContainers,
      env: {
        PATH: process.env.PATH ?? '',
        ...this.pipeline.runnerEnv,
        AWS_REGION: SIM_REGION,
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_ENDPOINT_URL_SFN: awsJson,
        AWS_ENDPOINT_URL_GLUE: awsJson,
        AWS_ENDPOINT_URL_DYNAMODB: dynamoUrl,
        AWS_ENDPOINT_URL_SES: sesUrl,
      },
    });
    if (this.options.schedule ?? true) {
      this.scheduleTimer = setInterval(() => {
        void this.runners.invoke({ 'source': 'aws.events', 'detail-type': 'Scheduled Event' });
      }, this.clock.realMs(this.pipeline.checkIntervalSeconds));
    }
  }
}
