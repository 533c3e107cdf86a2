import { createHmac, randomBytes } from 'node:crypto';
import type { Database } from '../db/database.js';
import { staffAccountByUsername } from '../db/staff.repository.js';
import { afterRightPassword, afterWrongPassword, claimLoginAttempt, loginWait } from './login-throttle.js';
import { sameSecret } from './same-secret.js';
import { type CredentialsRefused, checkCredentials } from './staff-accounts.js';

/** The answer to an operator's credentials given by HTTP basic authentication (or a scraper's token). */
export type OperatorCheck =
  | { ok: true; username: string }
  | CredentialsRefused
  | { ok: false; reason: 'not_operator'; account: string };

// Credentials verified a moment ago are known by an HMAC of them under a key of this process (never the password
// itself), so a dashboard polling its API does not cost a password check per request. A hit still reads the
// account: a changed password, a disabled account or a lost operator role ends it at once.
const REMEMBER_MS = 5 * 60_000;
const REMEMBER_AT_MOST = 64;

/**
 * Operators' HTTP basic authentication through the console's accounts: the same hashes, throttling and logging
 * as the sign-in form; only an enabled `operator` account passes.
 */
export function operatorAuthenticator(db: Database) {
  const key = randomBytes(32);
  const verified = new Map<string, { username: string; passwordHash: string; at: number }>();

  return async (
    input: { username: string; password: string; ip: string },
    now: Date,
  ): Promise<OperatorCheck> => {
    const id = createHmac('sha256', key).update(`${input.username}\0${input.password}`).digest('base64');
    const known = verified.get(id);
    // Remembered credentials still wait out a throttle like any other: else, while guesses are refused unchecked,
    // the right one would stand out.
    if (known && now.getTime() - known.at < REMEMBER_MS) {
      const wait = await loginWait(db, { username: input.username.trim().toLowerCase(), ip: input.ip }, now);
      if (wait > 0) return { ok: false, reason: 'throttled', retryAfterSeconds: wait };
      const row = await staffAccountByUsername(db, known.username);
      if (row && !row.disabled && row.role === 'operator' && row.password_hash === known.passwordHash)
        return { ok: true, username: row.username };
    }
    verified.delete(id);
    const checked = await checkCredentials(db, input, now);
    if (!checked.ok) return checked;
    if (checked.row.role !== 'operator')
      return { ok: false, reason: 'not_operator', account: checked.row.username };
    if (verified.size >= REMEMBER_AT_MOST) verified.delete(verified.keys().next().value ?? '');
    verified.set(id, {
      username: checked.row.username,
      passwordHash: checked.row.password_hash,
      at: now.getTime(),
    });
    return { ok: true, username: checked.row.username };
  };
}

/**
 * A scraper's `Authorization: Bearer` token against METRICS_TOKEN: counted like a password (per address, before
 * the comparison), so that guessing it is throttled too.
 */
export async function checkScrapeToken(
  db: Database,
  input: { token: string; expected: string | undefined; ip: string },
  now: Date,
): Promise<{ ok: true } | CredentialsRefused> {
  const attempt = { username: '(metrics token)', ip: input.ip };
  const claim = await claimLoginAttempt(db, attempt, now);
  if (!claim.ok) return { ok: false, reason: 'throttled', retryAfterSeconds: claim.retryAfterSeconds };
  if (input.expected && sameSecret(input.token, input.expected)) {
    await afterRightPassword(db, attempt, now);
    return { ok: true };
  }
  const after = await afterWrongPassword(db, attempt, now);
  return after.retryAfterSeconds > 0
    ? {
        ok: false,
        reason: 'throttled',
        retryAfterSeconds: after.retryAfterSeconds,
        attempts: after.addressAttempts,
      }
    : { ok: false, reason: 'wrong_credentials', attempts: after.addressAttempts, account: null };
}
