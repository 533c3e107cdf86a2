import type { Database } from '../db/database.js';
import {
  clearLoginAttempts,
  countLoginAttempt,
  deleteForgottenLoginAttempts,
  giveBackLoginAttempt,
  loginAttempts,
  loginWaitSeconds,
  type ThrottleCounter,
  type ThrottleTiming,
} from '../db/staff.repository.js';

// Three counters per attempt. The pair (account, address) gives a person who mistypes three free tries; the
// account's counter slows guessing spread over many addresses, the address's counter one address trying many
// accounts. Past its free attempts each waits 5 s, doubling with each attempt up to 15 minutes; an hour without
// an attempt forgets it.
const PAIR_FREE = 3;
const ACCOUNT_FREE = 10;
const ADDRESS_FREE = 10;
const TIMING: ThrottleTiming = { firstWaitSeconds: 5, longestWaitSeconds: 15 * 60, forgetAfterSeconds: 3600 };

/** Who is trying: the name typed (lower-cased) and the client's address. */
export interface LoginAttempt {
  username: string;
  ip: string;
}

const counters = (a: LoginAttempt) => ({
  pair: { key: `pair:${a.username} ${a.ip}`, free: PAIR_FREE },
  account: { key: `user:${a.username}`, free: ACCOUNT_FREE },
  address: { key: `ip:${a.ip}`, free: ADDRESS_FREE },
});
const all = (a: LoginAttempt): ThrottleCounter[] => Object.values(counters(a));

export type Claim = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * Count an attempt before its password is checked: attempts fired at once are counted one after the other, and
 * once a counter must wait, an attempt is refused without looking at the password (and not counted).
 */
export async function claimLoginAttempt(db: Database, a: LoginAttempt, now: Date): Promise<Claim> {
  if (await countLoginAttempt(db, all(a), TIMING, now)) return { ok: true };
  return { ok: false, retryAfterSeconds: Math.max(1, await loginWaitSeconds(db, all(a), TIMING, now)) };
}

/** Seconds the attempt would have to wait now (0: none), without counting it. */
export async function loginWait(db: Database, a: LoginAttempt, now: Date): Promise<number> {
  return loginWaitSeconds(db, all(a), TIMING, now);
}

/** After a wrong password: the wait it brought (0: the next attempt may come at once) and the address's count. */
export async function afterWrongPassword(
  db: Database,
  a: LoginAttempt,
  now: Date,
): Promise<{ retryAfterSeconds: number; addressAttempts: number }> {
  return {
    retryAfterSeconds: await loginWaitSeconds(db, all(a), TIMING, now),
    addressAttempts: await loginAttempts(db, counters(a).address.key, TIMING, now),
  };
}

/** After the right password: the account's counters are forgotten, and the address gets this attempt back. */
export async function afterRightPassword(db: Database, a: LoginAttempt, now: Date): Promise<void> {
  const c = counters(a);
  await clearLoginAttempts(db, [c.pair.key, c.account.key]);
  await giveBackLoginAttempt(db, c.address.key);
  await deleteForgottenLoginAttempts(db, new Date(now.getTime() - TIMING.forgetAfterSeconds * 1000));
}
