import { PipelinePlan } from './pipeline-plan';
import type { CrawlerScript } from '../simulator/local-aws/glue-crawlers';
import type { JobScript } from '../simulator/local-aws/glue-service';
import type { TriggerScript } from '../simulator/local-aws/glue-triggers';
import type { WorkflowScript } from '../simulator/local-aws/glue-workflows';

export interface GlueScripts {
  readonly jobs: Record<string, JobScript>;
  readonly crawlers: Record<string, CrawlerScript>;
  readonly triggers: Record<string, TriggerScript>;
  readonly workflows: Record<string, WorkflowScript>;
}

const MESSAGE = 'ended this way by the soak';

/**
 * The Glue stand-ins' scripts for the plan's resources: each resource behaves the same on every
 * run (one resource per step), so a step's outcome does not depend on which execution, attempt
 * or invocation reaches it first. Pure.
 */
export function glueScriptsOf(plan: PipelinePlan): GlueScripts {
  const scripts: GlueScripts = { jobs: {}, crawlers: {}, triggers: {}, workflows: {} };
  for (const step of plan.steps) {
    const o = step.outcome;
    switch (o.kind) {
      case 'job':
        scripts.jobs[step.resource] = {
          phases: [{ state: 'STARTING', seconds: 5 }, { state: 'RUNNING', seconds: o.seconds }],
          finalState: o.finalState,
          errorMessage: o.finalState === 'SUCCEEDED' && !o.failedAttempts ? undefined : MESSAGE,
          ...(o.maxRetries === undefined ? {} : {
            maxRetries: o.maxRetries,
            attemptStates: [...Array(o.failedAttempts ?? 0).fill('FAILED'), o.finalState],
          }),
        };
        break;
      case 'crawler':
        scripts.crawlers[step.resource] = { seconds: o.seconds, finalStatus: o.status, errorMessage: o.status === 'SUCCEEDED' ? undefined : MESSAGE };
        break;
      case 'trigger':
        // Glue requires a trigger to have an action; its job's run is how a firing is told.
        scripts.triggers[step.resource] = { type: 'ON_DEMAND', jobs: [`${step.resource}-action`] };
        break;
      case 'workflow':
        scripts.workflows[step.resource] = {
          seconds: o.seconds,
          actions: 2 + o.failedActions,
          failedActions: o.failedActions,
          finalStatus: o.finalStatus,
          errorMessage: o.finalStatus === 'ERROR' ? MESSAGE : undefined,
        };
        break;
    }
  }
  return scripts;
}
