import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpsApp, listen } from '../../src/ops/http/server.js';
import { addStaffAccount } from '../../src/registry/staff-accounts.js';
import { ConsoleClient } from '../helpers/console-client.js';
import { PipelineEnv } from '../helpers/pipeline-env.js';

describe('staff console security', () => {
  const env = new PipelineEnv('console_security', {
    ADMIN_USER: 'operator',
    ADMIN_PASSWORD: 'correct-horse',
  });
  let server: Server;
  let base = '';

  beforeAll(async () => {
    await env.setUp();
    await addStaffAccount(env.database.db, {
      username: 'lan',
      displayName: 'Nguyễn Thị Lan',
      password: 'mật khẩu của Lan',
    });
    server = await listen(createOpsApp(env.runtime), '127.0.0.1', 0);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 120_000);
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await env.tearDown();
  });

  it('sends anonymous requests to the sign-in page, for every console page', async () => {
    const anonymous = new ConsoleClient(base);
    for (const path of [
      '/',
      '/review',
      '/agencies',
      '/agencies/so-noi-vu',
      '/reports',
      '/reports/hanoi-2021/xlsx',
    ]) {
      const r = await anonymous.get(path);
      expect(r.status, path).toBe(303);
      expect(r.headers.get('location'), path).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
    const login = await anonymous.get('/login');
    expect(login.status).toBe(200);
    const html = await login.text();
    expect(html).toContain('<label for="username">Tên đăng nhập</label>');
    expect(html).toContain('<label for="password">Mật khẩu</label>');
    expect(login.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('signs in with an HttpOnly SameSite cookie, shows the console, and signs out for good', async () => {
    const lan = new ConsoleClient(base);
    const r = await lan.login('lan', 'mật khẩu của Lan');
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/');
    const cookie = r.headers.getSetCookie().find((c) => c.startsWith('reform_console='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const home = await lan.get('/');
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain('Nguyễn Thị Lan');
    expect(html).toContain('Tổng quan');
    const stolen = lan.cookieHeader();

    const out = await lan.post('/logout', { _csrf: ConsoleClient.hidden(html, '_csrf') });
    expect(out.status).toBe(303);
    // The old cookie, replayed, no longer opens anything.
    const replay = await fetch(`${base}/`, { redirect: 'manual', headers: { cookie: stolen } });
    expect(replay.status).toBe(303);
    expect(replay.headers.get('location')).toMatch(/^\/login/);
  });

  it('changes nothing for a post without the CSRF token or from a foreign origin', async () => {
    const lan = new ConsoleClient(base);
    await lan.login('lan', 'mật khẩu của Lan');
    const csrf = await lan.csrf();
    // Signing out is a change: refused without the token, with a wrong one, or from another site.
    const noToken = await lan.post('/logout', {});
    expect(noToken.status).toBe(403);
    const wrongToken = await lan.post('/logout', { _csrf: `${csrf.slice(0, -2)}xx` });
    expect(wrongToken.status).toBe(403);
    const foreign = await lan.post('/logout', { _csrf: csrf }, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const noOrigin = await lan.post('/logout', { _csrf: csrf }, { origin: null });
    expect(noOrigin.status).toBe(403);
    expect((await lan.get('/')).status).toBe(200);

    // A sign-in form posted from another site is refused too.
    const other = new ConsoleClient(base, 'https://evil.example');
    expect((await other.login('lan', 'mật khẩu của Lan')).status).toBe(403);
  });

  it('keeps the queue dashboard for operators: a staff account is refused, an operator enters', async () => {
    const lan = new ConsoleClient(base);
    await lan.login('lan', 'mật khẩu của Lan');
    const refused = await lan.get('/admin/queues');
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('chỉ dành cho tài khoản quản trị');
    expect((await lan.get('/admin/queues/api/queues')).status).toBe(403);
    expect(await (await lan.get('/')).text()).not.toContain('/admin/queues');

    // ADMIN_USER/ADMIN_PASSWORD made an operator account at start.
    const operator = new ConsoleClient(base);
    expect((await operator.login('operator', 'correct-horse')).status).toBe(303);
    expect(await (await operator.get('/')).text()).toContain('href="/admin/queues"');
    const board = await operator.get('/admin/queues');
    expect(board.status).toBe(200);
    expect(await board.text()).toContain('reform-inbox');
  });

  it('throttles wrong passwords: after three, even the right one must wait', async () => {
    const guesser = new ConsoleClient(base);
    const statuses: number[] = [];
    for (const guess of ['a-guess-1', 'a-guess-2', 'a-guess-3', 'a-guess-4'])
      statuses.push((await guesser.login('lan', guess)).status);
    expect(statuses).toEqual([401, 401, 429, 429]);
    const right = await guesser.login('lan', 'mật khẩu của Lan');
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await right.text()).toContain('Đăng nhập sai quá nhiều lần');
  });
});
