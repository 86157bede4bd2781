import { drawPipeline, failureOf, MAX_STEPS, StepOutcome } from '../../soak/pipeline-plan';
import { StepErrors } from '../../src';

const pipelines = Array.from({ length: 300 }, (_, i) => drawPipeline(11, i));

test('GIVEN a seed and an index WHEN the pipeline is drawn twice THEN it is the same', () => {
  expect(drawPipeline(5, 17)).toEqual(drawPipeline(5, 17));
});

test('GIVEN 300 pipelines of one seed THEN they cover 1 to 12 steps, both shapes and every step kind', () => {
  const sizes = new Set(pipelines.map((p) => p.steps.length));
  expect(Math.min(...sizes)).toBe(1);
  expect(Math.max(...sizes)).toBe(MAX_STEPS);
  expect(new Set(pipelines.map((p) => p.shape))).toEqual(new Set(['sequence', 'graph']));
  expect(new Set(pipelines.flatMap((p) => p.steps.map((s) => s.kind)))).toEqual(new Set(['job', 'crawler', 'trigger', 'workflow']));
  expect(pipelines.some((p) => p.steps.some((s) => failureOf(s.outcome) !== undefined))).toBe(true);
  expect(pipelines.some((p) => p.steps.some((s) => s.retry))).toBe(true);
});

test('GIVEN any drawn pipeline THEN step names and resources are unique, and a graph depends only on earlier steps', () => {
  for (const p of pipelines) {
    expect(new Set(p.steps.map((s) => s.name)).size).toBe(p.steps.length);
    expect(new Set(p.steps.map((s) => s.resource)).size).toBe(p.steps.length);
    p.steps.forEach((step, i) => {
      const earlier = p.steps.slice(0, i).map((s) => s.name);
      expect(p.shape === 'graph' ? step.dependsOn !== undefined : step.dependsOn === undefined).toBe(true);
      (step.dependsOn ?? []).forEach((d) => expect(earlier).toContain(d));
      if (step.refersTo) {
        expect(p.shape === 'graph' ? step.dependsOn : earlier).toContain(step.refersTo);
      }
    });
  }
});

test.each<[StepOutcome, string | undefined]>([
  [{ kind: 'job', seconds: 10, finalState: 'SUCCEEDED' }, undefined],
  [{ kind: 'job', seconds: 10, finalState: 'FAILED' }, StepErrors.JOB_FAILED],
  [{ kind: 'job', seconds: 10, finalState: 'TIMEOUT' }, StepErrors.JOB_TIMEOUT],
  [{ kind: 'job', seconds: 10, finalState: 'STOPPED' }, StepErrors.JOB_STOPPED],
  [{ kind: 'job', seconds: 10, finalState: 'ERROR' }, StepErrors.JOB_ERROR],
  [{ kind: 'job', seconds: 10, finalState: 'EXPIRED' }, StepErrors.JOB_EXPIRED],
  [{ kind: 'crawler', seconds: 10, status: 'SUCCEEDED' }, undefined],
  [{ kind: 'crawler', seconds: 10, status: 'FAILED' }, StepErrors.CRAWLER_FAILED],
  [{ kind: 'trigger' }, undefined],
  [{ kind: 'workflow', seconds: 10, failedActions: 0, finalStatus: 'COMPLETED' }, undefined],
  [{ kind: 'workflow', seconds: 10, failedActions: 1, finalStatus: 'COMPLETED' }, StepErrors.WORKFLOW_ACTIONS_FAILED],
  [{ kind: 'workflow', seconds: 10, failedActions: 0, finalStatus: 'ERROR' }, StepErrors.WORKFLOW_ERROR],
])('GIVEN the outcome %j THEN the step fails with %s', (outcome, error) => {
  expect(failureOf(outcome)).toBe(error);
});
