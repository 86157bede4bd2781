import { FAILURE_MAIL_NOT_SENT, TrackingRecord } from '../../shared/contract';
import { reportFailure, TaskReport } from '../aws/activity-tasks';
import { MailSettings, sendFailureEmail, StepFailure } from '../aws/failure-email';
import { describeError, log } from '../entry/log';
import { RunnerContext, RunnerTally } from '../entry/runner-context';

/**
 * Fails one task and tells the data team. The cause is JSON so a Catch can read it. Mail goes
 * out only when Step Functions accepted the failure, so a task failed twice (two overlapping
 * invocations) mails once. A mail error is logged at ERROR with a stable message, counted in
 * `tally`, and never keeps the record open.
 */
export async function failStep(
  taskToken: string,
  failure: StepFailure,
  mail: MailSettings | undefined,
  tokenId: string,
  tally: RunnerTally,
): Promise<TaskReport> {
  const cause = JSON.stringify({
    stepName: failure.stepName,
    jobName: failure.jobName,
    jobRunId: failure.jobRunId,
    state: failure.finalState,
    message: failure.message,
  });
  const report = await reportFailure(taskToken, failure.error, cause);
  log.info('step failed', { tokenId, stepName: failure.stepName, jobRunId: failure.jobRunId, error: failure.error, report });
  if (report === 'sent' && mail) {
    try {
      await sendFailureEmail(mail, failure);
    } catch (err) {
      tally.failureMailNotSent++;
      log.error(FAILURE_MAIL_NOT_SENT, { tokenId, stepName: failure.stepName, reason: describeError(err) });
    }
  }
  return report;
}

/** Fails the step; a failure that cannot be reported is left to the state's timeouts. */
export async function failSafely(ctx: RunnerContext, record: TrackingRecord, error: string, finalState: string, message: string) {
  try {
    return await failStep(record.taskToken, {
      pipelineId: ctx.config.pipelineId,
      stepName: record.stepName,
      kind: record.input?.kind,
      jobName: record.jobName,
      jobRunId: record.jobRunId,
      executionId: record.executionId,
      finalState,
      error,
      message,
    }, ctx.config.mail, record.tokenId, ctx.tally);
  } catch (err) {
    log.error('could not report failure; the state\'s timeouts will end the task', { tokenId: record.tokenId, reason: describeError(err) });
    return undefined;
  }
}
