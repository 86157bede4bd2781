import { CloseOutcome, claimAndClose } from './close-run';
import type { TaskOutcome } from './task-outcome';
import { afterSuccess } from './waiting-steps';
import { StepKind, targetOf, TrackingRecord, trackingSortKey } from '../../shared/contract';
import { log } from '../entry/log';
import { RunnerContext } from '../entry/runner-context';
import { DRIVERS, driverFor } from '../kinds/driver-registry';
import type { StepDriver } from '../kinds/step-driver';

export type RunEventOutcome = CloseOutcome | Extract<TaskOutcome, 'foreign' | 'in-flight'>;

export interface RunEventResult {
  readonly outcome: RunEventOutcome;
  /** The execution whose next step's task is ready now. */
  readonly successorReady?: string;
}

/** What a Glue end event named (see `RunnerTrigger` 'work-ended'). */
export interface EndedEvent {
  readonly stepKind: StepKind;
  readonly resourceName: string;
  readonly runId?: string;
}

/**
 * A Glue event that a kind's work ended: reports that end at once instead of at the next
 * sweep. An event that names its run (a job run) is read through the kind's driver, whose
 * correlation names the record, so no table scan is needed; otherwise (a crawl) every record
 * tracking the named resource is observed. A record is claimed only while it tracks the work
 * that ended. Whatever is not done here (record still STARTING, claim held, report failed) the
 * next sweep does.
 */
export async function handleWorkEnded(ctx: RunnerContext, event: EndedEvent): Promise<RunEventResult[]> {
  const driver = DRIVERS[event.stepKind] as unknown as StepDriver;
  if (event.runId !== undefined && driver.observeEnded) {
    return [await reportNamedRun(ctx, driver, event.resourceName, event.runId)];
  }
  return reportTrackingRecords(ctx, event);
}

async function reportNamedRun(ctx: RunnerContext, driver: StepDriver, resourceName: string, runId: string): Promise<RunEventResult> {
  const ended = await driver.observeEnded!(resourceName, runId, ctx.now());
  if (!ended) {
    return { outcome: 'foreign' };
  }
  const { tokenId, observation } = ended;
  // The step's name is not known before the claim; claimAndClose puts the record's in the result.
  const sk = trackingSortKey(tokenId);
  if (observation.retried) {
    await ctx.store.followAttempt(sk, observation.retried.earlier, observation.retried.runId);
  }
  if (observation.kind === 'in-flight') {
    return { outcome: 'in-flight' };
  }
  const endedRunId = observation.retried?.runId ?? runId;
  const { outcome, record } = await claimAndClose(ctx, sk, observation, undefined, endedRunId);
  log.info('work end reported from its event', { tokenId, resource: resourceName, runId: endedRunId, outcome });
  return afterEnd(ctx, outcome, record);
}

async function reportTrackingRecords(ctx: RunnerContext, event: EndedEvent): Promise<RunEventResult[]> {
  const tracking: TrackingRecord[] = [];
  for await (const page of ctx.store.pages()) {
    tracking.push(...page.filter((r) => r.status === 'RUNNING' && r.input?.kind === event.stepKind && targetOf(r.input) === event.resourceName));
  }
  const results: RunEventResult[] = [];
  for (const record of tracking) {
    const observed = await driverFor(record.input).observe({
      input: record.input, tokenId: record.tokenId, runId: record.runId!, createdAt: Date.parse(record.createdAt),
    }, ctx.now());
    if (observed.kind === 'in-flight') {
      results.push({ outcome: 'in-flight' });
      continue;
    }
    const { outcome } = await claimAndClose(ctx, record.sk, observed, record, record.runId);
    log.info('work end reported from its event', { tokenId: record.tokenId, resource: event.resourceName, runId: record.runId, outcome });
    results.push(await afterEnd(ctx, outcome, record));
  }
  return results;
}

/** After a success: the next step of a sequence is ready, or a graph's held steps may start. */
async function afterEnd(ctx: RunnerContext, outcome: CloseOutcome, record: TrackingRecord | undefined): Promise<RunEventResult> {
  if (outcome !== 'succeeded' || !record) {
    return { outcome };
  }
  return { outcome, successorReady: (await afterSuccess(ctx, record.executionId, record.input)).successorReady };
}
