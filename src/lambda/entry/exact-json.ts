import { randomBytes } from 'crypto';
import { NumberValue } from '@aws-sdk/lib-dynamodb';

/**
 * JSON whose numbers beyond JavaScript's safe integers keep their exact digits. `JSON.parse`
 * rounds such a number (2^53 and beyond) to the nearest double, and DynamoDB's marshaller
 * refuses one; here it is a `NumberValue` holding the text as written, which the tracking table
 * stores as a DynamoDB number with those digits, and which `exactJsonText` writes back unchanged.
 */

/** A JSON number token, as RFC 8259 writes one. */
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** True when a number read as a double would not be exact: beyond the safe integers. */
function beyondSafe(text: string): boolean {
  return Math.abs(Number(text)) > Number.MAX_SAFE_INTEGER;
}

/**
 * `JSON.parse`, except that a number beyond the safe integers becomes a `NumberValue` with the
 * digits as written. Throws as `JSON.parse` does on text that is not JSON.
 */
export function parseExactJson(text: string): unknown {
  const marker = newMarker();
  // Written into the JSON text escaped: a raw control character is not allowed in a JSON string.
  const written = JSON.stringify(marker).slice(1, -1);
  let found = false;
  let out = '';
  let from = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') {
        i++;
      } else if (c === '"') {
        inString = false;
      }
      continue;
    }
    if (c === '"') {
      inString = true;
      continue;
    }
    if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const token = NUMBER.exec(text)?.[0];
      if (!token) {
        continue;
      }
      if (beyondSafe(token)) {
        out += `${text.slice(from, i)}"${written}${token}"`;
        from = i + token.length;
        found = true;
      }
      i += token.length - 1;
    }
  }
  const parsed = JSON.parse(found ? out + text.slice(from) : text);
  return found ? restore(parsed, marker) : parsed;
}

/**
 * A string no JSON text holds by chance: a control character (JSON escapes it in strings) and a
 * random nonce, then the number's digits.
 */
function newMarker(): string {
  return `\u0000exact-${randomBytes(8).toString('hex')}:`;
}

function restore(value: unknown, marker: string): unknown {
  if (typeof value === 'string') {
    return value.startsWith(marker) ? NumberValue.from(value.slice(marker.length)) : value;
  }
  if (Array.isArray(value)) {
    return value.map((v) => restore(v, marker));
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, restore(v, marker)]));
  }
  return value;
}

/** `JSON.stringify`, writing each `NumberValue` as its digits. */
export function exactJsonText(value: unknown): string {
  const marker = newMarker();
  let found = false;
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof NumberValue) {
      found = true;
      return `${marker}${v.toString()}`;
    }
    return v;
  });
  if (!found) {
    return text;
  }
  // JSON.stringify wrote the marker's control character escaped, as \u0000.
  const written = JSON.stringify(marker).slice(1, -1).replace(/\\/g, '\\\\');
  return text.replace(new RegExp(`"${written}(-?[0-9.eE+-]+)"`, 'g'), '$1');
}

/**
 * How the tracking table's numbers are read back: as JavaScript numbers, except one beyond the
 * safe integers, which stays a `NumberValue` with its exact digits (records written before
 * held none: their writes would have been refused).
 */
export function readDynamoNumber(text: string): number | NumberValue {
  return beyondSafe(text) ? NumberValue.from(text) : Number(text);
}
