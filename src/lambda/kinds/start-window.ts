/**
 * Where to look for what a start call of a kind without a correlation (a crawl, a trigger's
 * firing) may have begun: the runner writes the time it sends each such start on the task's
 * record first (`startSentAt`), keeps it when the answer is lost or the runner dies, and removes
 * it when Glue refused the call. Only a record with that mark can have work to find.
 */
export interface StartWindow {
  /** Epoch ms (runner's clock): the work began no earlier than this, by Glue's clock. */
  readonly from: number;
  /** Epoch ms: ...and no later than this. */
  readonly to: number;
  /** When the start was sent: work that had already ended by then is not the start's. */
  readonly sentAt: number;
}

/**
 * How much earlier than the send a start's work may show as begun: Glue's clock may run behind
 * the runner's. At most half the shortest wait between two tries (30 s), so work that refused
 * an earlier try, and so began before it, never falls in the window.
 */
export const BEFORE_SEND_MS = 15_000;

/**
 * How much later than the send a start's work may show as begun: the call is answered within
 * its 15 s request timeout, and Glue's clock may run ahead.
 */
export const AFTER_SEND_MS = 60_000;

/** The window of a start sent at `sentAt`. Pure. */
export function startWindow(sentAt: number): StartWindow {
  return { from: sentAt - BEFORE_SEND_MS, to: sentAt + AFTER_SEND_MS, sentAt };
}
