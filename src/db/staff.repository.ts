import type { Selectable } from 'kysely';
import type { Db } from './database.js';
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

/** Create the account or, when the username exists, set its name, role and password and enable it. */
export async function upsertStaffAccount(db: Db, a: NewStaffAccount): Promise<StaffAccountRow> {
  return db
    .insertInto('staff_accounts')
    .values(a)
    .onConflict((oc) =>
      oc.column('username').doUpdateSet({
        display_name: a.display_name,
        role: a.role,
        password_hash: a.password_hash,
        disabled: false,
        updated_at: new Date().toISOString(),
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
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
  expires_at: Date;
  last_seen_at: Date;
  account_id: string;
  username: string;
  display_name: string;
  role: string;
}

export async function insertSession(
  db: Db,
  s: { token_hash: string; account_id: string; csrf_token: string; expires_at: Date },
): Promise<void> {
  await db
    .insertInto('staff_sessions')
    .values({ ...s, expires_at: s.expires_at.toISOString() })
    .execute();
}

/** A live session of an enabled account, or nothing. */
export async function liveSession(
  db: Db,
  tokenHash: string,
  now: Date,
): Promise<SessionWithAccount | undefined> {
  const row = await db
    .selectFrom('staff_sessions as s')
    .innerJoin('staff_accounts as a', 'a.id', 's.account_id')
    .select([
      's.token_hash',
      's.csrf_token',
      's.expires_at',
      's.last_seen_at',
      'a.id as account_id',
      'a.username',
      'a.display_name',
      'a.role',
    ])
    .where('s.token_hash', '=', tokenHash)
    .where('s.expires_at', '>', now)
    .where('a.disabled', '=', false)
    .executeTakeFirst();
  return row
    ? { ...row, expires_at: new Date(row.expires_at), last_seen_at: new Date(row.last_seen_at) }
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

export async function loginFailures(
  db: Db,
  username: string,
  ip: string,
): Promise<{ failures: number; last_failed_at: Date } | undefined> {
  const row = await db
    .selectFrom('staff_login_failures')
    .select(['failures', 'last_failed_at'])
    .where('username', '=', username)
    .where('ip', '=', ip)
    .executeTakeFirst();
  return row ? { failures: row.failures, last_failed_at: new Date(row.last_failed_at) } : undefined;
}

export async function recordLoginFailure(db: Db, username: string, ip: string, now: Date): Promise<number> {
  const row = await db
    .insertInto('staff_login_failures')
    .values({ username, ip, failures: 1, last_failed_at: now.toISOString() })
    .onConflict((oc) =>
      oc.columns(['username', 'ip']).doUpdateSet((eb) => ({
        failures: eb('staff_login_failures.failures', '+', 1),
        last_failed_at: now.toISOString(),
      })),
    )
    .returning('failures')
    .executeTakeFirstOrThrow();
  return row.failures;
}

export async function clearLoginFailures(db: Db, username: string, ip: string): Promise<void> {
  await db.deleteFrom('staff_login_failures').where('username', '=', username).where('ip', '=', ip).execute();
}
