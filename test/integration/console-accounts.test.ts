import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openAppContext } from '../../src/ops/app-context.js';
import type { WithContext } from '../../src/ops/cli.js';
import { registerStaffCommands } from '../../src/ops/commands/staff.command.js';
import {
  ensureOperatorAccount,
  StaffAccountError,
  sessionFor,
  signIn,
  signOut,
} from '../../src/staff/staff-accounts.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

const policy = { idleMs: 60 * 60_000, maxMs: 3 * 60 * 60_000 };

describe('staff accounts', () => {
  let database: TestDatabase;
  const out: string[] = [];
  let secret = '';

  // The `reform staff` commands as the CLI registers them, with the password "typed" by the test.
  const staffCli = async (...args: string[]) => {
    const program = new Command('reform').exitOverride();
    const withContext: WithContext = async (component, fn) => {
      const ctx = openAppContext(loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent' }), component);
      try {
        return await fn(ctx);
      } finally {
        await ctx.close();
      }
    };
    registerStaffCommands(
      program,
      { io: { out: (t) => void out.push(t), err: (t) => void out.push(t) }, config: () => loadConfig({}) },
      withContext,
      async () => secret,
    );
    await program.parseAsync(args, { from: 'user' });
  };

  beforeAll(async () => {
    database = await createTestDatabase('console_accounts');
  }, 60_000);
  afterAll(async () => {
    await database?.drop();
  });

  it('creates an account from the CLI with a password that never appears on the command line', async () => {
    secret = 'mật khẩu dài đủ';
    await staffCli('staff', 'add', 'Lan', '--name', 'Nguyễn Thị Lan');
    expect(out.pop()).toBe('account lan (Nguyễn Thị Lan, staff) created');
    const row = await database.db.selectFrom('staff_accounts').selectAll().executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(row.password_hash).not.toContain(secret);

    await expect(staffCli('staff', 'add', 'lan', '--name', 'X')).rejects.toMatchObject({
      code: 'account_exists',
    });
    secret = 'short';
    await expect(staffCli('staff', 'add', 'hoa', '--name', 'Hoa')).rejects.toBeInstanceOf(StaffAccountError);
    await expect(staffCli('staff', 'add', 'hoa', '--name', 'Hoa', '--role', 'admin')).rejects.toMatchObject({
      code: 'invalid_role',
    });
  });

  it('signs in with the right password only, and a new password signs the account out everywhere', async () => {
    const now = new Date();
    expect(
      await signIn(database.db, { username: 'lan', password: 'wrong', ip: '10.0.0.1' }, policy, now),
    ).toMatchObject({
      ok: false,
      reason: 'wrong_credentials',
    });
    const ok = await signIn(
      database.db,
      { username: 'LAN', password: 'mật khẩu dài đủ', ip: '10.0.0.1' },
      policy,
      now,
    );
    if (!ok.ok) throw new Error('sign-in refused');
    expect(ok.account).toMatchObject({ username: 'lan', displayName: 'Nguyễn Thị Lan', role: 'staff' });
    expect(await sessionFor(database.db, ok.token, policy, now)).toMatchObject({ csrfToken: ok.csrfToken });

    secret = 'một mật khẩu mới';
    await staffCli('staff', 'passwd', 'lan');
    expect(await sessionFor(database.db, ok.token, policy, now)).toBeUndefined();
    const again = await signIn(
      database.db,
      { username: 'lan', password: secret, ip: '10.0.0.1' },
      policy,
      now,
    );
    expect(again.ok).toBe(true);
    if (again.ok) {
      await signOut(database.db, again.token);
      expect(await sessionFor(database.db, again.token, policy, now)).toBeUndefined();
    }
  });

  it('ends a session left unused past its idle time', async () => {
    const now = new Date();
    const s = await signIn(database.db, { username: 'lan', password: secret, ip: '10.0.0.2' }, policy, now);
    if (!s.ok) throw new Error('sign-in refused');
    const later = new Date(now.getTime() + policy.idleMs + 1000);
    expect(await sessionFor(database.db, s.token, policy, later)).toBeUndefined();
  });

  it('makes a wrong password wait longer and longer, per username and address', async () => {
    const t0 = new Date();
    const attempt = (password: string, at: Date, ip = '10.0.0.3') =>
      signIn(database.db, { username: 'lan', password, ip }, policy, at);
    expect((await attempt('x1', t0)).ok).toBe(false);
    expect((await attempt('x2', t0)).ok).toBe(false);
    const third = await attempt('x3', t0);
    expect(third).toMatchObject({ ok: false, reason: 'throttled', retryAfterSeconds: 5 });
    // Even the right password waits out the delay.
    expect(await attempt(secret, new Date(t0.getTime() + 1000))).toMatchObject({ reason: 'throttled' });
    // Another address is not held up by these failures.
    expect((await attempt(secret, t0, '10.0.0.4')).ok).toBe(true);
    const t1 = new Date(t0.getTime() + 6000);
    expect(await attempt('x4', t1)).toMatchObject({ ok: false, reason: 'throttled', retryAfterSeconds: 10 });
    const t2 = new Date(t1.getTime() + 11_000);
    expect((await attempt(secret, t2)).ok).toBe(true);
    // A success clears the count.
    expect(await attempt('x5', t2)).toMatchObject({ ok: false, reason: 'wrong_credentials' });
  });

  it('counts attempts fired at once one after the other: only the first few are checked', async () => {
    const now = new Date();
    const all = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        signIn(database.db, { username: 'lan', password: `guess-${i}`, ip: '10.0.1.1' }, policy, now),
      ),
    );
    const reasons = all.map((r) => (r.ok ? 'ok' : r.reason));
    // Only the three free attempts were counted, and so checked; the 27 others were refused without a check.
    expect(reasons.filter((r) => r === 'throttled').length).toBeGreaterThanOrEqual(27);
    expect(reasons.every((r) => r === 'throttled' || r === 'wrong_credentials')).toBe(true);
    const rows = await database.db
      .selectFrom('login_throttle')
      .selectAll()
      .where('key', '=', 'pair:lan 10.0.1.1')
      .execute();
    expect(rows.map((r) => r.attempts)).toEqual([3]);
  });

  it('makes an unknown username cost what a wrong password costs: a full password check', async () => {
    secret = 'mật khẩu của Vy dài';
    await staffCli('staff', 'add', 'vy', '--name', 'Vy');
    const timed = async (username: string, ip: string) => {
      const started = performance.now();
      const r = await signIn(database.db, { username, password: 'not-the-password', ip }, policy, new Date());
      expect(r).toMatchObject({ ok: false, reason: 'wrong_credentials' });
      return performance.now() - started;
    };
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    // Alternated, each from an address of its own (no throttle), after a first check that hashes the decoy.
    await timed('nobody-0', '10.4.0.0');
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 1; i <= 5; i++) {
      unknown.push(await timed(`nobody-${i}`, `10.4.1.${i}`));
      wrong.push(await timed('vy', `10.4.2.${i}`));
    }
    // An scrypt check (N=2^15) takes tens of milliseconds; a lookup alone would take one or two.
    expect(median(wrong)).toBeGreaterThan(15);
    expect(median(unknown)).toBeGreaterThan(median(wrong) * 0.5);
    expect(median(unknown)).toBeLessThan(median(wrong) * 3);
    secret = 'một mật khẩu mới';
  });

  it("slows guessing at one account from many addresses, and one address's guessing at many accounts", async () => {
    const now = new Date();
    const guess = (username: string, ip: string, password = 'not-it') =>
      signIn(database.db, { username, password, ip }, policy, now);
    // Ten free attempts for the account, whatever the address; then even a new address waits.
    for (let i = 0; i < 10; i++) await guess('spread', `10.2.0.${i}`);
    expect(await guess('spread', '10.2.0.99')).toMatchObject({ reason: 'throttled' });
    // Ten for an address, whatever the account.
    const spray = [];
    for (let i = 0; i < 11; i++) spray.push(await guess(`user${i}`, '10.3.0.1'));
    expect(spray.slice(0, 9).every((r) => !r.ok && r.reason === 'wrong_credentials')).toBe(true);
    expect(spray[10]).toMatchObject({ reason: 'throttled' });
    // Another address is not held up by it.
    expect((await guess('lan', '10.3.0.2', secret)).ok).toBe(true);
  });

  it('creates the configured operator account and follows a changed ADMIN_PASSWORD, ending its sessions', async () => {
    expect(await ensureOperatorAccount(database.db, 'operator', 'first-password')).toMatchObject({
      account: { role: 'operator' },
      outcome: 'created',
    });
    const now = new Date();
    const open = await signIn(
      database.db,
      { username: 'operator', password: 'first-password', ip: '10.0.0.5' },
      policy,
      now,
    );
    if (!open.ok) throw new Error('sign-in refused');
    expect((await ensureOperatorAccount(database.db, 'operator', 'first-password')).outcome).toBe(
      'unchanged',
    );
    expect(await sessionFor(database.db, open.token, policy, now)).toBeDefined();
    expect((await ensureOperatorAccount(database.db, 'operator', 'second-password')).outcome).toBe(
      'password_reset',
    );
    // The reset ends the sessions opened with the old password.
    expect(await sessionFor(database.db, open.token, policy, now)).toBeUndefined();
    const old = await signIn(
      database.db,
      { username: 'operator', password: 'first-password', ip: '10.0.0.5' },
      policy,
      now,
    );
    expect(old.ok).toBe(false);
    const s = await signIn(
      database.db,
      { username: 'operator', password: 'second-password', ip: '10.0.0.5' },
      policy,
      now,
    );
    expect(s.ok && s.account.role).toBe('operator');
  });

  it('never re-enables a disabled operator nor promotes a staff account from the settings', async () => {
    await staffCli('staff', 'disable', 'operator');
    expect(await ensureOperatorAccount(database.db, 'operator', 'a-third-password')).toMatchObject({
      account: { disabled: true },
      outcome: 'left_disabled',
    });
    const row = await database.db
      .selectFrom('staff_accounts')
      .selectAll()
      .where('username', '=', 'operator')
      .executeTakeFirstOrThrow();
    expect(row.disabled).toBe(true);
    const now = new Date();
    expect(
      (
        await signIn(
          database.db,
          { username: 'operator', password: 'a-third-password', ip: '10.0.0.6' },
          policy,
          now,
        )
      ).ok,
    ).toBe(false);
    // "lan" is a staff account: naming it ADMIN_USER changes nothing about it.
    const lanBefore = await database.db
      .selectFrom('staff_accounts')
      .selectAll()
      .where('username', '=', 'lan')
      .executeTakeFirstOrThrow();
    expect(await ensureOperatorAccount(database.db, 'lan', 'an-operator-password')).toMatchObject({
      account: { role: 'staff' },
      outcome: 'left_staff',
    });
    const lanAfter = await database.db
      .selectFrom('staff_accounts')
      .selectAll()
      .where('username', '=', 'lan')
      .executeTakeFirstOrThrow();
    expect(lanAfter).toEqual(lanBefore);
  });

  it('ends a session at its absolute lifetime however busy, and at the next sign-in', async () => {
    const t0 = new Date();
    const s = await signIn(database.db, { username: 'lan', password: secret, ip: '10.0.0.7' }, policy, t0);
    if (!s.ok) throw new Error('sign-in refused');
    // Used every half hour: the idle time (1 h) never runs out, the absolute one (3 h) does.
    for (let minutes = 30; minutes < 180; minutes += 30) {
      const at = new Date(t0.getTime() + minutes * 60_000);
      const live = await sessionFor(database.db, s.token, policy, at);
      expect(live, `${minutes} min`).toBeDefined();
      expect(live?.expiresAt.getTime()).toBeLessThanOrEqual(t0.getTime() + policy.maxMs);
    }
    expect(
      await sessionFor(database.db, s.token, policy, new Date(t0.getTime() + policy.maxMs + 1000)),
    ).toBeUndefined();

    const first = await signIn(
      database.db,
      { username: 'lan', password: secret, ip: '10.0.0.7' },
      policy,
      t0,
    );
    const second = await signIn(
      database.db,
      { username: 'lan', password: secret, ip: '10.0.0.8' },
      policy,
      t0,
    );
    if (!first.ok || !second.ok) throw new Error('sign-in refused');
    expect(await sessionFor(database.db, first.token, policy, t0)).toBeUndefined();
    expect(await sessionFor(database.db, second.token, policy, t0)).toBeDefined();
  });

  it('ends the sessions of an account that is disabled', async () => {
    const now = new Date();
    const s = await signIn(database.db, { username: 'lan', password: secret, ip: '10.0.0.9' }, policy, now);
    if (!s.ok) throw new Error('sign-in refused');
    await staffCli('staff', 'disable', 'lan');
    expect(await sessionFor(database.db, s.token, policy, now)).toBeUndefined();
    await staffCli('staff', 'enable', 'lan');
    // Enabling it again does not bring the session back.
    expect(await sessionFor(database.db, s.token, policy, now)).toBeUndefined();
    expect(await database.db.selectFrom('staff_sessions').select('token_hash').execute()).toEqual([]);
  });
});
