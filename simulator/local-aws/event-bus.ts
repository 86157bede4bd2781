import { ServiceError } from './service-error';

/** An event the runner put on the bus, as EventBridge would route it. */
export interface PutEvent {
  /** Simulated time it was put (the clock's seconds). */
  readonly at: number;
  /** The bus named by the entry; `default` when it names none. */
  readonly eventBusName: string;
  readonly source: string;
  readonly detailType: string;
  /** The entry's `Detail`, parsed. */
  readonly detail: unknown;
}

/**
 * EventBridge `PutEvents` (awsJson1_1, `AWSEvents.PutEvents`), served by the simulation's JSON
 * endpoint: every entry is kept, in order, for the scenarios to read. Entries are checked as the
 * service checks them (source, detail-type and a JSON object detail, at most 10 entries a call);
 * an entry that fails is answered as a failed entry, not an error, as the service does.
 */
export class LocalEventBus {
  public readonly events: PutEvent[] = [];
  private next = 0;

  constructor(private readonly now: () => number) {}

  public putEvents(body: Record<string, unknown>) {
    const entries = body.Entries;
    if (!Array.isArray(entries) || entries.length < 1 || entries.length > 10) {
      throw new ServiceError('ValidationException', 'Entries must hold 1 to 10 entries');
    }
    const answers = entries.map((entry: Record<string, unknown>) => {
      const detail = parseDetail(entry.Detail);
      if (typeof entry.Source !== 'string' || typeof entry.DetailType !== 'string' || detail === undefined) {
        return { ErrorCode: 'InvalidArgument', ErrorMessage: 'an entry needs Source, DetailType and a JSON object Detail' };
      }
      this.events.push({
        at: this.now(),
        eventBusName: typeof entry.EventBusName === 'string' ? entry.EventBusName : 'default',
        source: entry.Source,
        detailType: entry.DetailType,
        detail,
      });
      return { EventId: `local-event-${++this.next}` };
    });
    return { FailedEntryCount: answers.filter((a) => 'ErrorCode' in a).length, Entries: answers };
  }
}

function parseDetail(detail: unknown): unknown {
  try {
    const parsed = typeof detail === 'string' ? JSON.parse(detail) : undefined;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
