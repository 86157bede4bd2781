import { AwsLimits } from './aws-limits';

/**
 * How long a value of the template may be once CloudFormation has resolved it. A `Ref` or
 * `Fn::GetAtt` counts as the longest value it can resolve to, so a check made on these lengths
 * holds for every deployment.
 */
export type TokenBound = (intrinsic: Intrinsic) => number;

/** A `Ref` or `Fn::GetAtt`, as the template holds it. */
export type Intrinsic =
  | { readonly kind: 'ref'; readonly target: string }
  | { readonly kind: 'get-att'; readonly target: string; readonly attribute: string };

/**
 * Upper bounds of the pseudo parameters. AWS publishes no longest region or partition name:
 * these leave room beyond every one in use (the longest today have 14 and 10 characters).
 */
export const PSEUDO_PARAMETER_BOUNDS: Readonly<Record<string, number>> = {
  'AWS::Region': 32,
  'AWS::Partition': 16,
  'AWS::AccountId': AwsLimits.ACCOUNT_ID_CHARACTERS,
  'AWS::URLSuffix': 32,
  'AWS::StackName': 128,
};

/** The longest a string-valued expression (a string, `Ref`, `Fn::GetAtt`, `Fn::Join`) resolves to, in UTF-8 bytes. */
export function resolvedStringLength(value: unknown, bound: TokenBound): number {
  if (typeof value === 'string') {
    return Buffer.byteLength(value, 'utf8');
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value).length;
  }
  const intrinsic = intrinsicOf(value);
  if (intrinsic) {
    return bound(intrinsic);
  }
  const join = joinOf(value);
  if (join) {
    const [separator, parts] = join;
    const partsLength = parts.reduce((sum: number, part: unknown) => sum + resolvedStringLength(part, bound), 0);
    return partsLength + separator.length * Math.max(0, parts.length - 1);
  }
  return AwsLimits.ARN_CHARACTERS;
}

/**
 * The longest the compact JSON text of a template value is once resolved, in UTF-8 bytes.
 * Resolved values are counted as needing no escapes: names and ARNs hold no quotes.
 */
export function resolvedJsonLength(value: unknown, bound: TokenBound): number {
  if (value === null || typeof value !== 'object') {
    return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
  }
  if (intrinsicOf(value) || joinOf(value)) {
    return 2 + resolvedStringLength(value, bound);
  }
  if (Array.isArray(value)) {
    return 2 + Math.max(0, value.length - 1) + value.reduce((sum: number, v) => sum + resolvedJsonLength(v, bound), 0);
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  return 2 + Math.max(0, entries.length - 1)
    + entries.reduce((sum, [k, v]) => sum + Buffer.byteLength(JSON.stringify(k), 'utf8') + 1 + resolvedJsonLength(v, bound), 0);
}

function intrinsicOf(value: unknown): Intrinsic | undefined {
  if (!isRecord(value) || Object.keys(value).length !== 1) {
    return undefined;
  }
  if (typeof value.Ref === 'string') {
    return { kind: 'ref', target: value.Ref };
  }
  const att = value['Fn::GetAtt'];
  if (Array.isArray(att) && att.length === 2 && typeof att[0] === 'string' && typeof att[1] === 'string') {
    return { kind: 'get-att', target: att[0], attribute: att[1] };
  }
  return undefined;
}

function joinOf(value: unknown): [string, readonly unknown[]] | undefined {
  if (!isRecord(value) || Object.keys(value).length !== 1) {
    return undefined;
  }
  const join = value['Fn::Join'];
  if (Array.isArray(join) && join.length === 2 && typeof join[0] === 'string' && Array.isArray(join[1])) {
    return [join[0], join[1]];
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
