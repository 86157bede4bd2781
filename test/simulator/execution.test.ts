import { LONGEST_REAL_TIMER_SECONDS, withoutTimeouts } from '../../simulator/execution';

/**
 * The interpreter enforces a Task state's TimeoutSeconds with a real timer (60 real seconds when
 * none is given), and the execution's with another; the simulation enforces both on its own clock.
 */
test('GIVEN a definition with timeouts WHEN handed to the interpreter THEN activity states time out only past any run, the execution not at all, the rest unchanged', () => {
  // GIVEN a sequence and a Parallel, with the execution's and the states' timeouts
  const activity = 'arn:aws:states:us-east-1:123456789012:activity:pipeline';
  const definition = {
    StartAt: 'a',
    TimeoutSeconds: 86_400,
    States: {
      a: { Type: 'Task', Resource: activity, TimeoutSeconds: 3_000_000, HeartbeatSeconds: 300, Next: 'graph' },
      graph: {
        Type: 'Parallel',
        End: true,
        Branches: [{ StartAt: 'b', States: { b: { Type: 'Task', Resource: activity, TimeoutSeconds: 600, HeartbeatSeconds: 300, End: true } } }],
      },
    },
  };
  // WHEN
  const given = withoutTimeouts(definition);
  // THEN
  expect(given.TimeoutSeconds).toBeUndefined();
  expect(given.States.a).toEqual({ ...definition.States.a, TimeoutSeconds: LONGEST_REAL_TIMER_SECONDS });
  const b = definition.States.graph.Branches[0].States.b;
  expect(given.States.graph.Branches[0].States.b).toEqual({ ...b, TimeoutSeconds: LONGEST_REAL_TIMER_SECONDS });
  expect(LONGEST_REAL_TIMER_SECONDS * 1000).toBeLessThanOrEqual(2 ** 31 - 1);
  expect(LONGEST_REAL_TIMER_SECONDS).toBeGreaterThan(24 * 86_400);
  // and the definition itself is untouched (the simulation enforces its timeouts)
  expect(definition.States.a.TimeoutSeconds).toBe(3_000_000);
});
