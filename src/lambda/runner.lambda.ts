import type { Context } from 'aws-lambda';
import { listRunningExecutions } from './aws/executions';
import { expectOneEach, leftToStartEvent, planAtStart, PollPlan, pollPlanAfterSweep, UNTIL_EMPTY } from './decisions/poll-plan';
import { describeError, log } from './entry/log';
import { readRunnerConfig } from './entry/runner-config';
import { RunnerContext, runnerContext } from './entry/runner-context';
import { classifyEvent, RunnerTrigger } from './entry/runner-event';
import { CheckResult, CheckSummary, runCheckPhase } from './phases/check-phase';
import { runnerError } from './phases/metric-facts';
import { handleWorkEnded, RunEventOutcome } from './phases/run-event';
import { ScheduledStartSummary, startScheduledRun } from './phases/scheduled-start';
import { runStartPhase, StartSummary } from './phases/start-phase';
import { TrackingStore } from './store/tracking-store';
import { StepKind } from '../shared/contract';

/**
 * The runner. What an invocation does depends on why it was invoked:
 *
 * - a Glue run or crawl ended (EventBridge): report it, then start its execution's next step
 *   (in a graph: the held steps whose dependencies are now all done);
 * - an execution started (EventBridge): take its first task (in a graph: one task per step),
 *   unless the event comes one check interval or more after the start: a sweep takes it then;
 * - a pipeline schedule fired (EventBridge Scheduler): start the execution of its logical date,
 *   named after it, and nothing else (its first task follows its start event);
 * - the runner's schedule (or anything else): a sweep, checking every tracked run and then taking the
 *   tasks of executions that may have one pending. The sweep catches whatever events were lost.
 *
 * No invocation long-polls unless it expects a task, so an idle invocation ends in milliseconds.
 */
/** What one invocation did; logged as `cycle done` and returned. */
export interface RunnerResult {
  readonly pipelineId: string;
  readonly trigger: RunnerTrigger['kind'];
  /** Sweeps only. */
  readonly check?: CheckSummary;
  /**
   * Work-ended events only: what the event named and one outcome per step it reported (one for
   * an event that names its run, one per step tracking the resource otherwise).
   */
  readonly ended?: {
    readonly kind: StepKind;
    readonly resourceName: string;
    readonly runId?: string;
    readonly state: string;
    readonly outcomes: RunEventOutcome[];
  };
  /** Scheduled starts only. */
  readonly scheduled?: ScheduledStartSummary;
  readonly start: StartSummary;
  /** Failure mails this invocation could not send (each also logged at ERROR). */
  readonly failureMailNotSent: number;
  /** Failure events this invocation could not put on the event bus (each also logged at ERROR). */
  readonly failureEventNotSent: number;
  /** Late events this invocation could not put on the event bus (each also logged at ERROR). */
  readonly lateEventNotSent: number;
}

export async function handler(event: unknown, context: Context): Promise<RunnerResult> {
  const config = readRunnerConfig(process.env);
  const ctx = runnerContext(config, new TrackingStore(config.tableName, config.pipelineId), () => context.getRemainingTimeInMillis());
  try {
    return await runCycle(ctx, event, context);
  } catch (err) {
    // Logged here, where the pipeline is known, and thrown on: the invocation fails as before.
    runnerError(ctx, 'cycle failed', { reason: describeError(err) });
    throw err;
  }
}

async function runCycle(ctx: RunnerContext, event: unknown, context: Context): Promise<RunnerResult> {
  const config = ctx.config;
  const trigger = classifyEvent(event);

  let summary: Omit<RunnerResult, 'pipelineId' | 'trigger' | 'failureMailNotSent' | 'failureEventNotSent' | 'lateEventNotSent'>;
  switch (trigger.kind) {
    case 'work-ended': {
      const { stepKind, resourceName, runId, state } = trigger;
      const ends = await handleWorkEnded(ctx, { stepKind, resourceName, runId });
      const start = await runStartPhase(ctx, context.awsRequestId, expectOneEach(ends.flatMap((e) => (e.successorReady ? [e.successorReady] : []))));
      summary = { ended: { kind: stepKind, resourceName, runId, state, outcomes: ends.map((e) => e.outcome) }, start };
      break;
    }
    case 'execution-started': {
      const plan = planAtStart(trigger.executionArn, trigger.startedAt, ctx.now(), config.checkIntervalMs, config.graphSteps);
      const start = await runStartPhase(ctx, context.awsRequestId, plan);
      summary = { start };
      break;
    }
    case 'scheduled-start': {
      const scheduled = await startScheduledRun(ctx, trigger.start, trigger.invalid);
      summary = { scheduled, start: await runStartPhase(ctx, context.awsRequestId, new Map()) };
      break;
    }
    case 'sweep': {
      const check = await runCheckPhase(ctx);
      const start = await runStartPhase(ctx, context.awsRequestId, await planAfterSweep(ctx, check));
      summary = { check: check.summary, start };
      break;
    }
  }
  const result: RunnerResult = {
    pipelineId: config.pipelineId,
    trigger: trigger.kind,
    ...summary,
    failureMailNotSent: ctx.tally.failureMailNotSent,
    failureEventNotSent: ctx.tally.failureEventNotSent,
    lateEventNotSent: ctx.tally.lateEventNotSent,
  };
  log.info('cycle done', { ...result });
  return result;
}

/** Without the list of running executions, poll as the runner always could: until empty. */
async function planAfterSweep(ctx: RunnerContext, check: CheckResult): Promise<PollPlan> {
  try {
    const sweepAt = ctx.now();
    const running = await listRunningExecutions(ctx.config.stateMachineArn);
    const timing = { sweepAt, checkIntervalMs: ctx.config.checkIntervalMs };
    const steps = ctx.config.graphSteps;
    if (steps === undefined) {
      return pollPlanAfterSweep({ running, ...timing, ...check });
    }
    // A graph execution may have untaken tasks only while some step is neither tracked nor
    // known to be done: read what succeeded (and was accepted) just for those.
    const succeeded = new Map<string, number>();
    await Promise.all(running.filter(({ arn, startedAt }) => (check.tracked.get(arn) ?? 0) < steps
      && !leftToStartEvent(startedAt, sweepAt, ctx.config.checkIntervalMs)).map(async ({ arn }) => {
      succeeded.set(arn, await ctx.store.settledResults(arn, ctx.now()));
    }));
    return pollPlanAfterSweep({ running, ...timing, ...check, graph: { steps, tracked: check.tracked, succeeded } });
  } catch (err) {
    log.warn('could not list running executions; polling until the activity is empty', { reason: describeError(err) });
    return UNTIL_EMPTY;
  }
}
