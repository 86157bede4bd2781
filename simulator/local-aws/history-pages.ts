import { randomBytes } from 'crypto';
import { ServiceError } from './service-error';
import type { HistoryEvent } from '../history-events';

/** `GetExecutionHistory`'s page size when `maxResults` is 0 or absent, and the most it allows (docs/aws-assumptions.md). */
export const DEFAULT_HISTORY_PAGE_SIZE = 100;
export const MAX_HISTORY_PAGE_SIZE = 1000;

/** The page size `maxResults` asks for: 0 or absent is the default; more than 1,000, or not a whole number, is a `ValidationException`. Pure. */
export function historyPageSize(maxResults: unknown): number {
  if (maxResults === undefined || maxResults === null || maxResults === 0) {
    return DEFAULT_HISTORY_PAGE_SIZE;
  }
  if (typeof maxResults !== 'number' || !Number.isInteger(maxResults) || maxResults < 0 || maxResults > MAX_HISTORY_PAGE_SIZE) {
    throw new ServiceError('ValidationException',
      `1 validation error detected: Value '${JSON.stringify(maxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${MAX_HISTORY_PAGE_SIZE}`);
  }
  return maxResults;
}

/**
 * One page of a history: up to `size` events from the event `fromId` on (back to it, in reverse
 * order), and the id the next page starts from, if any is left. Pages are kept by event id, not
 * by position, so a running execution's new events neither shift nor repeat the pages. Pure.
 */
export function historyPage(history: readonly HistoryEvent[], fromId: number | undefined, size: number, reverseOrder: boolean)
  : { events: HistoryEvent[]; nextId?: number } {
  const ordered = reverseOrder
    ? [...history].reverse().filter((e) => fromId === undefined || e.id <= fromId)
    : history.filter((e) => fromId === undefined || e.id >= fromId);
  const events = ordered.slice(0, size);
  return { events, ...(ordered.length > size && { nextId: ordered[size].id }) };
}

/**
 * The event without its execution data (`includeExecutionData: false`): the `input` and `output`
 * strings of its details go, the rest (names, `error`, `cause`, the truncation flags) stays. Pure.
 */
export function withoutExecutionData(event: HistoryEvent): HistoryEvent {
  return Object.fromEntries(Object.entries(event).map(([key, value]) => {
    if (!key.endsWith('EventDetails') || typeof value !== 'object' || value === null) {
      return [key, value];
    }
    const { input: _input, output: _output, ...rest } = value as Record<string, unknown>;
    return [key, rest];
  })) as HistoryEvent;
}

/**
 * The `nextToken`s handed out: opaque to the caller, each standing for where its next page starts
 * in one execution's history, read in one order. A token not handed out, or handed out for
 * another execution or order ("keep all other arguments unchanged"), is `InvalidToken`.
 */
export class HistoryTokens {
  private readonly tokens = new Map<string, { readonly executionArn: string; readonly reverseOrder: boolean; readonly nextId: number }>();

  public issue(executionArn: string, reverseOrder: boolean, nextId: number): string {
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, { executionArn, reverseOrder, nextId });
    return token;
  }

  public redeem(token: string, executionArn: string, reverseOrder: boolean): number {
    const held = this.tokens.get(token);
    if (!held || held.executionArn !== executionArn || held.reverseOrder !== reverseOrder) {
      throw new ServiceError('InvalidToken', `Invalid Token: '${token}'`);
    }
    return held.nextId;
  }
}
