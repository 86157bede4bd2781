import { createHash } from 'crypto';

/**
 * A short, stable id for a task token. Tokens are credentials: logs and keys carry this hash,
 * never the token itself.
 */
export function tokenId(taskToken: string): string {
  return createHash('sha256').update(taskToken).digest('hex').slice(0, 32);
}
