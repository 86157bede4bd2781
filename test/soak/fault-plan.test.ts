import { drawFaults, FAULT_KINDS, MAX_EXECUTIONS_PER_PIPELINE } from '../../soak/fault-plan';
import { drawPipeline } from '../../soak/pipeline-plan';

const plans = Array.from({ length: 200 }, (_, i) => {
  const pipeline = drawPipeline(21, i);
  return { pipeline, faults: drawFaults(21, pipeline) };
});

test('GIVEN a seed and a pipeline WHEN its faults are drawn twice THEN they are the same', () => {
  const pipeline = drawPipeline(4, 9);
  expect(drawFaults(4, pipeline)).toEqual(drawFaults(4, pipeline));
});

test('GIVEN 200 pipelines THEN every kind of fault is planned', () => {
  const kinds = new Set<string>();
  for (const { faults } of plans) {
    [...faults.calls, ...faults.events].forEach((f) => kinds.add(f.kind));
    for (const e of faults.executions) {
      [...e.calls, ...e.events].forEach((f) => kinds.add(f.kind));
      if (e.stopAfterSeconds !== undefined) {
        kinds.add('execution-stopped');
      }
      if (e.slow) {
        kinds.add('slow-near-deadline');
      }
    }
  }
  expect(kinds).toEqual(new Set(FAULT_KINDS));
});

test('GIVEN any drawn plan THEN its executions number 1 to 5, the first starts at once, and every fault aims at the pipeline\'s own steps', () => {
  for (const { pipeline, faults } of plans) {
    const steps = new Set(pipeline.steps.map((s) => s.name));
    const resources = new Set(pipeline.steps.map((s) => s.resource));
    expect(faults.executions.length).toBeGreaterThanOrEqual(1);
    expect(faults.executions.length).toBeLessThanOrEqual(MAX_EXECUTIONS_PER_PIPELINE);
    expect(faults.executions[0].startAtSeconds).toBe(0);
    for (const e of faults.executions) {
      for (const f of e.calls) {
        expect(f.scope).toEqual({ attempt: expect.objectContaining({ execution: e.index }) });
        expect(steps.has((f.scope as { attempt: { step: string } }).attempt.step)).toBe(true);
        expect(f.times).toBeGreaterThanOrEqual(1);
      }
      e.events.filter((f) => 'run' in f.target).forEach((f) => expect(f.target).toEqual({ run: expect.objectContaining({ execution: e.index }) }));
    }
    for (const f of faults.calls) {
      expect(f.scope === 'global' || ('resource' in f.scope && resources.has(f.scope.resource))).toBe(true);
    }
  }
});

test('GIVEN any drawn plan THEN SES calls are only killed around, never answered with an error', () => {
  const ses = plans.flatMap(({ faults }) => [...faults.calls, ...faults.executions.flatMap((e) => e.calls)]).filter((f) => f.service === 'ses');
  expect(ses.length).toBeGreaterThan(0);
  ses.forEach((f) => expect(['kill-before', 'kill-after']).toContain(f.kind));
});
