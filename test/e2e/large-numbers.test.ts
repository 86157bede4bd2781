import { simulationPerTest } from './e2e-fixture';

jest.setTimeout(90_000);

const sims = simulationPerTest();

/** 27 digits: far beyond 2^53, where a JavaScript number keeps only about 16 of them. */
const ORDER_ID = '123456789012345678901234567';
const EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:E2eStack-Pipeline:big-numbers';

/**
 * The task input a state would send for a load step whose arguments refer to the execution
 * input's `orderId` (a number) and `order` (an object holding one), written as JSON text so the
 * digits reach the activity exactly as Step Functions would pass them on.
 */
const TASK_INPUT = '{"version":2,"kind":"glue-job","stepName":"load","jobName":"load-job",'
  + '"arguments":{"--order-id":"{{execution.orderId}}","--order":"{{execution.order}}","--batch":"{{execution.batch}}"},'
  + `"inputs":{"orderId":${ORDER_ID},"order":{"id":-${ORDER_ID},"lines":[1,2.5]},"batch":42},`
  + `"taskTimeoutSeconds":100000,"heartbeatSeconds":300,"executionId":"${EXECUTION}"}`;

test('GIVEN an execution input number beyond 2^53 referred to with {{execution.orderId}} WHEN its step starts THEN Glue receives the exact digits, and the step succeeds', async () => {
  // GIVEN the task on the activity, of an execution the next sweep sees
  const sim = await sims.start();
  const done = sim.scheduleTask('load', TASK_INPUT, 300, 100_000);
  // WHEN the sweeps take it and its run ends
  await sim.advance(5 * sim.pipeline.checkIntervalSeconds);
  // THEN the step succeeded: the tracking write kept the number, no Pipeline.TrackingFailed
  expect(sim.activity.tasks.map((t) => [t.status, t.error])).toEqual([['SUCCEEDED', undefined]]);
  await expect(done).resolves.toBeDefined();
  // and Glue got every digit, alone or inside the object that holds it
  expect(sim.glue.runs).toHaveLength(1);
  expect(sim.glue.runs[0].request.Arguments).toMatchObject({
    '--order-id': ORDER_ID,
    '--order': `{"id":-${ORDER_ID},"lines":[1,2.5]}`,
    '--batch': '42',
  });
  expect(await sim.trackedRecords()).toBe(0);
});
