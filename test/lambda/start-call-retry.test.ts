import {
  resendDelayMs, resendStart, START_CALL_MAX_ATTEMPTS, startCallRetryStrategy,
} from '../../src/lambda/aws/start-call-retry';

describe('resendStart', () => {
  it.each<[string, number, boolean]>([
    // throttling: Glue refused the call for its rate and took no effect, so it is sent again
    ['THROTTLING', 1, true],
    ['THROTTLING', START_CALL_MAX_ATTEMPTS - 1, true],
    ['THROTTLING', START_CALL_MAX_ATTEMPTS, false],
    ['THROTTLING', START_CALL_MAX_ATTEMPTS + 1, false],
    // anything else may have started the work: never sent again by the SDK
    ['TRANSIENT', 1, false],
    ['TRANSIENT', 2, false],
    ['SERVER_ERROR', 1, false],
    ['SERVER_ERROR', 2, false],
    ['CLIENT_ERROR', 1, false],
    ['CLIENT_ERROR', 2, false],
    ['A_CLASS_THE_SDK_ADDS_LATER', 1, false],
  ])('GIVEN a start call failed with %s after %i call(s) WHEN the SDK asks THEN it is re-sent: %s', (errorType, callsSoFar, expected) => {
    expect(resendStart(errorType, callsSoFar)).toBe(expected);
  });

  it('GIVEN throttling every time WHEN a start is sent THEN it is sent START_CALL_MAX_ATTEMPTS times in all', () => {
    let calls = 1;
    while (resendStart('THROTTLING', calls)) {
      calls += 1;
    }
    expect(calls).toBe(START_CALL_MAX_ATTEMPTS);
  });
});

describe('resendDelayMs', () => {
  it.each<[number, number, number]>([
    // full jitter over 100 ms doubling, at most 5 s
    [1, 0, 0],
    [1, 0.5, 100],
    [1, 0.999999, 199],
    [2, 0.999999, 399],
    [3, 0.5, 400],
    [5, 0.999999, 3_199],
    [6, 0.999999, 4_999],
    [20, 0.999999, 4_999],
    [20, 0.5, 2_500],
  ])('GIVEN %i call(s) so far and a random of %d WHEN the wait is planned THEN it is %i ms', (callsSoFar, random, expected) => {
    expect(resendDelayMs(callsSoFar, () => random)).toBe(expected);
  });

  it('GIVEN any number of calls and any random WHEN the wait is planned THEN it is between 0 and 5 s', () => {
    for (let calls = 0; calls < 40; calls++) {
      for (const random of [0, 0.25, 0.5, 0.75, 0.999999]) {
        const delay = resendDelayMs(calls, () => random);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(5_000);
      }
    }
  });
});

describe('startCallRetryStrategy', () => {
  it('GIVEN a new start call WHEN its first token is taken THEN it has no retries and no wait', async () => {
    const token = await startCallRetryStrategy.acquireInitialRetryToken('glue');
    expect(token.getRetryCount()).toBe(0);
    expect(token.getRetryDelay()).toBe(0);
  });

  it.each(['SERVER_ERROR', 'TRANSIENT', 'CLIENT_ERROR'])(
    'GIVEN a start call that failed with %s WHEN the SDK asks to retry THEN the strategy rejects, so the call\'s own error is thrown',
    async (errorType) => {
      const token = await startCallRetryStrategy.acquireInitialRetryToken('glue');
      await expect(startCallRetryStrategy.refreshRetryTokenForRetry(token, { errorType })).rejects.toThrow(errorType);
    });

  it('GIVEN a start call throttled WHEN the SDK asks to retry THEN a token with one more retry and a bounded wait is returned', async () => {
    const first = await startCallRetryStrategy.acquireInitialRetryToken('glue');
    const second = await startCallRetryStrategy.refreshRetryTokenForRetry(first, { errorType: 'THROTTLING' });
    expect(second.getRetryCount()).toBe(first.getRetryCount() + 1);
    expect(second.getRetryDelay()).toBeGreaterThanOrEqual(0);
    expect(second.getRetryDelay()).toBeLessThan(200);
    const third = await startCallRetryStrategy.refreshRetryTokenForRetry(second, { errorType: 'THROTTLING' });
    expect(third.getRetryCount()).toBe(second.getRetryCount() + 1);
  });

  it('GIVEN a start call throttled every time WHEN the SDK keeps asking THEN it is refused once START_CALL_MAX_ATTEMPTS calls were made', async () => {
    let token = await startCallRetryStrategy.acquireInitialRetryToken('glue');
    for (let i = 1; i < START_CALL_MAX_ATTEMPTS; i++) {
      token = await startCallRetryStrategy.refreshRetryTokenForRetry(token, { errorType: 'THROTTLING' });
    }
    expect(token.getRetryCount()).toBe(START_CALL_MAX_ATTEMPTS - 1);
    await expect(startCallRetryStrategy.refreshRetryTokenForRetry(token, { errorType: 'THROTTLING' })).rejects.toThrow('THROTTLING');
  });

  it('GIVEN a start call that succeeded WHEN recorded THEN nothing is kept', async () => {
    const token = await startCallRetryStrategy.acquireInitialRetryToken('glue');
    expect(startCallRetryStrategy.recordSuccess(token)).toBeUndefined();
  });
});
