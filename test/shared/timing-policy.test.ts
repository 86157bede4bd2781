import { Duration } from 'aws-cdk-lib';
import { stepTimeouts } from '../../src/constructs/step-timing';
import { heartbeatLeadMs, heartbeatSeconds, RUNNER_TIMEOUT_SECONDS, SWEEP_REACH_MS, taskTimeoutSeconds } from '../../src/shared/timing-policy';

/**
 * The construct and the runner read one timing policy. What ties them: the runner sends a
 * heartbeat round once a task's deadline is less than its lead away, so a lead as long as the
 * state's HeartbeatSeconds would heartbeat every task on every sweep, and a lead beyond it
 * would ask for heartbeats the state already timed out waiting for.
 */
const INTERVAL_MINUTES = [...Array.from({ length: 24 * 60 }, (_, i) => i + 1), 7 * 24 * 60, 365 * 24 * 60];

describe('timing policy', () => {
  it('GIVEN any check interval the construct accepts (whole minutes, 1 or more) WHEN the runner plans rounds THEN its heartbeat lead stays under the state\'s HeartbeatSeconds', () => {
    // WHEN
    const tooLong = INTERVAL_MINUTES.filter((minutes) => {
      const state = stepTimeouts(Duration.minutes(minutes), 60).heartbeat.toSeconds() * 1000;
      return heartbeatLeadMs(minutes * 60_000) >= state;
    });
    // THEN
    expect(tooLong).toEqual([]);
  });

  it('GIVEN the policy\'s constants WHEN compared THEN a sweep is given less time to reach a heartbeat than one runner run, at every interval', () => {
    // THEN: both grow by two intervals; the lead stays under by the difference of their constants.
    expect(SWEEP_REACH_MS).toBeLessThan(RUNNER_TIMEOUT_SECONDS * 1000);
    expect(heartbeatSeconds(0) * 1000 - heartbeatLeadMs(0)).toBe(heartbeatSeconds(3600) * 1000 - heartbeatLeadMs(3600 * 1000));
  });

  it.each([
    [1, 60, 300, 5_700],
    [5, 480, 780, 31_380],
    [15, 2_880, 1_980, 176_580],
  ])('GIVEN a %i-minute check interval and a %i-minute run timeout WHEN the state is built THEN it uses the policy\'s HeartbeatSeconds (%i) and TimeoutSeconds (%i)', (interval, run, heartbeat, task) => {
    // WHEN
    const timeouts = stepTimeouts(Duration.minutes(interval), run);
    // THEN
    expect([heartbeatSeconds(interval * 60), taskTimeoutSeconds(interval * 60, run)]).toEqual([heartbeat, task]);
    expect([timeouts.heartbeat.toSeconds(), timeouts.task.toSeconds()]).toEqual([heartbeat, task]);
  });
});
