import { type Selectable, sql } from 'kysely';
import type { Database, Db } from './database.js';
import type { StaffAccounts } from './schema.js';

export type StaffAccountRow = Selectable<StaffAccounts>;

export interface NewStaffAccount {
  username: string;
  display_name: string;
  role: string;
  password_hash: string;
}

export async function staffAccountByUsername(db: Db, username: string): Promise<StaffAccountRow | undefined> {
  return db.selectFrom('staff_accounts').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function listStaffAccounts(db: Db): Promise<StaffAccountRow[]> {
  return db.selectFrom('staff_accounts').selectAll().orderBy('username').execute();
}

export async function insertStaffAccount(db: Db, a: NewStaffAccount): Promise<StaffAccountRow> {
  return db.insertInto('staff_accounts').values(a).returningAll().executeTakeFirstOrThrow();
}

/**
 * A new password for an enabled operator account, or nothing when the account is no longer one (disabled or made
 * staff meanwhile).
 */
export async function resetOperatorPassword(
  db: Db,
  username: string,
  passwordHash: string,
): Promise<StaffAccountRow | undefined> {
  return db
    .updateTable('staff_accounts')
    .set({ password_hash: passwordHash, updated_at: new Date().toISOString() })
    .where('username', '=', username)
    .where('role', '=', 'operator')
    .where('disabled', '=', false)
    .returningAll()
    .executeTakeFirst();
}

export async function updateStaffAccount(
  db: Db,
  username: string,
  change: Partial<Pick<StaffAccountRow, 'display_name' | 'role' | 'password_hash' | 'disabled'>>,
): Promise<StaffAccountRow | undefined> {
  return db
    .updateTable('staff_accounts')
    .set({ ...change, updated_at: new Date().toISOString() })
    .where('username', '=', username)
    .returningAll()
    .executeTakeFirst();
}

export interface SessionWithAccount {
  token_hash: string;
  csrf_token: string;
  created_at: Date;
  expires_at: Date;
  last_seen_at: Date;
  account_id: string;
  username: string;
  display_name: string;
  role: string;
}

export async function insertSession(
  db: Db,
  s: { token_hash: string; account_id: string; csrf_token: string; created_at: Date; expires_at: Date },
): Promise<void> {
  await db
    .insertInto('staff_sessions')
    .values({
      ...s,
      created_at: s.created_at.toISOString(),
      last_seen_at: s.created_at.toISOString(),
      expires_at: s.expires_at.toISOString(),
    })
    .execute();
}

/** A live session of an enabled account, opened after `openedAfter`, or nothing. */
export async function liveSession(
  db: Db,
  tokenHash: string,
  now: Date,
  openedAfter: Date,
): Promise<SessionWithAccount | undefined> {
  const row = await db
    .selectFrom('staff_sessions as s')
    .innerJoin('staff_accounts as a', 'a.id', 's.account_id')
    .select([
      's.token_hash',
      's.csrf_token',
      's.created_at',
      's.expires_at',
      's.last_seen_at',
      'a.id as account_id',
      'a.username',
      'a.display_name',
      'a.role',
    ])
    .where('s.token_hash', '=', tokenHash)
    .where('s.expires_at', '>', now)
    .where('s.created_at', '>', openedAfter)
    .where('a.disabled', '=', false)
    .executeTakeFirst();
  return row
    ? {
        ...row,
        created_at: new Date(row.created_at),
        expires_at: new Date(row.expires_at),
        last_seen_at: new Date(row.last_seen_at),
      }
    : undefined;
}

export async function touchSession(db: Db, tokenHash: string, now: Date, expiresAt: Date): Promise<void> {
  await db
    .updateTable('staff_sessions')
    .set({ last_seen_at: now.toISOString(), expires_at: expiresAt.toISOString() })
    .where('token_hash', '=', tokenHash)
    .execute();
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('staff_sessions').where('token_hash', '=', tokenHash).execute();
}

export async function deleteSessionsOf(db: Db, accountId: string): Promise<number> {
  const r = await db.deleteFrom('staff_sessions').where('account_id', '=', accountId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function deleteExpiredSessions(db: Db, now: Date): Promise<void> {
  await db.deleteFrom('staff_sessions').where('expires_at', '<=', now).execute();
}

/** A counter of sign-in attempts and how many it lets through before each further one must wait. */
export interface ThrottleCounter {
  key: string;
  free: number;
}

/** The waits after the free attempts: the first, doubling with each attempt up to the longest; a quiet counter is forgotten. */
export interface ThrottleTiming {
  firstWaitSeconds: number;
  longestWaitSeconds: number;
  forgetAfterSeconds: number;
}

// When the counter's next attempt may be made, in SQL (`t` is the counter's row): the free attempts at once, then
// the doubling waits (the exponent capped, so that power() cannot overflow).
const nextAllowedAt = (free: number, timing: ThrottleTiming) => sql<Date>`case
  when t.attempts < ${free} then '-infinity'::timestamptz
  else t.last_attempt_at + make_interval(secs => least(${timing.longestWaitSeconds}::float8,
    ${timing.firstWaitSeconds}::float8 * power(2, least(t.attempts - ${free}, 30))))
end`;

class Refused extends Error {}

/**
 * Count one attempt on every counter, or on none when one of them is still waiting: one transaction, each counter
 * updated under its row lock (in key order, so concurrent attempts never deadlock), so that attempts fired at once
 * are counted one after the other. Whether it was counted.
 */
export async function countLoginAttempt(
  db: Database,
  counters: readonly ThrottleCounter[],
  timing: ThrottleTiming,
  now: Date,
): Promise<boolean> {
  const forgotten = new Date(now.getTime() - timing.forgetAfterSeconds * 1000);
  try {
    await db.transaction().execute(async (trx) => {
      for (const c of [...counters].sort((x, y) => x.key.localeCompare(y.key))) {
        const counted = await sql<{ attempts: number }>`
          insert into login_throttle as t (key, attempts, last_attempt_at) values (${c.key}, 1, ${now})
          on conflict (key) do update set
            attempts = case when t.last_attempt_at < ${forgotten} then 1 else t.attempts + 1 end,
            last_attempt_at = ${now}
          where t.last_attempt_at < ${forgotten} or ${nextAllowedAt(c.free, timing)} <= ${now}
          returning attempts`.execute(trx);
        if (counted.rows.length === 0) throw new Refused();
      }
    });
    return true;
  } catch (err) {
    if (err instanceof Refused) return false;
    throw err;
  }
}

/** Seconds until every counter lets the next attempt through (0: now). */
export async function loginWaitSeconds(
  db: Db,
  counters: readonly ThrottleCounter[],
  timing: ThrottleTiming,
  now: Date,
): Promise<number> {
  let longest = 0;
  const forgotten = new Date(now.getTime() - timing.forgetAfterSeconds * 1000);
  for (const c of counters) {
    const row = await db
      .selectFrom('login_throttle as t')
      .select(nextAllowedAt(c.free, timing).as('next'))
      .where('t.key', '=', c.key)
      .where('t.last_attempt_at', '>=', forgotten)
      .executeTakeFirst();
    const next = row ? new Date(row.next).getTime() : Number.NEGATIVE_INFINITY;
    if (Number.isFinite(next)) longest = Math.max(longest, (next - now.getTime()) / 1000);
  }
  return Math.max(0, Math.ceil(longest));
}

/** Attempts a counter holds now (0 when forgotten or never counted). */
export async function loginAttempts(db: Db, key: string, timing: ThrottleTiming, now: Date): Promise<number> {
  const forgotten = new Date(now.getTime() - timing.forgetAfterSeconds * 1000);
  const row = await db
    .selectFrom('login_throttle')
    .select('attempts')
    .where('key', '=', key)
    .where('last_attempt_at', '>=', forgotten)
    .executeTakeFirst();
  return row?.attempts ?? 0;
}

/** Forget counters (a right password for the account). */
export async function clearLoginAttempts(db: Db, keys: readonly string[]): Promise<void> {
  if (keys.length > 0) await db.deleteFrom('login_throttle').where('key', 'in', keys).execute();
}

/** Take one attempt back from a counter (the address's, after a right password). */
export async function giveBackLoginAttempt(db: Db, key: string): Promise<void> {
  await db
    .updateTable('login_throttle')
    .set((eb) => ({ attempts: sql<number>`greatest(${eb.ref('attempts')} - 1, 0)` }))
    .where('key', '=', key)
    .execute();
}

/** Counters nobody used for longer than they are remembered. */
export async function deleteForgottenLoginAttempts(db: Db, before: Date): Promise<void> {
  await db.deleteFrom('login_throttle').where('last_attempt_at', '<', before).execute();
}
