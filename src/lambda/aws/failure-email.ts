import { SendEmailCommand } from '@aws-sdk/client-ses';
import { ses } from './clients';
import { STEP_KIND_SPECS } from '../../shared/contract';
import type { StepFailedDetail } from '../../shared/pipeline-events';
import { stepFailedDetail, StepFailure } from '../decisions/step-failed-detail';

export type { StepFailure };

export interface FailureEmail {
  readonly subject: string;
  readonly body: string;
}

/**
 * Pure: the subject and text of the mail for one failed attempt, with the facts and links of its
 * failure event. The subject names the pipeline as the user named it, the error name (what
 * failed, where a run's final state may read COMPLETED) and whether the step is tried again.
 * Attempts are counted from 1 here; the event's `attempt` is Step Functions' RetryCount, from 0.
 * A redrive counts a step's attempts from 1 again: the mail of a redriven execution names the
 * redrive too.
 */
export function formatFailureEmail(f: StepFailure): FailureEmail {
  const d = stepFailedDetail(f);
  const attempt = d.attempt === undefined ? undefined : d.attempt + 1;
  const label = (text: string) => text.padEnd(13);
  const lines = [
    `Step "${d.step}" of pipeline ${d.pipeline} failed.${retryNote(d)}`,
    '',
    `${label('Pipeline id:')} ${d.pipelineId}`,
    `${label(`Glue ${STEP_KIND_SPECS[d.kind ?? 'glue-job'].resource}:`)} ${d.resourceName ?? '(unknown)'}`,
    `${label('Glue run id:')} ${d.runId ?? '(no run started)'}`,
    `${label('Final state:')} ${d.state}`,
    `${label('Error:')} ${d.error}`,
    `${label('Attempt:')} ${attempt ?? '(unknown)'}`,
    ...(d.redriveCount ? [`${label('Redrive:')} ${d.redriveCount}`] : []),
    `${label('Retried:')} ${d.willRetry === undefined ? '(unknown)' : d.willRetry ? 'yes' : 'no'}`,
    `${label('Execution:')} ${d.execution ?? '(unknown)'}`,
    '',
    ...linkLines(d),
    'Message:',
    d.message || '(Glue gave no error message)',
  ];
  const retried = d.willRetry === undefined ? '' : `, ${d.willRetry ? 'will be retried' : 'not retried'}`;
  const redrive = d.redriveCount ? `redrive ${d.redriveCount}, ` : '';
  const outcome = attempt === undefined ? '' : ` (${redrive}attempt ${attempt}${retried})`;
  return {
    subject: `[${d.pipeline}] step ${d.step} failed: ${d.error}${outcome}`,
    body: lines.join('\n'),
  };
}

function retryNote(d: StepFailedDetail): string {
  switch (d.willRetry) {
    case true: return ' Step Functions will try it again.';
    case false: return ' It will not be tried again.';
    case undefined: return '';
  }
}

/** The event's links, one a line, then a blank line; nothing when there are none. */
function linkLines(d: StepFailedDetail): string[] {
  const links: [string, string | undefined][] = [
    ['Glue console:', d.links.glue],
    ['Execution console:', d.links.execution],
    ['Output logs:', d.links.logs],
    ['Error logs:', d.links.errorLogs],
  ];
  const lines = links.filter(([, url]) => url !== undefined).map(([name, url]) => `${name.padEnd(13)} ${url}`);
  return lines.length > 0 ? [...lines, ''] : [];
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
