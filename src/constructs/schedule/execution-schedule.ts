import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { ExecutionScheduleOptions, LogicalDatePeriod } from './execution-schedule-options';
import { checkNamesFit, DEFAULT_EXECUTION_NAME_PREFIX, executionNameFor, MAX_ATTEMPTS } from '../../shared/logical-date';
import {
  DEFAULT_DATE_FIELD, logicalDateOf,
  SCHEDULED_START_SOURCE, SCHEDULED_TIME_ATTRIBUTE, ScheduledStart,
} from '../../shared/scheduled-start';

/**
 * An EventBridge Scheduler schedule that invokes the runner with everything it needs to start the
 * run of a logical date (see src/shared/scheduled-start.ts). Checks the options at synth time.
 */
export function addExecutionSchedule(scope: Construct, id: string, runner: lambda.IFunction, options: ExecutionScheduleOptions): scheduler.Schedule {
  const payload = schedulePayload(options);
  claimNames(scope, id, payload);
  const role = new iam.Role(scope, `${id}Role`, {
    description: 'Lets EventBridge Scheduler invoke the pipeline runner',
    // Scheduler assumes it for this account's schedules only (the confused-deputy guard AWS recommends).
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
    }),
  });
  // The unqualified function only: aws-cdk's grantInvoke would add its versions (`:*`) too.
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [runner.functionArn] }));
  return new scheduler.Schedule(scope, id, {
    schedule: options.schedule,
    enabled: options.enabled,
    description: options.description ?? 'Starts an execution of the pipeline for the logical date of each run',
    target: {
      bind: () => ({
        arn: runner.functionArn,
        role,
        input: scheduler.ScheduleTargetInput.fromObject(payload),
        // A retried invocation starts nothing twice: the execution is named after its date.
        retryPolicy: { maximumRetryAttempts: RETRY_ATTEMPTS, maximumEventAgeInSeconds: MAX_EVENT_AGE_SECONDS },
      }),
    },
  });
}

/** The execution names each pipeline's schedules make (prefix and period), and which schedule makes them. */
const namesInUse = new WeakMap<Construct, Map<string, string>>();

/**
 * Two schedules of one pipeline that make the same names would start each date once between
 * them: the second to fire every day would find the name taken and start nothing. Refused.
 */
function claimNames(scope: Construct, id: string, payload: ScheduledStart): void {
  const claimed = namesInUse.get(scope) ?? new Map<string, string>();
  namesInUse.set(scope, claimed);
  const key = `${payload.namePrefix}|${payload.period}`;
  const other = claimed.get(key);
  if (other !== undefined) {
    const example = executionNameFor(logicalDateOf(Date.UTC(2026, 10, 30), 'UTC', payload.period, 0), payload.namePrefix);
    throw new Error(`schedules "${other}" and "${id}" both name their executions like "${example}": a date's execution is started once, `
      + `so one of them would start nothing. Give "${id}" an executionNamePrefix of its own`);
  }
  claimed.set(key, id);
}

/** Scheduler's tries of one invocation after the first, and for how long (seconds). */
const RETRY_ATTEMPTS = 10;
const MAX_EVENT_AGE_SECONDS = 3_600;

/** The payload the runner receives, with Scheduler's scheduled-time attribute in place. */
export function schedulePayload(options: ExecutionScheduleOptions): ScheduledStart {
  const period = options.period ?? LogicalDatePeriod.DAY;
  const periodsBack = options.periodsBack ?? 1;
  if (!Number.isInteger(periodsBack) || periodsBack < 0) {
    throw new Error(`periodsBack must be a whole number, 0 or more, got ${periodsBack}: it counts the ${period === LogicalDatePeriod.HOUR ? 'hours' : 'days'} between a run and the one it is for`);
  }
  const dateField = options.dateField ?? DEFAULT_DATE_FIELD;
  if (dateField.length === 0 || Token.isUnresolved(dateField)) {
    throw new Error(`dateField must be a literal, non-empty field name, got "${dateField}"`);
  }
  const input = options.input ?? {};
  if (dateField in input) {
    throw new Error(`input already has a "${dateField}" field, which the schedule fills with the logical date: remove it, or set dateField to another name`);
  }
  const namePrefix = options.executionNamePrefix ?? DEFAULT_EXECUTION_NAME_PREFIX;
  checkNamePrefix(namePrefix, period);
  const timeZone = options.schedule.timeZone?.timezoneName ?? 'UTC';
  return {
    source: SCHEDULED_START_SOURCE,
    scheduledTime: SCHEDULED_TIME_ATTRIBUTE,
    timeZone,
    period,
    periodsBack,
    dateField,
    input,
    namePrefix,
  };
}

function checkNamePrefix(prefix: string, period: LogicalDatePeriod): void {
  if (Token.isUnresolved(prefix)) {
    throw new Error('executionNamePrefix must be a literal string, not a token: execution names are made from it at run time');
  }
  // Every name a date may take: its first execution's, and the later attempts a backfill's
  // --only-failed may start under the same prefix (logical-date.ts).
  const sample = logicalDateOf(Date.UTC(2000, 0, 1), 'UTC', period, 0);
  try {
    checkNamesFit(sample, prefix);
  } catch (err) {
    throw new Error(`executionNamePrefix "${prefix}" cannot make the names of its dates' executions, like "${prefix}-${sample}" `
      + `and "${prefix}-${sample}-attempt-${MAX_ATTEMPTS}" for a backfill's later attempts: ${(err as Error).message}`);
  }
}
