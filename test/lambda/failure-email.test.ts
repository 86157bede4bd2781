import { SendEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { PIPELINE_ID, RECIPIENTS, SENDER } from './fixtures';
import { formatFailureEmail, sendFailureEmail, StepFailure } from '../../src/lambda/aws/failure-email';

const EXECUTION = 'arn:aws:states:us-east-1:111122223333:execution:nightly-etl:exec-9';

const failure: StepFailure = {
  pipelineId: PIPELINE_ID,
  pipelineName: 'Nightly ETL',
  stepName: 'transform',
  kind: 'glue-job',
  resourceName: 'transform-job',
  runId: 'jr_0123abcd',
  finalState: 'FAILED',
  error: 'Glue.JobFailed',
  message: 'AnalysisException: Table or view not found: sales',
  executionId: EXECUTION,
  attempt: 0,
  retry: [{ errors: ['States.HeartbeatTimeout'], maxAttempts: 2 }, { errors: ['Glue.JobFailed'], maxAttempts: 1 }],
};

describe('formatFailureEmail', () => {
  it.each<[string, Partial<StepFailure>, string]>([
    ['a first try that will be retried', {}, '[Nightly ETL] step transform failed: Glue.JobFailed (attempt 1, will be retried)'],
    ['the last try', { attempt: 1 }, '[Nightly ETL] step transform failed: Glue.JobFailed (attempt 2, not retried)'],
    ['a failed workflow: the error name, not the run\'s COMPLETED state', {
      kind: 'glue-workflow', resourceName: 'wf', finalState: 'COMPLETED', error: 'Glue.WorkflowActionsFailed', retry: [], attempt: 0,
    }, '[Nightly ETL] step transform failed: Glue.WorkflowActionsFailed (attempt 1, not retried)'],
    ['an attempt whose retry policy is not known', { retry: undefined }, '[Nightly ETL] step transform failed: Glue.JobFailed (attempt 1)'],
    ['the execution\'s first run, redrive count 0', { redriveCount: 0 }, '[Nightly ETL] step transform failed: Glue.JobFailed (attempt 1, will be retried)'],
    ['a redriven execution: attempts count from 1 again, so the subject names the redrive',
      { redriveCount: 1, attempt: 1 }, '[Nightly ETL] step transform failed: Glue.JobFailed (redrive 1, attempt 2, not retried)'],
    ['an older state machine: no name, attempt or retry in the task input', { pipelineName: undefined, attempt: undefined, retry: undefined },
      `[${PIPELINE_ID}] step transform failed: Glue.JobFailed`],
  ])('GIVEN %s WHEN formatted THEN the subject names the pipeline as the user named it, the step, the error and whether it is tried again', (_case, change, subject) => {
    expect(formatFailureEmail({ ...failure, ...change }).subject).toBe(subject);
  });

  it('GIVEN a failed Glue run WHEN formatted THEN the body gives the facts and links of the failure event, and Glue\'s message last', () => {
    // WHEN
    const { body } = formatFailureEmail(failure);
    // THEN
    const lines = body.split('\n');
    expect(lines[0]).toBe('Step "transform" of pipeline Nightly ETL failed. Step Functions will try it again.');
    expect(lines).toEqual(expect.arrayContaining([
      `Pipeline id:  ${PIPELINE_ID}`,
      'Glue job:     transform-job',
      'Glue run id:  jr_0123abcd',
      'Final state:  FAILED',
      'Error:        Glue.JobFailed',
      'Attempt:      1',
      'Retried:      yes',
      `Execution:    ${EXECUTION}`,
      'Glue console: https://us-east-1.console.aws.amazon.com/gluestudio/home?region=us-east-1#/job/transform-job/run/jr_0123abcd',
      `Execution console: https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1#/v2/executions/details/${EXECUTION}`,
      'Output logs:  https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/$252Faws-glue$252Fjobs$252Foutput/log-events/jr_0123abcd',
      'Error logs:   https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/$252Faws-glue$252Fjobs$252Ferror/log-events/jr_0123abcd',
    ]));
    expect(lines.slice(-2)).toEqual(['Message:', 'AnalysisException: Table or view not found: sales']);
  });

  it('GIVEN a failure of a redriven execution WHEN formatted THEN the body gives the redrive count beside the attempt', () => {
    const { body } = formatFailureEmail({ ...failure, redriveCount: 3 });
    expect(body.split('\n')).toEqual(expect.arrayContaining(['Attempt:      1', 'Redrive:      3']));
    expect(formatFailureEmail({ ...failure, redriveCount: 0 }).body).not.toContain('Redrive:');
  });

  it('GIVEN the last try WHEN formatted THEN the first line says the step will not be tried again', () => {
    const { body } = formatFailureEmail({ ...failure, attempt: 1 });
    expect(body.split('\n')[0]).toBe('Step "transform" of pipeline Nightly ETL failed. It will not be tried again.');
    expect(body).toContain('Retried:      no');
  });

  it('GIVEN a step that failed before any run started WHEN formatted THEN the body says so instead of printing "undefined"', () => {
    // GIVEN
    const early: StepFailure = { pipelineId: PIPELINE_ID, stepName: '(unknown step)', finalState: 'INVALID_INPUT', error: 'Pipeline.InvalidInput', message: '' };
    // WHEN
    const { subject, body } = formatFailureEmail(early);
    // THEN
    expect(subject).toBe('[nightly-etl] step (unknown step) failed: Pipeline.InvalidInput');
    expect(body.split('\n')[0]).toBe('Step "(unknown step)" of pipeline nightly-etl failed.');
    expect(body).toContain('Glue job:     (unknown)');
    expect(body).toContain('Glue run id:  (no run started)');
    expect(body).toContain('Execution:    (unknown)');
    expect(body).toContain('Attempt:      (unknown)');
    expect(body).toContain('Retried:      (unknown)');
    expect(body).toContain('(Glue gave no error message)');
    expect(body).not.toContain('undefined');
  });
});

describe('sendFailureEmail', () => {
  const sesMock = mockClient(SESClient);
  beforeEach(() => sesMock.reset());
  afterAll(() => sesMock.restore());

  it('GIVEN mail settings WHEN a failure is mailed THEN SES gets one message from the sender to every recipient with the formatted text', async () => {
    // GIVEN
    sesMock.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const { subject, body } = formatFailureEmail(failure);
    // WHEN
    await sendFailureEmail({ sender: SENDER, recipients: RECIPIENTS }, failure);
    // THEN
    expect(sesMock).toHaveReceivedCommandTimes(SendEmailCommand, 1);
    expect(sesMock).toHaveReceivedCommandWith(SendEmailCommand, {
      Source: SENDER,
      Destination: { ToAddresses: RECIPIENTS },
      Message: { Subject: { Data: subject, Charset: 'UTF-8' }, Body: { Text: { Data: body, Charset: 'UTF-8' } } },
    });
  });
});
