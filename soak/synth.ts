import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { PipelinePlan, StepPlan } from './pipeline-plan';
import { GlueJob, GlueOrchestratedPipeline, PipelineStep, StepValue } from '../src';

/** The stack every soak pipeline is synthesized into. */
const STACK = 'SoakStack';

/**
 * A step's expected duration: 90 s for every step but a trigger's (which is over once fired).
 * Runs take 10 to 180 s, so about half the attempts are late, and announced, under the faults.
 */
export function expectedDurationOf(step: StepPlan): Duration | undefined {
  return step.kind === 'trigger' ? undefined : Duration.seconds(90);
}

/**
 * Synthesizes the plan's pipeline with the library's public API into a fresh cloud assembly,
 * as `cdk synth` would, and returns its template file. A 1-minute check interval keeps
 * heartbeats and sweeps short in simulated time.
 */
export function synthesizePipeline(plan: PipelinePlan): { templateFile: string; dispose: () => void } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gop-soak-'));
  const app = new App({ outdir });
  const stack = new Stack(app, STACK, { env: { account: '123456789012', region: 'us-east-1' } });
  new GlueOrchestratedPipeline(stack, 'Pipeline', {
    checkInterval: Duration.minutes(1),
    steps: plan.steps.map(stepOf),
    failureEmail: { sender: 'pipelines@example.com', recipients: ['data-team@example.com'] },
  });
  app.synth();
  return {
    templateFile: path.join(outdir, `${STACK}.template.json`),
    dispose: () => fs.rmSync(outdir, { recursive: true, force: true }),
  };
}

function stepOf(step: StepPlan) {
  const common = {
    stepName: step.name,
    dependsOn: step.dependsOn,
    expectedDuration: expectedDurationOf(step),
    retry: step.retry && {
      errors: step.retry.errors,
      maxAttempts: step.retry.maxAttempts,
      interval: Duration.seconds(step.retry.intervalSeconds),
    },
  };
  switch (step.kind) {
    case 'job':
      return PipelineStep.glueJob({
        ...common,
        job: GlueJob.fromName(step.resource),
        arguments: {
          '--step': step.name,
          ...(step.refersTo ? { '--upstream': StepValue.fromStepResult(step.refersTo, 'stepName') } : {}),
        },
        timeout: Duration.minutes(30),
      });
    case 'crawler':
      return PipelineStep.glueCrawler({ ...common, crawlerName: step.resource, timeout: Duration.minutes(30) });
    case 'trigger':
      return PipelineStep.glueTrigger({ ...common, triggerName: step.resource });
    case 'workflow':
      return PipelineStep.glueWorkflow({ ...common, workflowName: step.resource, runProperties: { step: step.name }, timeout: Duration.minutes(30) });
  }
}
