import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Database, Db } from '../db/database.js';
import {
  deleteExpiredSessions,
  deleteSession,
  deleteSessionsOf,
  insertSession,
  insertStaffAccount,
  listStaffAccounts,
  liveSession,
  resetOperatorPassword,
  type StaffAccountRow,
  staffAccountByUsername,
  touchSession,
  updateStaffAccount,
} from '../db/staff.repository.js';
import { longEnough, PASSWORD_MIN_LENGTH } from '../domain/password-policy.js';
import { AppError } from '../errors.js';
import { afterRightPassword, afterWrongPassword, claimLoginAttempt } from './login-throttle.js';
import { burnPasswordCheck, hashPassword, inCheckSlot, verifyPassword } from './password.js';

/** A console or CLI request about staff accounts that cannot be carried out as asked. */
export class StaffAccountError extends AppError<
  'invalid_username' | 'invalid_password' | 'invalid_role' | 'account_exists' | 'account_not_found'
> {}

const STAFF_ROLES = ['staff', 'operator'] as const;
type StaffRole = (typeof STAFF_ROLES)[number];

export interface StaffAccount {
  username: string;
  displayName: string;
  role: StaffRole;
  disabled: boolean;
}

const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/);

function username(raw: string): string {
  const parsed = Username.safeParse(raw);
  if (!parsed.success)
    throw new StaffAccountError(
      'invalid_username',
      `"${raw}" is not a valid username: letters a-z, digits, ".", "_" or "-", at most 63`,
      { username: raw },
    );
  return parsed.data;
}

function role(raw: string): StaffRole {
  if (!(STAFF_ROLES as readonly string[]).includes(raw))
    throw new StaffAccountError('invalid_role', `role must be staff or operator, not "${raw}"`, {
      role: raw,
    });
  return raw as StaffRole;
}

function checkPassword(password: string): void {
  if (!longEnough(password))
    throw new StaffAccountError(
      'invalid_password',
      `the password needs at least ${PASSWORD_MIN_LENGTH} characters`,
    );
}

function account(row: StaffAccountRow): StaffAccount {
  return {
    username: row.username,
    displayName: row.display_name,
    role: row.role === 'operator' ? 'operator' : 'staff',
    disabled: row.disabled,
  };
}

/** `reform staff add`: a new account; refuses a username already taken. */
export async function addStaffAccount(
  db: Db,
  input: { username: string; displayName: string; role?: string; password: string },
): Promise<StaffAccount> {
  const name = username(input.username);
  const r = role(input.role ?? 'staff');
  checkPassword(input.password);
  if (!input.displayName.trim())
    throw new StaffAccountError('invalid_username', 'the display name (--name) is empty');
  if (await staffAccountByUsername(db, name))
    throw new StaffAccountError('account_exists', `an account ${name} exists already`, { username: name });
  const row = await insertStaffAccount(db, {
    username: name,
    display_name: input.displayName.trim(),
    role: r,
    password_hash: await hashPassword(input.password),
  });
  return account(row);
}

/** `reform staff passwd`: a new password; every open session of the account is closed. */
export async function setStaffPassword(db: Db, rawUsername: string, password: string): Promise<StaffAccount> {
  const name = username(rawUsername);
  checkPassword(password);
  const hash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    const row = await updateStaffAccount(trx, name, { password_hash: hash });
    if (!row) throw new StaffAccountError('account_not_found', `no account ${name}`, { username: name });
    await deleteSessionsOf(trx, row.id);
    return account(row);
  });
}

/**
 * A signed-in person changes their own password: the current one must be given (a session left open on a
 * shared computer is not enough). Every session of the account ends, this one included.
 */
