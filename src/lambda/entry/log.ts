/**
 * One JSON line per event, so CloudWatch Logs Insights can filter on fields. Callers pass
 * `tokenId`, never a task token.
 */
export type LogFields = Record<string, unknown>;

function write(level: 'INFO' | 'WARN' | 'ERROR', message: string, fields: LogFields): void {
  const line = JSON.stringify({ level, message, ...fields });
  if (level === 'ERROR') {
    console.error(line);
  } else {
    console.log(line);
  }
}

/**
 * Writes an embedded metric format document (`entry/metrics.ts`) as a log event of its own:
 * the JSON object alone on one line of stdout. Not through `console.log`, which Lambda prefixes
 * with a time, the request id and a level (or wraps in a record, with the JSON log format), so
 * the event would not be the JSON object alone that the format asks for. A line that cannot be
 * written is dropped: a metric never stops the runner.
 */
function writeMetrics(line: object | undefined): void {
  if (line === undefined) {
    return;
  }
  try {
    process.stdout.write(`${JSON.stringify(line)}\n`);
  } catch (err) {
    write('WARN', 'metric line not written', { reason: describeError(err) });
  }
}

export const log = {
  info: (message: string, fields: LogFields = {}) => write('INFO', message, fields),
  warn: (message: string, fields: LogFields = {}) => write('WARN', message, fields),
  error: (message: string, fields: LogFields = {}) => write('ERROR', message, fields),
  metrics: writeMetrics,
};

/** `Name: message` of anything thrown, for logs and failure causes. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    return `${err.name}: ${err.message}`;
  }
  return String(err);
}
