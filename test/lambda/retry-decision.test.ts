import { willRetry } from '../../src/lambda/decisions/retry-decision';
import { TaskRetryPolicy } from '../../src/shared/contract';

/** The lost token's retrier, first on every state (step-timing.ts). */
const LOST_TOKEN: TaskRetryPolicy = { errors: ['States.HeartbeatTimeout'], maxAttempts: 2 };
const JOB_FAILED_3: TaskRetryPolicy = { errors: ['Glue.JobFailed', 'Glue.JobTimeout'], maxAttempts: 3 };
const ALL_2: TaskRetryPolicy = { errors: ['States.ALL'], maxAttempts: 2 };
const TASK_FAILED_1: TaskRetryPolicy = { errors: ['States.TaskFailed'], maxAttempts: 1 };

describe('willRetry: Step Functions\' Retry matching, decided from the task input', () => {
  it.each<[string, string, number | undefined, TaskRetryPolicy[] | undefined, boolean | undefined]>([
    ['no retry policy known (an older state machine)', 'Glue.JobFailed', 0, undefined, undefined],
    ['attempt not known (an older state machine)', 'Glue.JobFailed', undefined, [LOST_TOKEN, JOB_FAILED_3], undefined],
    ['only the lost token\'s retrier: a Glue failure matches none', 'Glue.JobFailed', 0, [LOST_TOKEN], false],
    ['a retrier naming the error, first try', 'Glue.JobFailed', 0, [LOST_TOKEN, JOB_FAILED_3], true],
    ['a retrier naming the error, its last retry still to come', 'Glue.JobTimeout', 2, [LOST_TOKEN, JOB_FAILED_3], true],
    ['a retrier naming the error, its retries spent', 'Glue.JobFailed', 3, [LOST_TOKEN, JOB_FAILED_3], false],
    ['a retrier that names other errors only', 'Pipeline.StartFailed', 0, [LOST_TOKEN, JOB_FAILED_3], false],
    ['States.ALL matches any error the runner reports', 'Pipeline.StartFailed', 1, [LOST_TOKEN, ALL_2], true],
    ['States.ALL, retries spent', 'Glue.CrawlFailed', 2, [LOST_TOKEN, ALL_2], false],
    ['States.TaskFailed matches any error but States.Timeout', 'Glue.WorkflowActionsFailed', 0, [LOST_TOKEN, TASK_FAILED_1], true],
    ['States.TaskFailed does not match States.Timeout', 'States.Timeout', 0, [TASK_FAILED_1], false],
    ['the first matching retrier decides, even with its retries spent', 'Glue.JobFailed', 3, [JOB_FAILED_3, { errors: ['States.ALL'], maxAttempts: 10 }], false],
    ['MaxAttempts 0 never retries', 'Glue.JobFailed', 0, [{ errors: ['Glue.JobFailed'], maxAttempts: 0 }], false],
  ])('GIVEN %s WHEN a step fails THEN will retry is as Step Functions decides', (_case, error, attempt, retry, expected) => {
    expect(willRetry(error, attempt, retry)).toBe(expected);
  });
});
