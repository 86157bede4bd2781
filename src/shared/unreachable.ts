/**
 * The `default:` of a switch that covers every member of a union. The compiler rejects the
 * call while a member has no case of its own (`value` is then not `never`), so a new step kind
 * or status cannot pass through a switch unnoticed. At run time it throws: only a value from
 * outside the types (a damaged record) gets here.
 */
export function unreachable(value: never, what: string): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}
