import { Retrier, retryWait } from '../../simulator/retry-wait';

/** Step Functions' retry waits, as the States Language defines them. */
const heartbeat: Retrier = { ErrorEquals: ['States.HeartbeatTimeout'], IntervalSeconds: 0, MaxAttempts: 2 };
const user: Retrier = { ErrorEquals: ['Glue.JobFailed', 'Glue.StartFailed'], IntervalSeconds: 600, MaxAttempts: 3, BackoffRate: 2 };
const capped: Retrier = { ErrorEquals: ['States.ALL'], IntervalSeconds: 10, BackoffRate: 3, MaxDelaySeconds: 60 };
const wildcardTask: Retrier = { ErrorEquals: ['States.TaskFailed'] };

test.each([
  // retriers, attempts made so far, error, decision
  [[heartbeat, user], [0, 0], 'Glue.JobFailed', { retrier: 1, seconds: 600 }],
  [[heartbeat, user], [0, 1], 'Glue.JobFailed', { retrier: 1, seconds: 1200 }],
  [[heartbeat, user], [0, 2], 'Glue.StartFailed', { retrier: 1, seconds: 2400 }],
  [[heartbeat, user], [0, 3], 'Glue.JobFailed', undefined],
  [[heartbeat, user], [1, 0], 'States.HeartbeatTimeout', { retrier: 0, seconds: 0 }],
  [[heartbeat, user], [2, 0], 'States.HeartbeatTimeout', undefined],
  [[heartbeat, user], [0, 0], 'Glue.JobTimeout', undefined],
  [[capped], [0], 'anything', { retrier: 0, seconds: 10 }],
  [[capped], [1], 'anything', { retrier: 0, seconds: 30 }],
  [[capped], [2], 'anything', { retrier: 0, seconds: 60 }],
  [[capped], [3], 'anything', undefined],
  [[wildcardTask], [0], 'Glue.JobFailed', { retrier: 0, seconds: 1 }],
  [[wildcardTask], [1], 'Glue.JobFailed', { retrier: 0, seconds: 2 }],
  [[wildcardTask], [0], 'States.Timeout', undefined],
])('retriers %j after %j retries, error %s: %j', (retriers, attempts, error, decision) => {
  expect(retryWait(retriers as Retrier[], attempts as number[], error as string)).toEqual(decision);
});
