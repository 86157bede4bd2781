import { ScriptBook } from './script-book';
import { ServiceError } from './service-error';
import { SimClock } from '../sim-clock';

export type TriggerType = 'ON_DEMAND' | 'SCHEDULED' | 'CONDITIONAL';

/** How one trigger behaves. */
export interface TriggerScript {
  /**
   * StartTrigger fires an ON_DEMAND trigger at once; a SCHEDULED or CONDITIONAL one it only
   * activates (it fires later, on its schedule or condition, which the fake does not play).
   * @default ON_DEMAND
   */
  readonly type?: TriggerType;
  /** Glue job names whose runs a firing starts, with no arguments. @default none */
  readonly jobs?: string[];
  /**
   * Errors StartTrigger throws, one per call, before it fires normally again, e.g.
   * `ConcurrentRunsExceededException` or `ThrottlingException`.
   */
  readonly startErrors?: string[];
  /** No such trigger: every call about it is EntityNotFoundException. */
  readonly missing?: boolean;
}

/** The job fake's start call, which a firing goes through like any other run. */
export interface JobStarter {
  startJobRun(req: { readonly JobName: string; readonly TriggerName: string }): { JobRunId: string };
}

/** One StartTrigger that fired. */
export interface TriggerFiring {
  readonly triggerName: string;
  /** Simulated time of the firing. */
  readonly at: number;
  /** The job runs it started; a job whose start failed has none (Glue starts them after answering). */
  readonly jobRunIds: string[];
}

/**
 * The Glue trigger calls (StartTrigger, GetTrigger). Any trigger not scripted exists, is
 * ON_DEMAND and starts no jobs. A firing starts its jobs' runs at once through the job fake.
 */
export class GlueTriggers {
  /** Every firing, oldest first. */
  public readonly firings: TriggerFiring[] = [];
  private readonly book: ScriptBook<TriggerScript>;
  /** Scheduled and conditional triggers started (activated) so far. */
  private readonly activated = new Set<string>();

  constructor(
    private readonly clock: SimClock,
    scripts: Record<string, TriggerScript>,
    private readonly jobs: JobStarter,
  ) {
    this.book = new ScriptBook(scripts, {}, 'trigger');
  }

  public startTrigger(name: string | undefined): { Name: string } {
    const trigger = this.existing(name);
    this.book.throwStartError(trigger);
    const script = this.book.scriptOf(trigger);
    if (typeOf(script) !== 'ON_DEMAND') {
      this.activated.add(trigger);
      return { Name: trigger };
    }
    const jobRunIds: string[] = [];
    for (const job of script.jobs ?? []) {
      try {
        jobRunIds.push(this.jobs.startJobRun({ JobName: job, TriggerName: trigger }).JobRunId);
      } catch {
        // Glue answers StartTrigger before it starts the jobs: a job that cannot start is not the caller's error.
      }
    }
    this.firings.push({ triggerName: trigger, at: this.clock.now(), jobRunIds });
    return { Name: trigger };
  }

  public getTrigger(name: string | undefined) {
    const trigger = this.existing(name);
    const script = this.book.scriptOf(trigger);
    const type = typeOf(script);
    return {
      Trigger: {
        Name: trigger,
        Type: type,
        // On-demand triggers stay CREATED; the others fire only once StartTrigger activated them.
        State: type !== 'ON_DEMAND' && this.activated.has(trigger) ? 'ACTIVATED' : 'CREATED',
        Actions: (script.jobs ?? []).map((JobName) => ({ JobName })),
      },
    };
  }

  private existing(name: string | undefined): string {
    if (!name) {
      throw new ServiceError('InvalidInputException', 'Name is required');
    }
    if (this.book.given(name)?.missing) {
      throw new ServiceError('EntityNotFoundException', `Trigger with name ${name} not found`);
    }
    return name;
  }
}

function typeOf(script: TriggerScript): TriggerType {
  return script.type ?? 'ON_DEMAND';
}
