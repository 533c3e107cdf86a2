import * as crypto from 'node:crypto';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { loggerOptions } from '../../src/logger.js';
import { createOpsApp, listen } from '../../src/ops/http/server.js';
import { openRuntime } from '../../src/ops/runtime.js';
import { addStaffAccount } from '../../src/staff/staff-accounts.js';
import { ConsoleClient } from '../helpers/console-client.js';
import { PipelineEnv } from '../helpers/pipeline-env.js';

// Every secret comparison goes through crypto.timingSafeEqual: watched to see the token compared in full.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const TOKEN = 'scrape-token-0123456789abcdef';
const PASSWORD = 'correct-horse-battery';

describe('operator HTTP server on a public address', () => {
  // Configured as if bound to every interface behind one proxy (it listens on loopback for the test): each test
  // speaks from an address of its own through X-Forwarded-For, so that one test's guessing never slows another.
  const env = new PipelineEnv('opssec', {
    HTTP_HOST: '0.0.0.0',
    HTTP_TRUST_PROXY: '1',
    ADMIN_USER: 'operator',
    ADMIN_PASSWORD: PASSWORD,
    METRICS_TOKEN: TOKEN,
  });
  let server: Server;
  let base = '';
  const logLines: string[] = [];
  const basic = (user: string, password: string) =>
    `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const operator = basic('operator', PASSWORD);
  const from = (ip: string, headers: Record<string, string> = {}) => ({ 'x-forwarded-for': ip, ...headers });
  const get = (path: string, headers: Record<string, string>) => fetch(`${base}${path}`, { headers });

  beforeAll(async () => {
    await env.setUp();
    await addStaffAccount(env.database.db, {
      username: 'lan',
      displayName: 'Nguyễn Thị Lan',
      password: 'mật khẩu của Lan',
    });
    const sink = new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    const log = pino(loggerOptions({ LOG_LEVEL: 'info' }), sink);
    server = await listen(createOpsApp({ ...env.runtime, log }), '127.0.0.1', 0);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 120_000);
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await env.tearDown();
  });

  it('keeps /healthz open', async () => {
    const r = await fetch(`${base}/healthz`);
    expect(r.status).toBe(200);
  });

  it('refuses anonymous /metrics, and serves it to the scrape token or an operator account', async () => {
    const ip = '198.51.100.1';
    expect((await get('/metrics', from(ip))).status).toBe(401);
    const wrong = await get('/metrics', from(ip, { authorization: 'Bearer not-the-token' }));
    expect(wrong.status).toBe(401);
    const scraped = await get('/metrics', from(ip, { authorization: `Bearer ${TOKEN}` }));
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('reform_queue_jobs');
    const op = await get('/metrics', from(ip, { authorization: operator }));
    expect(op.status).toBe(200);
    // A staff account's right password is not an operator's.
    const staff = await get('/metrics', from(ip, { authorization: basic('lan', 'mật khẩu của Lan') }));
    expect(staff.status).toBe(403);
  });

  it("opens the dashboard to an operator account's password, which the console's hashing and throttling guard", async () => {
    const ip = '198.51.100.2';
    const board = await get('/admin/queues', from(ip, { authorization: operator }));
    expect(board.status).toBe(200);
    expect(await board.text()).toContain('reform-inbox');
    // ADMIN_PASSWORD made an operator account with a scrypt hash; nothing compares the setting itself any more.
    const row = await env.database.db
      .selectFrom('staff_accounts')
      .selectAll()
      .where('username', '=', 'operator')
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain(PASSWORD);
  });

  it('meets 15 wrong basic-auth guesses from one address with 429, for one user or many', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++)
      statuses.push(
        (await get('/admin/queues', from('198.51.100.3', { authorization: basic('operator', `guess-${i}`) })))
          .status,
      );
    expect(statuses.slice(0, 2)).toEqual([401, 401]);
    expect(statuses.slice(3)).toEqual(Array(12).fill(429));
    const refused = await get('/admin/queues', from('198.51.100.3', { authorization: operator }));
    // While it waits, even the right password is refused unchecked, and told when to come back.
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);

    // One address guessing a different name each time meets the address's own counter.
    const spray: number[] = [];
    for (let i = 0; i < 15; i++)
      spray.push(
        (await get('/metrics', from('198.51.100.4', { authorization: basic(`name${i}`, 'x') }))).status,
      );
    expect(spray.slice(0, 9)).toEqual(Array(9).fill(401));
    expect(spray.slice(10)).toEqual(Array(5).fill(429));
    // The scrape token is counted per address the same way.
    const tokens: number[] = [];
    for (let i = 0; i < 15; i++)
      tokens.push(
        (await get('/metrics', from('198.51.100.5', { authorization: `Bearer wrong-${i}` }))).status,
      );
    expect(tokens.at(-1)).toBe(429);
  });

  it('checks only the first few of 30 guesses fired at once', async () => {
    const all = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        get('/admin/queues', from('198.51.100.6', { authorization: basic('operator', `burst-${i}`) })),
      ),
    );
    const statuses = all.map((r) => r.status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(27);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
  });

  it('logs every failure with the address and its count, never what was typed', async () => {
    logLines.length = 0;
    await get('/admin/queues', from('198.51.100.7', { authorization: basic('operator', 'typed-secret-1') }));
    await get('/metrics', from('198.51.100.7', { authorization: basic('typed-name-2', 'typed-secret-2') }));
    await get('/metrics', from('198.51.100.7', { authorization: 'Bearer typed-token-3' }));
    const failures = logLines.map((l) => JSON.parse(l)).filter((l) => /authentication failed/.test(l.msg));
    expect(failures.map((f) => [f.ip, f.attempts])).toEqual([
      ['198.51.100.7', 1],
      ['198.51.100.7', 2],
      ['198.51.100.7', 3],
    ]);
    // An existing account is named; a name nobody has (perhaps a password typed in the wrong field) is not.
    expect(failures.map((f) => f.account)).toEqual(['operator', null, null]);
    for (const secret of ['typed-secret-1', 'typed-name-2', 'typed-secret-2', 'typed-token-3'])
      expect(logLines.join('')).not.toContain(secret);
  });

  it('answers /readyz the same to everyone, and its detail only to operators and scrapers', async () => {
    const ip = '198.51.100.8';
    const anonymous = await get('/readyz', from(ip));
    const anonymousBody = await anonymous.json();
    expect(Object.keys(anonymousBody as object)).toEqual(['ready']);
    // A wrong password (a guess) gets exactly the anonymous answer: /readyz tells nobody whether a guess was right.
    const guess = await get('/readyz', from(ip, { authorization: basic('operator', 'a-guess') }));
    expect(guess.status).toBe(anonymous.status);
    expect(await guess.json()).toEqual(anonymousBody);
    for (const authorization of [operator, `Bearer ${TOKEN}`]) {
      const detailed = await get('/readyz', from(ip, { authorization }));
      expect(detailed.status).toBe(anonymous.status);
      const body = (await detailed.json()) as { checks: unknown; warnings: string[] };
      expect(body.checks).toMatchObject({ postgres: true, redis: true });
      // No receiving host is configured in this file: readiness says so to operators.
      expect(body.warnings.join(' ')).toContain('TRUSTED_AUTHSERV_ID');
    }
    // An operator's console session sees it too.
    const console = new ConsoleClient(base);
    await console.login('operator', PASSWORD);
    expect(Object.keys((await (await console.get('/readyz')).json()) as object)).toContain('checks');
  });

  it('compares the scrape token in constant time, whatever its length', async () => {
    const compare = vi.mocked(crypto.timingSafeEqual);
    compare.mockClear();
    const r = await get('/metrics', from('198.51.100.9', { authorization: 'Bearer short' }));
    expect(r.status).toBe(401);
    expect(compare).toHaveBeenCalled();
    for (const [a, b] of compare.mock.calls) expect((a as Buffer).length).toBe((b as Buffer).length);
  });

  it('forbids framing on every answer: health, metrics, the dashboard and its API, the console', async () => {
    const ip = '198.51.100.10';
    for (const [path, headers] of [
      ['/healthz', {}],
      ['/readyz', {}],
      ['/metrics', {}],
      ['/metrics', { authorization: `Bearer ${TOKEN}` }],
      ['/admin/queues', { authorization: operator }],
      ['/admin/queues/api/queues', { authorization: operator }],
      ['/admin/queues', {}],
      ['/login', {}],
      ['/static/console.css', {}],
      ['/favicon.ico', {}],
      ['/no-such-page', {}],
    ] as const) {
      const r = await get(path, from(ip, headers));
      expect(r.headers.get('x-frame-options'), path).toBe('DENY');
      expect(r.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
      expect(r.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });

  it("believes X-Forwarded-For from one trusted proxy: the address that proxy saw, not the client's own claim", async () => {
    logLines.length = 0;
    const guess = (forwarded: string) =>
      get('/metrics', { 'x-forwarded-for': forwarded, authorization: basic('lan', 'not-her-password') });
    // The client wrote 6.6.6.6 itself; the proxy appended the address it saw. Only the last is believed.
    const statuses: number[] = [];
    for (const claimed of ['6.6.6.6', '6.6.6.7', '6.6.6.8', '6.6.6.9'])
      statuses.push((await guess(`${claimed}, 198.51.100.20`)).status);
    expect(statuses).toEqual([401, 401, 429, 429]);
    // Another client behind the same proxy is counted apart.
    expect((await guess('198.51.100.21')).status).toBe(401);
    const ips = logLines
      .map((l) => JSON.parse(l))
      .filter((l) => l.component === 'ops-auth')
      .map((l) => l.ip);
    expect(new Set(ips)).toEqual(new Set(['198.51.100.20', '198.51.100.21']));
  });

  it('answers only to its own host names: a DNS-rebinding page is refused', async () => {
    // What a browser sends when evil.example has been made to resolve to this server.
    const asHost = (host: string, path: string, headers: Record<string, string> = {}) =>
      new Promise<number>((resolve, reject) => {
        const port = Number(new URL(base).port);
        request({ host: '127.0.0.1', port, path, headers: { host, ...headers } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
    for (const path of ['/login', '/', '/readyz', '/admin/queues'])
      expect(await asHost('evil.example:8080', path), path).toBe(421);
    expect(await asHost('evil.example', '/admin/queues', { authorization: operator })).toBe(421);
    // Loopback names answer on any port (an SSH tunnel, a published port); machines' endpoints on any name.
    for (const host of ['127.0.0.1:9999', 'localhost:8080', '[::1]:8080'])
      expect(await asHost(host, '/login'), host).toBe(200);
    expect(await asHost('ops:8080', '/healthz')).toBe(200);
    expect(await asHost('ops:8080', '/metrics', { authorization: `Bearer ${TOKEN}` })).toBe(200);

    // CONSOLE_URL adds its name; HTTP_HOST its own unless it is every interface.
    const named = createOpsApp({
      ...env.runtime,
      config: loadConfig({ ...env.env, CONSOLE_URL: 'https://cchc.hanoi.gov.vn/', HTTP_HOST: '10.1.2.3' }),
    });
    const s = await listen(named, '127.0.0.1', 0);
    try {
      const port = Number((s.address() as AddressInfo).port);
      const at = (host: string) =>
        new Promise<number>((resolve, reject) => {
          request({ host: '127.0.0.1', port, path: '/login', headers: { host } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          })
            .on('error', reject)
            .end();
        });
      expect(await at('cchc.hanoi.gov.vn')).toBe(200);
      expect(await at('CCHC.hanoi.gov.vn:443')).toBe(200);
      expect(await at('10.1.2.3:8080')).toBe(200);
      expect(await at('cchc.hanoi.gov.vn.evil.example')).toBe(421);
    } finally {
      await new Promise((resolve) => s.close(resolve));
    }
  });

  it("refuses the dashboard's changing requests from another origin, or with no origin at all", async () => {
    const pause = (headers: Record<string, string>) =>
      fetch(`${base}/admin/queues/api/queues/parse/pause`, {
        method: 'PUT',
        headers: from('198.51.100.11', { authorization: operator, ...headers }),
      });
    expect((await pause({ origin: 'https://evil.example' })).status).toBe(403);
    expect((await pause({ referer: 'https://evil.example/page' })).status).toBe(403);
    expect((await pause({})).status).toBe(403);
    expect(await env.runtime.queues.parse.isPaused()).toBe(false);

    const same = await pause({ origin: base });
    expect(same.status).toBeLessThan(300);
    expect(await env.runtime.queues.parse.isPaused()).toBe(true);
    const resumed = await fetch(`${base}/admin/queues/api/queues/parse/resume`, {
      method: 'PUT',
      headers: from('198.51.100.11', {
        authorization: operator,
        referer: `${base}/admin/queues/queue/parse`,
      }),
    });
    expect(resumed.status).toBeLessThan(300);
    expect(await env.runtime.queues.parse.isPaused()).toBe(false);
  });

  it('still lets the dashboard be read without an Origin header', async () => {
    const r = await get('/admin/queues/api/queues', from('198.51.100.12', { authorization: operator }));
    expect(r.status).toBe(200);
  });

  it('asks for credentials on a loopback address too: a proxy on the same host is not the operator', async () => {
    const local = createOpsApp({
      ...env.runtime,
      config: loadConfig({ ...env.env, HTTP_HOST: '127.0.0.1' }),
    });
    const s = await listen(local, '127.0.0.1', 0);
    try {
      const at = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
      expect((await fetch(`${at}/metrics`)).status).toBe(401);
      expect(Object.keys((await (await fetch(`${at}/readyz`)).json()) as object)).toEqual(['ready']);
      expect((await fetch(`${at}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(
        200,
      );
    } finally {
      await new Promise((resolve) => s.close(resolve));
    }
  });
});

describe('operator HTTP server without its databases', () => {
  it('answers /healthz at once while PostgreSQL and Redis are unreachable, and /readyz not ready', async () => {
    // Nothing listens on port 9: every query and every Redis command fails.
    const config = loadConfig({
      DATABASE_URL: 'postgres://reform@127.0.0.1:9/none',
      REDIS_URL: 'redis://127.0.0.1:9',
      LOG_LEVEL: 'silent',
    });
    const runtime = openRuntime(config, 'ops-test');
    const server = await listen(createOpsApp(runtime), '127.0.0.1', 0);
    const at = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const started = Date.now();
      const health = await fetch(`${at}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok' });
      expect(Date.now() - started).toBeLessThan(1000);
      const ready = await fetch(`${at}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ ready: false });
    } finally {
      await new Promise((r) => server.close(r));
      await Promise.race([runtime.close().catch(() => undefined), new Promise((r) => setTimeout(r, 3000))]);
    }
  }, 30_000);
});
