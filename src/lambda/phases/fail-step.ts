import { notificationFailed, runnerError } from './metric-facts';
import { FAILURE_EVENT_NOT_SENT, FAILURE_MAIL_NOT_SENT, TrackingRecord } from '../../shared/contract';
import { FailureReportError, reportFailure, TaskReport } from '../aws/activity-tasks';
import { MailSettings, sendFailureEmail, StepFailure } from '../aws/failure-email';
import { putStepFailedEvent } from '../aws/pipeline-events';
import { stepFailedDetail } from '../decisions/step-failed-detail';
import { describeError, log } from '../entry/log';
import { RunnerContext, RunnerTally } from '../entry/runner-context';

/** A fact of a failure report a CLOSING record keeps. */
export type FailureFact = 'report-unknown' | 'mailed' | 'announced';

/**
 * What a CLOSING record remembers of earlier tries to fail its task, so that a failure is mailed
 * and put on the event bus once, however many cycles it takes to report it.
 */
export interface FailureMemory {
  /** An earlier report's outcome is unknown (it failed after the SDK's tries): it may have closed the task. */
  readonly reportUnknown?: boolean;
  /** The team was mailed already. */
  readonly mailed?: boolean;
  /** The failure event was put already. */
  readonly announced?: boolean;
  /** Writes facts on the record, in one write; a failed write is logged, not thrown. */
  readonly remember: (...facts: FailureFact[]) => Promise<void>;
}

/**
 * Fails one task, then puts its failure event on the default event bus and mails the data team.
 * The cause is JSON so a Catch can read it. The event and the mail go out only when Step
 * Functions accepted the failure, so a task failed twice (two overlapping invocations) tells
 * once; with `memory`, also when an earlier report whose answer was lost may have closed the
 * task, and never twice. The task is failed first: neither the event nor the mail can delay or
 * lose the report. An event or mail error is logged at ERROR with a stable message, counted in
 * `tally`, and never keeps the record open.
 */
export async function failStep(
  taskToken: string,
  failure: StepFailure,
  mail: MailSettings | undefined,
  tokenId: string,
  tally: RunnerTally,
  memory?: FailureMemory,
): Promise<TaskReport> {
  // The cause's keys are documented (README, "Failure handling") and kept as they were when every
  // step was a job: `jobName` names the step's job, crawler, trigger or workflow.
  const cause = JSON.stringify({
    stepName: failure.stepName,
    jobName: failure.resourceName,
    jobRunId: failure.runId,
    state: failure.finalState,
    message: failure.message,
  });
  let report: TaskReport;
  try {
    report = await reportFailure(taskToken, failure.error, cause);
  } catch (err) {
    if (err instanceof FailureReportError && err.outcomeUnknown) {
      await memory?.remember('report-unknown');
    }
    throw err;
  }
  log.info('step failed', { tokenId, stepName: failure.stepName, runId: failure.runId, error: failure.error, report });
  const accepted = report === 'sent' || memory?.reportUnknown === true;
  const told: FailureFact[] = [];
  if (accepted && !memory?.announced) {
    try {
      await putStepFailedEvent(stepFailedDetail(failure));
      told.push('announced');
    } catch (err) {
      tally.failureEventNotSent++;
      log.error(FAILURE_EVENT_NOT_SENT, { tokenId, stepName: failure.stepName, reason: describeError(err) });
      notificationFailed(failure.pipelineId, 'event', failure.stepName);
    }
  }
  if (accepted && mail && !memory?.mailed) {
    try {
      await sendFailureEmail(mail, failure);
      told.push('mailed');
    } catch (err) {
      tally.failureMailNotSent++;
      log.error(FAILURE_MAIL_NOT_SENT, { tokenId, stepName: failure.stepName, reason: describeError(err) });
      notificationFailed(failure.pipelineId, 'mail', failure.stepName);
    }
  }
  if (told.length > 0) {
    await memory?.remember(...told);
  }
  return report;
}

/** Fails the step; a failure that cannot be reported is left to the state's timeouts. */
export async function failSafely(
  ctx: RunnerContext, record: TrackingRecord, error: string, finalState: string, message: string, memory?: FailureMemory,
) {
  try {
    return await failStep(record.taskToken, {
      pipelineId: ctx.config.pipelineId,
      stepName: record.stepName,
      kind: record.input?.kind,
      resourceName: record.resourceName,
      runId: record.runId,
      executionId: record.executionId,
      pipelineName: record.input?.pipelineName,
      attempt: record.input?.attempt,
      redriveCount: record.input?.redriveCount,
      retry: record.input?.retry,
      finalState,
      error,
      message,
    }, ctx.config.mail, record.tokenId, ctx.tally, memory);
  } catch (err) {
    runnerError(ctx, 'could not report failure; the state\'s timeouts will end the task', { tokenId: record.tokenId, reason: describeError(err) });
    return undefined;
  }
}
