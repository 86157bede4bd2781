/**
 * The execution input of each date, made from the `--input` template by replacing `{{date}}`.
 * Pure; every date's input is made and checked before anything starts.
 */
import { UsageError } from '../exit-codes';

export const DEFAULT_INPUT_TEMPLATE = '{"runDate":"{{date}}"}';

/** The placeholder replaced by the date (or the list's value). */
const DATE = '{{date}}';

/** Step Functions' limit on an execution input: 256 KiB of UTF-8 (docs/aws-assumptions.md). */
export const MAX_INPUT_BYTES = 256 * 1024;

/**
 * The input of each value, in order. A `UsageError` naming the template when it has no
 * `{{date}}` or another `{{...}}`, when a date's input is not JSON, or when it is over 256 KiB.
 * Values are letters, digits, `-` and `_` only (`checkRunValue`), so they need no JSON escaping.
 */
export function inputsFor(template: string, values: readonly string[]): string[] {
  const other = /\{\{(?!date\}\})[^}]*\}\}/.exec(template);
  if (other) {
    throw new UsageError(`--input has the placeholder ${other[0]}: only ${DATE} is replaced (by each date); remove it or write ${DATE}`);
  }
  if (!template.includes(DATE)) {
    throw new UsageError(`--input '${template}' has no ${DATE}: every date would run with the same input; put ${DATE} where the pipeline reads its date, e.g. --input '${DEFAULT_INPUT_TEMPLATE}'`);
  }
  return values.map((value) => {
    const input = template.split(DATE).join(value);
    try {
      JSON.parse(input);
    } catch (err) {
      throw new UsageError(`--input is not JSON once ${DATE} is ${value}: ${input} (${(err as Error).message}); quote the template for the shell, e.g. --input '${DEFAULT_INPUT_TEMPLATE}'`);
    }
    const bytes = Buffer.byteLength(input, 'utf8');
    if (bytes > MAX_INPUT_BYTES) {
      throw new UsageError(`--input for ${value} is ${bytes} bytes, more than the ${MAX_INPUT_BYTES} Step Functions accepts: make the template smaller`);
    }
    return input;
  });
}
