import { Observation } from './observation';
import { StepTaskInput } from '../../shared/contract';

/** What a task record tells a driver about the work it tracks. */
export interface TrackedWork<I extends StepTaskInput = StepTaskInput> {
  readonly input: I;
  /** Hash of the task token: ties a started run to its task where Glue keeps run arguments. */
  readonly tokenId: string;
  /** What `start` returned. */
  readonly runId: string;
  /** Epoch ms the task's record was created: no run of the task can have started before. */
  readonly createdAt: number;
  /**
   * Epoch ms a start of the task that may have taken effect was sent (the record's
   * `startSentAt`); absent when none can have.
   */
  readonly startSentAt?: number;
}

/**
 * The Glue calls behind one step kind. The runner's phases (start, check, event, recovery) are
 * the same for every kind; only these calls and the decision tables they use differ.
 */
export interface StepDriver<I extends StepTaskInput = StepTaskInput> {
  /** The Glue call that starts the step's work, for messages, e.g. `StartJobRun`. */
  readonly startCall: string;
  /** The start is the whole step (a trigger's firing): its outcome is reported right after it. */
  readonly doneWhenStarted: boolean;
  /**
   * The start leaves no correlation in Glue (a crawl, a firing): the runner records when it
   * sends each start, and `findStarted` looks only around that time.
   */
  readonly marksStart: boolean;
  /**
   * Starts the step's work with its references already resolved (`input` holds the values to
   * send) and returns what to track it by. Throws Glue's error when Glue refuses.
   */
  start(input: I, tokenId: string, now: number): Promise<string>;
  /**
   * Where the tracked work is now (`now`: epoch ms, the invocation's clock). Throws
   * EntityNotFoundException when Glue does not know it.
   */
  observe(work: TrackedWork<I>, now?: number): Promise<Observation>;
  /**
   * The work a task started whose id was never saved (the runner died right after the start),
   * or undefined when nothing shows it started: the caller then starts it.
   */
  findStarted(work: Omit<TrackedWork<I>, 'runId'>, now: number): Promise<string | undefined>;
  /** Stops work nobody waits for any more (the task was closed). */
  stop(work: TrackedWork<I>): Promise<void>;
  /**
   * Reads many tracked works of this kind at once, where that saves calls (a job's runs by
   * GetJobRuns pages); optional. Returns, by `runId`, how to observe each work from what was
   * read; a work left out is observed alone with `observe`. A sweep calls it once, before it
   * checks any record, with every tracked work of the kind it will check.
   */
  observeMany?(works: readonly TrackedWork<I>[], concurrency: number): Promise<ReadonlyMap<string, ObserveRead>>;
  /**
   * The work an end event names by its run (a kind whose `endEvent` has a `runIdField`): the
   * task it belongs to and where it is now, read with no scan of the records. Undefined when the
   * run is no task's of a pipeline (no correlation) or Glue does not know it. Without this, an
   * end event has the runner observe every record that tracks the named resource.
   */
  observeEnded?(resourceName: string, runId: string, now: number): Promise<EndedWork | undefined>;
}

/** A run an end event named, tied to its task. */
export interface EndedWork {
  /** The task's token hash, from the run's correlation. */
  readonly tokenId: string;
  /** The run the event named. */
  readonly runId: string;
  readonly observation: Observation;
}

/**
 * How to observe one work from a read `observeMany` made: like `observe`, but with no read of
 * its own (`now`: epoch ms, the invocation's clock). Throws the read's error if it failed.
 */
export type ObserveRead = (now: number) => Promise<Observation>;
