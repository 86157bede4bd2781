import * as scheduler from 'aws-cdk-lib/aws-scheduler';

/** What a scheduled run's logical date names. */
export enum LogicalDatePeriod {
  /** A day: `2026-11-30`. */
  DAY = 'DAY',
  /** An hour: `2026-11-30T02` (hours 00–23). */
  HOUR = 'HOUR',
}

/** How a pipeline starts on a schedule; see `GlueOrchestratedPipeline.addExecutionSchedule`. */
export interface ExecutionScheduleOptions {
  /**
   * When to start a run, e.g. `ScheduleExpression.cron({ hour: '2', minute: '0', timeZone: TimeZone.EUROPE_LISBON })`.
   * The logical date is read in the expression's time zone.
   */
  readonly schedule: scheduler.ScheduleExpression;
  /** What the logical date names. @default LogicalDatePeriod.DAY */
  readonly period?: LogicalDatePeriod;
  /**
   * How many periods before the one the run fires in its logical date is: with the default, a
   * run firing at 02:00 on 1 December is the run of 30 November, the day whose data is complete.
   * @default 1
   */
  readonly periodsBack?: number;
  /** The execution input field that holds the logical date. @default 'runDate' */
  readonly dateField?: string;
  /** The rest of the execution input. @default - the logical date only */
  readonly input?: { [key: string]: any };
  /**
   * Executions are named `<prefix>-<logical date>`, so a date runs once whoever starts it: a
   * backfill of the same date with the same prefix starts nothing the schedule started, and the
   * other way round. @default 'run'
   */
  readonly executionNamePrefix?: string;
  /** @default true */
  readonly enabled?: boolean;
  /** @default 'Starts an execution of the pipeline for the logical date of each run' */
  readonly description?: string;
}
