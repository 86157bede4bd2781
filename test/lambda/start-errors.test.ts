import {
  ConcurrentRunsExceededException, CrawlerNotRunningException, CrawlerRunningException, EntityNotFoundException,
  IllegalWorkflowStateException, InternalServiceException, InvalidInputException,
  OperationTimeoutException, ResourceNumberLimitExceededException,
} from '@aws-sdk/client-glue';
import { classifyStartError, startBackoffMs, StartErrorKind, startOutcomeUnknown } from '../../src/lambda/decisions/start-errors';
import { MissingJobRunIdError } from '../../src/lambda/kinds/glue-job/job-runs';

/** An error as the SDK deserializes it: a name and the HTTP status of Glue's answer. */
const answered = (name: string, httpStatusCode: number) =>
  Object.assign(new Error(`${name} from Glue`), { name, $metadata: { httpStatusCode } });
const meta = (httpStatusCode: number) => ({ message: 'x', $metadata: { httpStatusCode } });

describe('classifyStartError', () => {
  it.each<{ label: string; err: unknown; expected: StartErrorKind }>([
    { label: 'ConcurrentRunsExceededException (MaxConcurrentRuns reached)', err: new ConcurrentRunsExceededException(meta(400)), expected: 'transient' },
    { label: 'ThrottlingException (Rate exceeded)', err: answered('ThrottlingException', 400), expected: 'transient' },
    { label: 'OperationTimeoutException', err: new OperationTimeoutException(meta(400)), expected: 'transient' },
    { label: 'InternalServiceException', err: new InternalServiceException(meta(500)), expected: 'transient' },
    { label: 'ResourceNumberLimitExceededException (account quota)', err: new ResourceNumberLimitExceededException(meta(400)), expected: 'transient' },
    { label: 'TimeoutError (no answer in time)', err: Object.assign(new Error('socket timed out'), { name: 'TimeoutError' }), expected: 'transient' },
    { label: 'an unlisted 503', err: answered('ServiceUnavailableException', 503), expected: 'transient' },
    { label: 'an unlisted 500', err: answered('SomethingNewException', 500), expected: 'transient' },
    { label: 'a network error with no HTTP status', err: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), expected: 'transient' },
    { label: 'CrawlerRunningException (a crawl started by someone else)', err: new CrawlerRunningException(meta(400)), expected: 'transient' },
    { label: 'CrawlerNotRunningException', err: new CrawlerNotRunningException(meta(400)), expected: 'permanent' },
    { label: 'IllegalWorkflowStateException', err: new IllegalWorkflowStateException(meta(400)), expected: 'permanent' },
    { label: 'EntityNotFoundException (no such job)', err: new EntityNotFoundException(meta(400)), expected: 'permanent' },
    { label: 'InvalidInputException (bad argument)', err: new InvalidInputException(meta(400)), expected: 'permanent' },
    { label: 'AccessDeniedException', err: answered('AccessDeniedException', 403), expected: 'permanent' },
    { label: 'an unlisted 4xx', err: answered('ValidationException', 400), expected: 'permanent' },
    { label: 'an answer without a run id', err: Object.assign(new Error('returned no JobRunId'), { name: 'MissingJobRunIdError' }), expected: 'transient' },
    { label: 'a fault in the runner itself (TypeError)', err: new TypeError("Cannot read properties of undefined (reading 'jobName')"), expected: 'permanent' },
    { label: 'a plain Error with no HTTP status and no network code', err: new Error('unexpected'), expected: 'permanent' },
  ])('GIVEN a start (StartJobRun, StartCrawler, ...) fails with $label WHEN classified THEN it is $expected', ({ err, expected }) => {
    // WHEN
    const kind = classifyStartError(err);
    // THEN
    expect(kind).toBe(expected);
  });
});

describe('startOutcomeUnknown', () => {
  it.each<{ label: string; err: unknown; expected: boolean }>([
    // refusals: Glue answered that it did not act on the call
    { label: 'ConcurrentRunsExceededException', err: new ConcurrentRunsExceededException(meta(400)), expected: false },
    { label: 'CrawlerRunningException', err: new CrawlerRunningException(meta(400)), expected: false },
    { label: 'ThrottlingException', err: answered('ThrottlingException', 400), expected: false },
    { label: 'ResourceNumberLimitExceededException', err: new ResourceNumberLimitExceededException(meta(400)), expected: false },
    // anything else transient may have started the work
    { label: 'InternalServiceException (500)', err: new InternalServiceException(meta(500)), expected: true },
    { label: 'an unlisted 500', err: answered('SomethingNewException', 500), expected: true },
    { label: 'an unlisted 503', err: answered('ServiceUnavailableException', 503), expected: true },
    { label: 'TimeoutError (no answer in time)', err: Object.assign(new Error('socket timed out'), { name: 'TimeoutError' }), expected: true },
    { label: 'a dropped connection (ECONNRESET)', err: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), expected: true },
    { label: 'an answer without a run id (MissingJobRunIdError)', err: new MissingJobRunIdError('StartJobRun for job j returned no JobRunId'), expected: true },
    { label: 'OperationTimeoutException (answered 400)', err: new OperationTimeoutException(meta(400)), expected: true },
  ])('GIVEN a transient start failure $label WHEN asked whether it may have taken effect THEN $expected', ({ err, expected }) => {
    expect(classifyStartError(err)).toBe('transient');
    expect(startOutcomeUnknown(err)).toBe(expected);
  });
});

describe('startBackoffMs', () => {
  it.each([
    [1, 30_000],
    [2, 60_000],
    [3, 120_000],
    [4, 240_000],
    [5, 480_000],
    [6, 600_000],
    [20, 600_000],
  ])('GIVEN %i refused starts WHEN the next try is planned THEN it waits %i ms', (attempts, expected) => {
    expect(startBackoffMs(attempts)).toBe(expected);
  });

  it('GIVEN a very long run of refusals WHEN planned THEN the wait never exceeds 10 minutes', () => {
    expect(Math.max(...Array.from({ length: 100 }, (_, i) => startBackoffMs(i + 1)))).toBe(600_000);
  });
});
