import { SimClock, TimeBase } from '../../simulator/sim-clock';

/** The clock decides what happens when: every later scenario rests on these rules. */
let clock: SimClock;
beforeEach(() => {
  clock = new SimClock();
});
afterEach(() => clock.dispose());

test('GIVEN timers set out of order, two at one moment WHEN nothing works THEN time skips to each and they fire in order of moment, then of setting, never early', async () => {
  // GIVEN
  const fired: Array<[string, number]> = [];
  const note = (name: string) => () => fired.push([name, clock.now()]);
  clock.at(3600, note('hour'));
  clock.at(60, note('minute-a'));
  clock.at(1, note('second'));
  clock.at(60, note('minute-b'));
  // WHEN
  await clock.sleep(4000);
  // THEN
  expect(fired.map(([name]) => name)).toEqual(['second', 'minute-a', 'minute-b', 'hour']);
  const moments = { 'second': 1, 'minute-a': 60, 'minute-b': 60, 'hour': 3600 } as Record<string, number>;
  fired.forEach(([name, at]) => {
    expect(at).toBeGreaterThanOrEqual(moments[name]);
    // skipped to, not reached by waiting: the clock read the moment itself (give or take the real
    // milliseconds between the jump and the call)
    expect(at - moments[name]).toBeLessThan(1);
  });
  expect(clock.stats.jumps).toBeGreaterThanOrEqual(4);
});

test('GIVEN work in progress WHEN a timer is due an hour later THEN time does not skip: it runs at real speed until the work is done', async () => {
  // GIVEN
  const work = clock.hold('busy');
  let fired = false;
  clock.at(3600, () => (fired = true));
  // WHEN several turns of the event loop and some real time pass
  await new Promise((resolve) => setTimeout(resolve, 50));
  // THEN
  expect(fired).toBe(false);
  expect(clock.now()).toBeLessThan(3600);
  expect(clock.stats.jumps).toBe(0);
  // and once the work is done, time skips
  work.release();
  await clock.sleep(3600);
  expect(fired).toBe(true);
});

test('GIVEN work that only waits (paused) WHEN a timer is due THEN time skips; resumed, it holds again', async () => {
  const work = clock.hold('long poll');
  work.pause();
  await clock.sleep(600);
  expect(clock.now()).toBeGreaterThanOrEqual(600);
  work.resume();
  let fired = false;
  clock.after(600, () => (fired = true));
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(fired).toBe(false);
  work.release();
});

test('GIVEN a participant that works, then waits for a timer of its own WHEN time skips THEN it skips to that timer, and the participant hears of the jump before any timer after it fires', async () => {
  // GIVEN
  const order: string[] = [];
  let quiescent = false;
  let due: number | undefined;
  const bases: TimeBase[] = [];
  const leave = clock.join({
    label: 'container',
    quiescent: () => quiescent,
    nextDue: () => due,
    jumped: async (base) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      bases.push(base);
      const to = (base.simEpochMs - SimClock.EPOCH_MS) / 1000;
      order.push(`jumped to ${Math.round(to)}`);
      if (due !== undefined && due <= to) {
        due = undefined; // its timer fired, and it waits for nothing more
      }
    },
  });
  clock.at(100, () => order.push('timer at 100'));
  await new Promise((resolve) => setTimeout(resolve, 30));
  expect(clock.stats.jumps).toBe(0);
  // WHEN it waits for its own timer at 30 s
  due = 30;
  quiescent = true;
  clock.changed();
  await new Promise((resolve) => clock.at(100, () => resolve(undefined)));
  // THEN
  expect(order).toEqual(['jumped to 30', 'jumped to 100', 'timer at 100']);
  expect(bases[0].simEpochMs).toBe(SimClock.EPOCH_MS + 30_000);
  leave();
});

test('GIVEN every() WHEN time skips THEN it fires at exact multiples until cancelled', async () => {
  const at: number[] = [];
  const tick = clock.every(60, () => at.push(Math.round(clock.now())));
  await clock.sleep(250);
  tick.cancel();
  await clock.sleep(200);
  expect(at).toEqual([60, 120, 180, 240]);
});

test('GIVEN a cancelled timer or a disposed clock THEN nothing fires', async () => {
  let fired = 0;
  clock.after(10, () => fired++).cancel();
  await clock.sleep(20);
  clock.after(5, () => fired++);
  clock.dispose();
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(fired).toBe(0);
});
