import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { PipelineAlarmsOptions } from './options';
import { AwsLimits } from '../limits/aws-limits';
import { IGlueOrchestratedPipeline } from '../pipeline-interface';

/** Every period of these alarms but `noSuccessWithin`'s. */
const ALARM_PERIOD = Duration.minutes(5);

/**
 * The alarms `options` ask for, on `pipeline`'s metrics, in `scope`. `lateSteps`: whether some
 * step has an expected duration (else StepLate is never written, and no alarm watches it).
 */
export function createPipelineAlarms(scope: Construct, pipeline: IGlueOrchestratedPipeline, options: PipelineAlarmsOptions,
  lateSteps: boolean): cloudwatch.Alarm[] {
  const actions = options.alarmActions ?? [];
  if (actions.length > AwsLimits.ALARM_ACTIONS) {
    throw new Error(`alarms.alarmActions has ${actions.length} actions; CloudWatch allows at most ${AwsLimits.ALARM_ACTIONS} per alarm `
      + '(use one SNS topic and subscribe the rest to it)');
  }
  const noSuccessWithin = options.noSuccessWithin && validateNoSuccessWithin(options.noSuccessWithin);
  if (options.stepLate === true && !lateSteps) {
    throw new Error('alarms.stepLate is true, but no step sets expectedDuration, so no step is ever late and the alarm could never fire: '
      + 'set expectedDuration on the steps to watch, or leave stepLate unset');
  }
  const alarms: cloudwatch.Alarm[] = [];
  // The description is in every notification: say which pipeline it is about.
  const name = pipeline.pipelineId ?? pipeline.node.path;
  const add = (id: string, description: string, props: Omit<cloudwatch.AlarmProps, 'alarmDescription'>) => {
    const alarm = new cloudwatch.Alarm(scope, id, { alarmDescription: `Glue pipeline ${name}: ${description}`, ...props });
    alarm.addAlarmAction(...actions);
    alarms.push(alarm);
  };
  const atLeastOne = {
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  };
  if (options.executionFailed ?? true) {
    add('ExecutionFailedAlarm', 'an execution failed: a step failed after its retries',
      { metric: pipeline.metricFailed({ period: ALARM_PERIOD }), ...atLeastOne });
  }
  if (options.runnerErrors ?? true) {
    add('RunnerErrorsAlarm', 'the runner reported errors of its own (RunnerErrors); see its log',
      { metric: pipeline.metricRunnerErrors({ period: ALARM_PERIOD }), ...atLeastOne });
  }
  if (options.notificationFailures ?? true) {
    add('NotificationFailuresAlarm', 'the runner could not send a failure or late-step notification (NotificationFailures)',
      { metric: pipeline.metricNotificationFailures({ period: ALARM_PERIOD }), ...atLeastOne });
  }
  if (lateSteps && (options.stepLate ?? true)) {
    add('StepLateAlarm', 'a step ran past its expected duration (StepLate)',
      { metric: pipeline.metricStepLate({ period: ALARM_PERIOD }), ...atLeastOne });
  }
  if (noSuccessWithin) {
    add('NoSuccessAlarm', `no execution succeeded within ${noSuccessWithin.toHumanString()}`, {
      metric: pipeline.metricSucceeded({ period: noSuccessWithin, statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
  }
  return alarms;
}

function validateNoSuccessWithin(period: Duration): Duration {
  if (period.isUnresolved() || Token.isUnresolved(period.toMinutes({ integral: false }))) {
    throw new Error('alarms.noSuccessWithin must be a concrete duration');
  }
  const minutes = period.toMinutes({ integral: false });
  const maxMinutes = AwsLimits.ALARM_EVALUATION_SECONDS / 60;
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > maxMinutes) {
    throw new Error('alarms.noSuccessWithin must be whole minutes from 1 minute to 1 day (CloudWatch evaluates an alarm over at most '
      + `${AwsLimits.ALARM_EVALUATION_SECONDS} seconds), got ${period.toHumanString()}`);
  }
  return period;
}