export async function changeOwnPassword(
  db: Database,
  input: { username: string; current: string; next: string; ip: string },
  now: Date,
): Promise<
  | { ok: true }
  | { ok: false; reason: 'wrong_password' | 'too_short' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
> {
  const name = username(input.username);
  // Guesses at the current password count with the sign-in's: an open session does not make guessing cheaper.
  const checked = await checkCredentials(db, { username: name, password: input.current, ip: input.ip }, now);
  if (!checked.ok)
    return checked.reason === 'throttled'
      ? { ok: false, reason: 'throttled', retryAfterSeconds: checked.retryAfterSeconds }
      : { ok: false, reason: 'wrong_password' };
  if (!longEnough(input.next)) return { ok: false, reason: 'too_short' };
  await setStaffPassword(db, name, input.next);
  return { ok: true };
}

/** Enable or disable an account; disabling closes its sessions. */
export async function setStaffDisabled(
  db: Db,
  rawUsername: string,
  disabled: boolean,
): Promise<StaffAccount> {
  const name = username(rawUsername);
  return db.transaction().execute(async (trx) => {
    const row = await updateStaffAccount(trx, name, { disabled });
    if (!row) throw new StaffAccountError('account_not_found', `no account ${name}`, { username: name });
    if (disabled) await deleteSessionsOf(trx, row.id);
    return account(row);
  });
}

export async function staffAccounts(db: Db): Promise<StaffAccount[]> {
  return (await listStaffAccounts(db)).map(account);
}

/** What starting with ADMIN_USER/ADMIN_PASSWORD did to the account of that name. */
export type OperatorAccountOutcome =
  | 'created'
  | 'unchanged'
  | 'password_reset'
  | 'left_disabled'
  | 'left_staff';

/**
 * The operator account named by ADMIN_USER/ADMIN_PASSWORD at the ops server's start: created when missing; when
 * the configured password differs, reset to it and every session of the account ended (changing the setting and
 * restarting is how an operator resets it). A disabled account stays disabled and a staff account stays staff:
 * the settings never re-enable nor promote anyone. One transaction.
 */
export async function ensureOperatorAccount(
  db: Database,
  rawUsername: string,
  password: string,
): Promise<{ account: StaffAccount; outcome: OperatorAccountOutcome }> {
  const name = username(rawUsername);
  checkPassword(password);
  const existing = await staffAccountByUsername(db, name);
  if (existing?.disabled) return { account: account(existing), outcome: 'left_disabled' };
  if (existing && existing.role !== 'operator') return { account: account(existing), outcome: 'left_staff' };
  if (existing && (await verifyPassword(password, existing.password_hash)))
    return { account: account(existing), outcome: 'unchanged' };
  const hash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    if (!existing) {
      const row = await insertStaffAccount(trx, {
        username: name,
        display_name: 'Quản trị hệ thống',
        role: 'operator',
        password_hash: hash,
      });
      return { account: account(row), outcome: 'created' as const };
    }
    // Only the password changes, and only while the account is still the enabled operator it was a moment ago.
    const row = await resetOperatorPassword(trx, name, hash);
    if (!row)
      throw new StaffAccountError('account_not_found', `account ${name} changed meanwhile`, {
        username: name,
      });
    await deleteSessionsOf(trx, row.id);
    return { account: account(row), outcome: 'password_reset' as const };
  });
}

/** Why a sign-in was refused, with what the log may say: the address's attempts and an existing account's name. */
export type CredentialsRefused =
  | { ok: false; reason: 'wrong_credentials'; attempts: number; account: string | null }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number; attempts?: number; account?: string | null };

/**
 * Check a username and password, throttled (src/staff/login-throttle.ts): the attempt is counted before the
 * password is looked at, and the check runs in one of a few slots. An unknown username costs a check against a
 * decoy hash; it, a disabled account and a wrong password get the same answer.
 */
