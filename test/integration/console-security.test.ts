import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createOpsApp, listen } from '../../src/ops/http/server.js';
import { projectRoot } from '../../src/ops/project-root.js';
import { parseForm } from '../../src/parser/parse-form.js';
import { keepRendering } from '../../src/registry/intake/keep-rendering.js';
import { addStaffAccount, setStaffDisabled } from '../../src/staff/staff-accounts.js';
import { ConsoleClient } from '../helpers/console-client.js';
import { buildDocx, header } from '../helpers/form-builder.js';
import { parserOptions } from '../helpers/parser.js';
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

  it('runs none of the console actions without the CSRF token or from another origin', async () => {
    const lan = new ConsoleClient(base);
    await lan.login('lan', 'mật khẩu của Lan');
    const csrf = await lan.csrf();
    // Every POST route of the console that changes the registry, sends a mail or queues work.
    const actions: [string, Record<string, string>][] = [
      ['/review/confirm', { reference: 'CCHC-2021-00001', agency: 'so-tu-phap' }],
      ['/review/link', { result: '1', initiative: '1' }],
      ['/review/dismiss', { kind: 'message', id: '1', note: 'x' }],
      ['/review/restore', { kind: 'message', id: '1' }],
      ['/review/resend', { message: '1', note: 'x' }],
      ['/files/replay', { attachment: '1' }],
      ['/addresses/clear-bounce', { email: 'vanthu_sotp@hanoi.gov.vn' }],
      ['/initiatives/1/correct', { field: 'title', value: 'x' }],
      ['/initiatives/1/parser-reading', { field: 'title' }],
      ['/corrections/1/undo', {}],
      ['/initiatives/1/withdraw', { note: 'x' }],
      ['/initiatives/1/restore', {}],
      ['/initiatives/1/assess', { verdict: 'effective' }],
      ['/initiatives/1/unassess', {}],
      ['/results/1/unlink', {}],
      ['/review/unconfirm', { reference: 'CCHC-2021-00001' }],
      ['/review/count-as', { reference: 'CCHC-2021-00001', rule: 'supplement' }],
      ['/review/forgery', { message: '1', note: 'x' }],
      ['/account/password', { current: 'mật khẩu của Lan', next: 'mật khẩu khác', again: 'mật khẩu khác' }],
    ];
    // None forgotten: every POST route the console's sources declare (sign-in and sign-out have tests of their own).
    const declared = readdirSync(join(projectRoot(), 'src', 'web'))
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => [
        ...readFileSync(join(projectRoot(), 'src', 'web', f), 'utf8').matchAll(/router\.post\('([^']+)'/g),
      ])
      .map((m) => (m[1] ?? '').replace(/:\w+/g, '1'))
      .filter((path) => path !== '/login' && path !== '/logout');
    expect(actions.map(([path]) => path).sort()).toEqual(declared.sort());
    for (const [path, form] of actions) {
      expect((await lan.post(path, form)).status, `${path} without a token`).toBe(403);
      expect(
        (await lan.post(path, { ...form, _csrf: csrf }, { origin: 'https://evil.example' })).status,
        `${path} from another origin`,
      ).toBe(403);
      expect(
        (await lan.post(path, { ...form, _csrf: csrf }, { origin: null })).status,
        `${path} unsigned`,
      ).toBe(403);
    }
    expect(await env.database.db.selectFrom('audit_log').select('id').execute()).toEqual([]);
    expect(await env.database.db.selectFrom('outbox').select('id').execute()).toEqual([]);
    expect(await env.runtime.queues.parse.getJobCounts('waiting', 'active', 'delayed')).toEqual({
      waiting: 0,
      active: 0,
      delayed: 0,
    });
  });

  it('answers a form or an address no page sends with a page in words, changing nothing', async () => {
    const lan = new ConsoleClient(base);
    await lan.login('lan', 'mật khẩu của Lan');
    const _csrf = await lan.csrf();
    const audited = async () => (await env.database.db.selectFrom('audit_log').select('id').execute()).length;
    const before = await audited();
    const refused: [string, Record<string, string>, string][] = [
      ['/review/dismiss', { kind: 'everything', id: '1', note: 'x' }, 'Không rõ loại việc'],
      ['/review/restore', { kind: 'message', id: '1 OR 1=1' }, 'Số hiệu việc không hợp lệ.'],
      ['/review/count-as', { reference: 'CCHC-2021-00001', rule: 'both' }, 'Hãy chọn cách tính hồ sơ'],
      ['/review/link', { result: 'abc', initiative: '1' }, 'Số hiệu kết quả không hợp lệ.'],
      ['/review/forgery', { note: 'x' }, 'Số hiệu thư không hợp lệ.'],
      ['/initiatives/first/withdraw', { note: 'x' }, 'Số hiệu sáng kiến không hợp lệ.'],
      ['/corrections/last/undo', {}, 'Số hiệu nội dung sửa không hợp lệ.'],
      ['/initiatives/1/parser-reading', { field: 'colour' }, 'Thông tin nhập chưa hợp lệ.'],
    ];
    for (const [path, form, words] of refused) {
      const r = await lan.post(path, { ...form, _csrf });
      expect(r.status, path).toBe(400);
      const html = await r.text();
      expect(html, path).toContain('Không thực hiện được');
      expect(html, path).toContain(words);
    }
    // A field sent twice (no page does) arrives as a list: refused as altered, never a server error.
    const twice = await fetch(`${base}/review/dismiss`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: lan.cookieHeader(),
        origin: base,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: `_csrf=${encodeURIComponent(_csrf)}&kind=message&id=1&note=a&note=b`,
    });
    expect(twice.status).toBe(400);
    expect(await twice.text()).toContain('Thông tin gửi lên chưa hợp lệ');
    const address = await lan.get('/agencies?campaign=hanoi-2021&campaign=2021');
    expect(address.status).toBe(400);
    expect(await address.text()).toContain('Địa chỉ trang có tham số không hợp lệ');
    expect((await lan.get('/reports/hanoi-2021/pdf')).status).toBe(404);
    expect((await lan.get('/messages/abc')).status).toBe(404);
    expect(await audited()).toBe(before);
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

  it('shows a hostile document and mail inert: no script, no event handler, no outside image', async () => {
    const hostile = [
      '<script>alert("x")</script>',
      '<img src="http://evil.example/pixel.png" onerror="alert(1)">',
      '<a href="javascript:alert(2)" onclick="alert(3)">bấm vào đây</a>',
      '<style>@import url(http://evil.example/x.css)</style>',
    ];
    const docx = await buildDocx([
      ...header(['UBND THÀNH PHỐ HÀ NỘI', hostile[0] ?? ''], `BIỂU ĐĂNG KÝ ${hostile[1]}`),
      { p: [hostile[2] ?? ''] },
      {
        table: [
          ['STT', 'Tên sáng kiến'],
          ['1', hostile[3] ?? ''],
        ],
      },
    ]);
    const db = env.database.db;
    const raw = Buffer.from(
      `From: <x@evil.example>\r\nSubject: ${hostile[0]}\r\nMessage-ID: <hostile@evil.example>\r\n` +
        `Content-Type: text/html; charset=utf-8\r\n\r\n${hostile.join('\r\n')}\r\n`,
    );
    const message = await db
      .insertInto('messages')
      .values({
        mailbox: 'INBOX',
        uidvalidity: 1,
        uid: 1,
        raw,
        raw_size: raw.length,
        raw_sha256: createHash('sha256').update(raw).digest('hex'),
        from_address: 'x@evil.example',
        from_name: hostile[1],
        subject: hostile[0],
        message_id: '<hostile@evil.example>',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const attachment = await db
      .insertInto('attachments')
      .values({
        message_id: message.id,
        part: '2',
        filename: `${hostile[1]}.docx`,
        content_type: 'text/html',
        size: docx.length,
        sha256: createHash('sha256').update(docx).digest('hex'),
        bytes: docx,
        state: 'parsed',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Drawn as the parse pool draws every file it reads.
    await keepRendering(
      db,
      String(attachment.id),
      await parseForm(docx, 'x.docx', { ...parserOptions, render: true }),
    );

    const lan = new ConsoleClient(base);
    await lan.login('lan', 'mật khẩu của Lan');
    const r = await lan.get(`/messages/${message.id}`);
    expect(r.status).toBe(200);
    const csp = r.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await r.text();
    // The document's text is there, as text.
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;img src');
    expect(html).toContain('http://evil.example/pixel.png');
    expect(html).toContain('role="document"');
    expect(html).toContain('Message-ID: &lt;hostile@evil.example&gt;');
    // And nothing of it is markup: no script element, no handler, no outside address in any attribute.
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<style/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/(href|src)="(javascript:|https?:)/i);

    // The file itself only ever downloads, never renders on the console's origin.
    const file = await lan.get(`/files/${attachment.id}`);
    expect(file.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(file.headers.get('content-type')).toBe('application/octet-stream');
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('lets a person change their own password only with the current one, and signs them out', async () => {
    await addStaffAccount(env.database.db, {
      username: 'hoa',
      displayName: 'Lê Thị Hoa',
      password: 'mật khẩu của Hoa',
    });
    const hoa = new ConsoleClient(base);
    await hoa.login('hoa', 'mật khẩu của Hoa');
    const csrf = await hoa.csrf();
    const wrong = await hoa.post('/account/password', {
      _csrf: csrf,
      current: 'không phải',
      next: 'mật khẩu mới của Hoa',
      again: 'mật khẩu mới của Hoa',
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('Mật khẩu hiện tại không đúng.');
    const noToken = await hoa.post('/account/password', {
      current: 'mật khẩu của Hoa',
      next: 'mật khẩu mới của Hoa',
      again: 'mật khẩu mới của Hoa',
    });
    expect(noToken.status).toBe(403);
    const ok = await hoa.post('/account/password', {
      _csrf: csrf,
      current: 'mật khẩu của Hoa',
      next: 'mật khẩu mới của Hoa',
      again: 'mật khẩu mới của Hoa',
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/login?changed=1');
    expect((await hoa.get('/')).status).toBe(303);
    expect((await new ConsoleClient(base).login('hoa', 'mật khẩu của Hoa')).status).toBe(401);
    expect((await new ConsoleClient(base).login('hoa', 'mật khẩu mới của Hoa')).status).toBe(303);
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

  it('ends the sessions of an account the moment it is disabled', async () => {
    await addStaffAccount(env.database.db, {
      username: 'thu',
      displayName: 'Thu',
      password: 'mật khẩu của Thu',
    });
    const thu = new ConsoleClient(base);
    expect((await thu.login('thu', 'mật khẩu của Thu')).status).toBe(303);
    expect((await thu.get('/')).status).toBe(200);
    await setStaffDisabled(env.database.db, 'thu', true);
    const after = await thu.get('/');
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toMatch(/^\/login/);
    await setStaffDisabled(env.database.db, 'thu', false);
    expect(
      (await fetch(`${base}/`, { redirect: 'manual', headers: { cookie: thu.cookieHeader() } })).status,
    ).toBe(303);
  });

  it('ignores X-Forwarded-For without a trusted proxy: a client cannot choose the address it is counted by', async () => {
    await addStaffAccount(env.database.db, {
      username: 'tuan',
      displayName: 'Tuấn',
      password: 'mật khẩu của Tuấn',
    });
    const statuses: number[] = [];
    for (let i = 1; i <= 4; i++)
      statuses.push(
        (await new ConsoleClient(base).login('tuan', `guess-${i}`, { 'x-forwarded-for': `203.0.113.${i}` }))
          .status,
      );
    expect(statuses).toEqual([401, 401, 429, 429]);
  });

  it('downloads the original mail and every file only as an attachment, a file that could run renamed', async () => {
    const db = env.database.db;
    const raw = Buffer.from(
      'From: <vanthu_sotp@hanoi.gov.vn>\r\nSubject: x\r\nMessage-ID: <downloads@test>\r\n\r\n<html><script>alert(1)</script></html>\r\n',
    );
    const message = await db
      .insertInto('messages')
      .values({
        mailbox: 'INBOX',
        uidvalidity: 1,
        uid: 2,
        raw,
        raw_size: raw.length,
        raw_sha256: createHash('sha256').update(raw).digest('hex'),
        from_address: 'vanthu_sotp@hanoi.gov.vn',
        subject: 'x',
        message_id: '<downloads@test>',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const bytes = Buffer.from('<script>alert(1)</script>');
    const attachment = await db
      .insertInto('attachments')
      .values({
        message_id: message.id,
        part: '2',
        filename: 'hướng dẫn.html',
        content_type: 'text/html',
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        bytes,
        state: 'rejected',
        reason_code: 'unsupported_type',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const lan = new ConsoleClient(base);
    await lan.login('hoa', 'mật khẩu mới của Hoa');
    const eml = await lan.get(`/messages/${message.id}/raw`);
    expect(eml.status).toBe(200);
    expect(eml.headers.get('content-type')).toMatch(/^message\/rfc822/);
    expect(eml.headers.get('content-disposition')).toBe(
      `attachment; filename="thu-${message.id}.eml"; filename*=UTF-8''thu-${message.id}.eml`,
    );
    expect(eml.headers.get('x-content-type-options')).toBe('nosniff');
    expect(eml.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(Buffer.from(await eml.arrayBuffer())).toEqual(raw);

    const file = await lan.get(`/files/${attachment.id}`);
    expect(file.headers.get('content-type')).toBe('application/octet-stream');
    expect(file.headers.get('content-disposition')).toBe(
      `attachment; filename="huong dan.html.txt"; filename*=UTF-8''${encodeURIComponent('hướng dẫn.html.txt')}`,
    );
    expect(file.headers.get('x-download-options')).toBe('noopen');
    expect(file.headers.get('x-original-filename')).toBe(encodeURIComponent('hướng dẫn.html'));
    expect(Buffer.from(await file.arrayBuffer())).toEqual(bytes);
  });

  it('uses Secure __Host- cookies and HSTS by default in production, and neither when told so', async () => {
    const production = loadConfig({
      ...env.env,
      NODE_ENV: 'production',
      TRUSTED_AUTHSERV_ID: 'mx.hanoi.gov.vn',
      ADMIN_USER: 'operator2',
      ADMIN_PASSWORD: 'a-password-of-the-office',
    });
    expect(production.CONSOLE_SECURE_COOKIES).toBe(true);
    await addStaffAccount(env.database.db, {
      username: 'minh',
      displayName: 'Minh',
      password: 'mật khẩu của Minh',
    });
    const served = async (config: typeof production, check: (at: string) => Promise<void>) => {
      const s = await listen(createOpsApp({ ...env.runtime, config }), '127.0.0.1', 0);
      try {
        await check(`http://127.0.0.1:${(s.address() as AddressInfo).port}`);
      } finally {
        await new Promise((r) => s.close(r));
      }
    };
    await served(production, async (at) => {
      const minh = new ConsoleClient(at);
      const form = await minh.get('/login');
      expect(form.headers.getSetCookie()).toEqual([
        expect.stringMatching(/^__Host-reform_login=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Secure$/),
      ]);
      const signedIn = await minh.login('minh', 'mật khẩu của Minh');
      expect(signedIn.status).toBe(303);
      expect(signedIn.headers.getSetCookie()).toEqual([
        expect.stringMatching(/^__Host-reform_console=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Secure$/),
      ]);
      expect((await minh.get('/')).status).toBe(200);
      for (const path of ['/login', '/healthz', '/readyz'])
        expect((await fetch(`${at}${path}`)).headers.get('strict-transport-security'), path).toBe(
          'max-age=31536000',
        );
    });
    await served(loadConfig({ ...env.env, CONSOLE_SECURE_COOKIES: 'false' }), async (at) => {
      const form = await fetch(`${at}/login`);
      expect(form.headers.getSetCookie()[0]).toMatch(/^reform_login=/);
      expect(form.headers.getSetCookie()[0]).not.toMatch(/Secure/);
      expect(form.headers.get('strict-transport-security')).toBeNull();
    });
  });
});
