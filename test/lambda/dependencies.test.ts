import { extendedExpiry, inGraph, resultLifeSeconds, resultSettled, unconfirmedForMs, unmetDependencies, untakenTasks } from '../../src/lambda/decisions/dependencies';

describe('inGraph', () => {
  it.each<[string, { dependsOn?: string[] } | undefined, boolean]>([
    ['a step with dependencies', { dependsOn: ['extract'] }, true],
    ['a graph step with no dependencies (an empty list)', { dependsOn: [] }, true],
    ['a sequence step (no dependsOn)', {}, false],
    ['a record without its input', undefined, false],
  ])('GIVEN %s WHEN asked THEN it is in a graph: %s', (_label, input, expected) => {
    expect(inGraph(input)).toBe(expected);
  });
});

describe('unmetDependencies', () => {
  it.each<[string, string[] | undefined, string[], string[]]>([
    ['no dependencies', [], [], []],
    ['no dependsOn at all', undefined, ['extract'], []],
    ['one dependency that succeeded', ['extract'], ['extract'], []],
    ['one dependency that has not', ['extract'], [], ['extract']],
    ['two dependencies, one succeeded', ['extract', 'clean'], ['clean'], ['extract']],
    ['two dependencies, both succeeded among others', ['extract', 'clean'], ['other', 'clean', 'extract'], []],
    ['two dependencies, only unrelated steps succeeded', ['extract', 'clean'], ['load'], ['extract', 'clean']],
    ['a dependency whose name differs only in case', ['Extract'], ['extract'], ['Extract']],
  ])('GIVEN %s WHEN asked THEN the unmet ones are %j, in dependsOn order', (_label, dependsOn, succeeded, expected) => {
    expect(unmetDependencies({ dependsOn }, new Set(succeeded))).toEqual(expected);
  });
});

describe('untakenTasks', () => {
  it.each<[number, number, number, number]>([
    [3, 0, 0, 3],
    [3, 1, 0, 2],
    [3, 1, 1, 1],
    [3, 0, 3, 0],
    [3, 2, 1, 0],
    [3, 3, 1, 0],
    [3, 5, 0, 0],
    [1, 0, 0, 1],
  ])('GIVEN %i steps, %i tasks tracked and %i steps succeeded WHEN counted THEN %i tasks may still wait to be taken', (steps, tracked, succeeded, expected) => {
    expect(untakenTasks(steps, tracked, succeeded)).toBe(expected);
  });
});

describe('resultLifeSeconds', () => {
  it.each<[string, { keepResultSeconds?: number; taskTimeoutSeconds: number }, number]>([
    ['keepResultSeconds set', { keepResultSeconds: 600, taskTimeoutSeconds: 7200 }, 600],
    ['keepResultSeconds longer than the token', { keepResultSeconds: 100_000, taskTimeoutSeconds: 7200 }, 100_000],
    ['no keepResultSeconds (a graph step nobody refers to)', { taskTimeoutSeconds: 7200 }, 7200 + 14 * 86_400 + 86_400],
  ])('GIVEN %s WHEN the result is kept THEN it lives %i s', (_label, input, expected) => {
    expect(resultLifeSeconds(input)).toBe(expected);
  });
});

describe('resultSettled', () => {
  it.each<[string, number | undefined, number, boolean]>([
    ['a confirmed result (the state machine accepted the success)', undefined, 1_000, true],
    ['an unconfirmed result, a retried task may still come', 5_000, 1_000, false],
    ['an unconfirmed result, just before it may stand no longer', 5_000, 4_999, false],
    ['an unconfirmed result at its limit: no retried task came, so the success was accepted', 5_000, 5_000, true],
    ['an unconfirmed result past its limit', 5_000, 9_000, true],
  ])('GIVEN %s WHEN the poll plan counts it THEN it counts as done: %s', (_label, unconfirmedUntil, now, expected) => {
    expect(resultSettled(unconfirmedUntil, now)).toBe(expected);
  });
});

describe('unconfirmedForMs', () => {
  it.each<[number, number, number]>([
    // heartbeatSeconds, checkIntervalMs, ms: the token's life, a new task's life, two sweeps
    [300, 60_000, 720_000],
    [1_380, 600_000, 3_960_000],
  ])('GIVEN HeartbeatSeconds %i and a check every %i ms THEN an unconfirmed result stands %i ms', (heartbeat, interval, expected) => {
    expect(unconfirmedForMs(heartbeat, interval)).toBe(expected);
  });
});

describe('extendedExpiry: a redrive renews a kept result', () => {
  const NOW = 1_800_000_000_000;
  const now = NOW / 1000;
  it.each<[string, { expiresAt: number; lifeSeconds?: number }, number | undefined]>([
    ['a result kept for 20 days, 18 of them gone', { expiresAt: now + 2 * 86_400, lifeSeconds: 20 * 86_400 }, now + 20 * 86_400],
    ['a result already lasting longer than its life from now', { expiresAt: now + 30 * 86_400, lifeSeconds: 20 * 86_400 }, undefined],
    ['a result kept before results had a life (older runner)', { expiresAt: now + 86_400 }, undefined],
    ['a result past its expiry, not yet deleted by TTL: it stays gone', { expiresAt: now - 1, lifeSeconds: 20 * 86_400 }, undefined],
    ['a result expiring this very second', { expiresAt: now, lifeSeconds: 20 * 86_400 }, undefined],
  ])('GIVEN %s WHEN a redriven task is taken THEN its expiry becomes %p', (_label, item, expected) => {
    expect(extendedExpiry(item, NOW)).toBe(expected);
  });
});
