import { startBackoffMs } from '../../src/lambda/decisions/start-errors';
import { AFTER_SEND_MS, BEFORE_SEND_MS, startWindow } from '../../src/lambda/kinds/start-window';

const T = Date.parse('2025-03-01T12:00:00.000Z');
const SEC = 1_000;

describe('startWindow', () => {
  it.each<[string, number, { from: number; to: number; sentAt: number }]>([
    ['a start sent at T', T, { from: T - 15 * SEC, to: T + 60 * SEC, sentAt: T }],
    ['a start sent a second after T', T + SEC, { from: T - 14 * SEC, to: T + 61 * SEC, sentAt: T + SEC }],
    ['a start sent at the epoch', 0, { from: -15 * SEC, to: 60 * SEC, sentAt: 0 }],
  ])('GIVEN %s WHEN its window is planned THEN it is %j', (_label, sentAt, expected) => {
    expect(startWindow(sentAt)).toEqual(expected);
  });

  it('GIVEN the window WHEN compared with the margins THEN it runs from BEFORE_SEND_MS before the send to AFTER_SEND_MS after it', () => {
    expect(startWindow(T)).toEqual({ from: T - BEFORE_SEND_MS, to: T + AFTER_SEND_MS, sentAt: T });
  });

  it('GIVEN the shortest wait between two start tries WHEN compared with BEFORE_SEND_MS THEN the margin is at most half of it, so work that refused a try never falls in the next try\'s window', () => {
    // work that refused a try began before it; the next try is sent startBackoffMs(1) later at the soonest
    expect(startBackoffMs(1)).toBe(30 * SEC);
    expect(BEFORE_SEND_MS * 2).toBeLessThanOrEqual(startBackoffMs(1));
    const refusedAt = T;
    expect(startWindow(refusedAt + startBackoffMs(1)).from).toBeGreaterThan(refusedAt);
  });

  it('GIVEN a start call\'s 15 s request timeout WHEN compared with AFTER_SEND_MS THEN the window outlasts the call', () => {
    expect(AFTER_SEND_MS).toBeGreaterThan(15 * SEC);
  });
});
