import { Token } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import { glueDefaultTimeoutMinutes } from '../../step-timing';
import { validateGlueName } from '../step-options';

/** What is known of a job named by `GlueJob.fromName`. */
export interface GlueJobOptions {
  /**
   * The job's `MaxRetries` as deployed: how many times Glue runs a failed run again. Given, the
   * state's timeout covers every attempt (as for a `CfnJob`).
   *
   * @default - unknown at synth: the runner reads it from Glue (`GetJob`) when a run fails, and
   * the state's timeout covers one attempt
   */
  readonly maxRetries?: number;
}

/**
 * The Glue job a step runs: named directly, or taken from a `glue.CfnJob` defined in the same app.
 */
export class GlueJob {
  /**
   * A job that exists already (or is deployed elsewhere), by name.
   */
  public static fromName(jobName: string, options: GlueJobOptions = {}): GlueJob {
    validateGlueName('glue job', jobName);
    const maxRetries = options.maxRetries;
    if (maxRetries !== undefined && !Token.isUnresolved(maxRetries) && !(Number.isInteger(maxRetries) && maxRetries >= 0)) {
      throw new Error(`glue job "${jobName}": maxRetries must be a whole number, 0 or more (the job's MaxRetries), got ${maxRetries}`);
    }
    return new GlueJob(jobName, undefined, undefined, maxRetries !== undefined && Token.isUnresolved(maxRetries) ? undefined : maxRetries);
  }

  /**
   * A job defined in this app. The step depends on it, and uses its timeout as the run timeout
   * unless the step sets its own: the CfnJob's `timeout` when it is a plain number, else Glue's
   * default for its `glueVersion` (480 minutes for 5.0 and later, 2,880 before). Its
   * `maxRetries`, when a plain number, tells the runner how many attempts Glue makes of each run.
   */
  public static fromCfnJob(job: glue.CfnJob): GlueJob {
    const timeout = typeof job.timeout === 'number' && !Token.isUnresolved(job.timeout) ? job.timeout : glueDefaultTimeoutMinutes(job.glueVersion);
    const name = job.name && !Token.isUnresolved(job.name) ? job.name : undefined;
    const maxRetries = typeof job.maxRetries === 'number' && !Token.isUnresolved(job.maxRetries) ? job.maxRetries : undefined;
    return new GlueJob(job.ref, timeout, name ?? job.node.id, maxRetries);
  }

  /**
   * @param jobName the name of the job (may be a token)
   * @param defaultTimeoutMinutes the job's own timeout in minutes, when known at synth time
   * @param displayName a readable name for defaults and messages when `jobName` is a token
   * @param maxRetries the job's MaxRetries, when known at synth time
   */
  private constructor(
    public readonly jobName: string,
    public readonly defaultTimeoutMinutes?: number,
    private readonly displayName?: string,
    /**
     * The job's `MaxRetries` when known at synth time (from a `CfnJob`): Glue runs a failed run
     * again up to this many times, and the step waits for the last attempt. Unknown (a job
     * named by `fromName`), the runner reads it from Glue when a run fails.
     */
    public readonly maxRetries?: number,
  ) {}

  /** A readable name for messages and default step names, even when `jobName` is a token. */
  public get label(): string {
    return Token.isUnresolved(this.jobName) ? (this.displayName ?? 'job') : this.jobName;
  }
}

