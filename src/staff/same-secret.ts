import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether a secret given (a token, a cookie, an Authorization header) is the one expected, compared in constant
 * time whatever the lengths: both sides are hashed to 32 bytes first, so neither the length nor the first
 * differing byte shows in the time taken.
 */
export function sameSecret(given: string, expected: string): boolean {
  const x = createHash('sha256').update(given).digest();
  const y = createHash('sha256').update(expected).digest();
  return timingSafeEqual(x, y);
}
