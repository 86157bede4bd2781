import { SendEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { PIPELINE_ID, RECIPIENTS, SENDER } from './fixtures';
import { formatFailureEmail, sendFailureEmail, StepFailure } from '../../src/lambda/aws/failure-email';

const failure: StepFailure = {
  pipelineId: PIPELINE_ID,
  stepName: 'transform',
  resourceName: 'transform-job',
  runId: 'jr_0123abcd',
  finalState: 'FAILED',
  error: 'Glue.JobFailed',
  message: 'AnalysisException: Table or view not found: sales',
  executionId: 'arn:aws:states:us-east-1:111122223333:execution:sm:exec-9',
};

describe('formatFailureEmail', () => {
  it('GIVEN a failed Glue run WHEN formatted THEN the subject names the pipeline, the step and the final state', () => {
    // WHEN
    const { subject } = formatFailureEmail(failure);
    // THEN
    expect(subject).toBe('[nightly-etl] step transform failed: FAILED');
  });

  it('GIVEN a failed Glue run WHEN formatted THEN the body names job, run id, final state, error, execution and Glue\'s message', () => {
    // WHEN
    const { body } = formatFailureEmail(failure);
    // THEN
    const lines = body.split('\n');
    expect(lines[0]).toBe('Step "transform" of pipeline nightly-etl failed.');
    expect(lines).toEqual(expect.arrayContaining([
      'Glue job:     transform-job',
      'Glue run id:  jr_0123abcd',
      'Final state:  FAILED',
      'Error:        Glue.JobFailed',
      'Execution:    arn:aws:states:us-east-1:111122223333:execution:sm:exec-9',
    ]));
    expect(lines.slice(-2)).toEqual(['Message:', 'AnalysisException: Table or view not found: sales']);
  });

  it('GIVEN a step that failed before any run started WHEN formatted THEN the body says so instead of printing "undefined"', () => {
    // GIVEN
    const early: StepFailure = { pipelineId: PIPELINE_ID, stepName: '(unknown step)', finalState: 'INVALID_INPUT', error: 'Pipeline.InvalidInput', message: '' };
    // WHEN
    const { subject, body } = formatFailureEmail(early);
    // THEN
    expect(subject).toBe('[nightly-etl] step (unknown step) failed: INVALID_INPUT');
    expect(body).toContain('Glue job:     (unknown)');
    expect(body).toContain('Glue run id:  (no run started)');
    expect(body).toContain('Execution:    (unknown)');
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
