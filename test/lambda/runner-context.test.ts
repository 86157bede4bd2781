import { config, NOW } from './fixtures';
import { LEASE_MARGIN_MS, runnerContext } from '../../src/lambda/entry/runner-context';
import type { TrackingStore } from '../../src/lambda/store/tracking-store';

describe('runnerContext', () => {
  it('GIVEN 5 minutes left in the invocation WHEN the context is made THEN its leases last until the deadline plus the margin', () => {
    // WHEN
    const ctx = runnerContext(config(), {} as TrackingStore, () => 300_000, () => NOW.getTime());
    // THEN
    expect(LEASE_MARGIN_MS).toBe(30_000);
    expect(ctx.leaseUntil).toBe(NOW.getTime() + 300_000 + 30_000);
    expect(ctx.now()).toBe(NOW.getTime());
    expect(ctx.remainingMs()).toBe(300_000);
  });

  it('GIVEN no clock WHEN the context is made THEN it reads the real clock', () => {
    // WHEN
    const before = Date.now();
    const ctx = runnerContext(config(), {} as TrackingStore, () => 1_000);
    // THEN
    expect(ctx.now()).toBeGreaterThanOrEqual(before);
    expect(ctx.leaseUntil).toBeGreaterThanOrEqual(before + 31_000);
  });
});
