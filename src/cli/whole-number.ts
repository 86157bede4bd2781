import { UsageError } from './exit-codes';

/** A whole-number option's value, from `min` to `max`; a `UsageError` naming the option and the text otherwise. */
export function wholeNumber(option: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) {
    throw new UsageError(`${option} ${text} is not a whole number from ${min} to ${max}`);
  }
  return n;
}
