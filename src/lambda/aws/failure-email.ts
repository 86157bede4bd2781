import { SendEmailCommand } from '@aws-sdk/client-ses';
import { ses } from './clients';
import { STEP_KIND_SPECS, StepKind } from '../../shared/contract';

/** What the data team is told when a step fails. */
export interface StepFailure {
  readonly pipelineId: string;
  readonly stepName: string;
  /** What the step drives; a Glue job when unset. */
  readonly kind?: StepKind;
  /** The name of its Glue job, crawler, trigger or workflow. */
  readonly resourceName?: string;
  readonly runId?: string;
  /** Glue's final run state, or the runner's reason when no run finished (e.g. START_FAILED). */
  readonly finalState: string;
  /** The error name sent to Step Functions. */
  readonly error: string;
  /** Glue's ErrorMessage, or the runner's explanation. */
  readonly message: string;
  readonly executionId?: string;
}

export interface FailureEmail {
  readonly subject: string;
  readonly body: string;
}

/** Pure: the subject and text of the mail for one failure. */
export function formatFailureEmail(f: StepFailure): FailureEmail {
  const lines = [
    `Step "${f.stepName}" of pipeline ${f.pipelineId} failed.`,
    '',
    `${`Glue ${STEP_KIND_SPECS[f.kind ?? 'glue-job'].resource}:`.padEnd(13)} ${f.resourceName ?? '(unknown)'}`,
    `Glue run id:  ${f.runId ?? '(no run started)'}`,
    `Final state:  ${f.finalState}`,
    `Error:        ${f.error}`,
    `Execution:    ${f.executionId ?? '(unknown)'}`,
    '',
    'Message:',
    f.message || '(Glue gave no error message)',
  ];
  return {
    subject: `[${f.pipelineId}] step ${f.stepName} failed: ${f.finalState}`,
    body: lines.join('\n'),
  };
}

export interface MailSettings {
  readonly sender: string;
  readonly recipients: readonly string[];
  /** The SES configuration set to send with, if any. */
  readonly configurationSet?: string;
}

export async function sendFailureEmail(mail: MailSettings, failure: StepFailure): Promise<void> {
  const { subject, body } = formatFailureEmail(failure);
  await ses.send(new SendEmailCommand({
    Source: mail.sender,
    ConfigurationSetName: mail.configurationSet,
    Destination: { ToAddresses: [...mail.recipients] },
    Message: {
      Subject: { Data: subject, Charset: 'UTF-8' },
      Body: { Text: { Data: body, Charset: 'UTF-8' } },
    },
  }));
}