export async function checkCredentials(
  db: Database,
  input: { username: string; password: string; ip: string },
  now: Date,
): Promise<{ ok: true; row: StaffAccountRow } | CredentialsRefused> {
  const attempt = { username: input.username.trim().toLowerCase().slice(0, 100), ip: input.ip };
  const claim = await claimLoginAttempt(db, attempt, now);
  if (!claim.ok) return { ok: false, reason: 'throttled', retryAfterSeconds: claim.retryAfterSeconds };
  const row = await staffAccountByUsername(db, attempt.username);
  const good = await inCheckSlot(() =>
    row
      ? verifyPassword(input.password, row.password_hash)
      : burnPasswordCheck(input.password).then(() => false),
  );
  // Too many checks already wait: the server is flooded; this attempt stays counted.
  if (good === null) return { ok: false, reason: 'throttled', retryAfterSeconds: 1 };
  if (!row || good !== true || row.disabled) {
    const after = await afterWrongPassword(db, attempt, now);
    const known = { attempts: after.addressAttempts, account: row?.username ?? null };
    return after.retryAfterSeconds > 0
      ? { ok: false, reason: 'throttled', retryAfterSeconds: after.retryAfterSeconds, ...known }
      : { ok: false, reason: 'wrong_credentials', ...known };
  }
  await afterRightPassword(db, attempt, now);
  return { ok: true, row };
}

export type SignIn =
  | { ok: true; account: StaffAccount; token: string; csrfToken: string; expiresAt: Date }
  | CredentialsRefused;

export interface SessionPolicy {
  /** A session unused this long ends. */
  idleMs: number;
  /** A session ends this long after sign-in, however busy. */
  maxMs: number;
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Check a username and password from the sign-in form (`checkCredentials`); on success open a session and return
 * its token (for the cookie) and CSRF token.
 */
export async function signIn(
  db: Database,
  input: { username: string; password: string; ip: string },
  policy: SessionPolicy,
  now: Date,
): Promise<SignIn> {
  const checked = await checkCredentials(db, input, now);
  if (!checked.ok) return checked;
  const row = checked.row;
  await deleteExpiredSessions(db, now);
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + Math.min(policy.idleMs, policy.maxMs));
  await db.transaction().execute(async (trx) => {
    // Signing in again ends the account's earlier sessions: a session left open elsewhere (a shared computer, a
    // stolen cookie) does not outlive the person's next sign-in.
    await deleteSessionsOf(trx, row.id);
    await insertSession(trx, {
      token_hash: tokenHash(token),
      account_id: row.id,
      csrf_token: csrfToken,
      created_at: now,
      expires_at: expiresAt,
    });
  });
  return { ok: true, account: account(row), token, csrfToken, expiresAt };
}

export interface ConsoleSession {
  account: StaffAccount;
  csrfToken: string;
  expiresAt: Date;
}

/**
 * The session a cookie token names, if it is live: its expiry slides forward with use, never past `maxMs` after
 * the sign-in.
 */
export async function sessionFor(
  db: Db,
  token: string,
  policy: SessionPolicy,
  now: Date,
): Promise<ConsoleSession | undefined> {
  if (!token || token.length > 100) return undefined;
  const hash = tokenHash(token);
  const s = await liveSession(db, hash, now, new Date(now.getTime() - policy.maxMs));
  if (!s) return undefined;
  let expiresAt = s.expires_at;
  // Written at most once a minute: every page view of a busy clerk need not be a database write.
  if (now.getTime() - s.last_seen_at.getTime() > 60_000) {
    const end = s.created_at.getTime() + policy.maxMs;
    expiresAt = new Date(Math.min(now.getTime() + policy.idleMs, end));
    await touchSession(db, hash, now, expiresAt);
  }
  return {
    account: {
      username: s.username,
      displayName: s.display_name,
      role: s.role === 'operator' ? 'operator' : 'staff',
      disabled: false,
    },
    csrfToken: s.csrf_token,
    expiresAt,
  };
}

/** Sign out: the session ends on the server, whatever the browser keeps. */
export async function signOut(db: Db, token: string): Promise<void> {
  if (token) await deleteSession(db, tokenHash(token));
}
