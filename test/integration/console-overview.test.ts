import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOfYesterday } from '../../src/domain/changes.js';
import { formatDateTime } from '../../src/domain/time.js';
import { ARTIFACTS } from '../helpers/browser.js';
import { ConsoleInBrowser } from '../helpers/console-in-browser.js';
import { fixture } from '../helpers/paths.js';

// The overview and the review list as a clerk reads them in a real browser: the forms sent late and what changed
// since yesterday, every item dated, the rare actions in a menu, the field in error focused after a refusal, and
// a phone's stacked rows each with its label.

const ZONE = 'Asia/Ho_Chi_Minh';
/** Before the 2021 deadlines: a form that arrived then is on time, and is no change of yesterday's. */
const ON_TIME = new Date('2021-07-26T02:00:00Z');
const HELD_FROM = 'hoangmai.gialam@gmail.com';

describe('the overview and the review list in a browser', () => {
  const ui = new ConsoleInBrowser('console_overview', {
    username: 'mai',
    displayName: 'Lê Thị Mai',
    password: 'mật khẩu của Mai',
  });
  const { env } = ui;
  let base = '';
  let browser: Browser;

  beforeAll(async () => {
    const mail = (name: string) => readFileSync(fixture('emails', name));
    // One registration in time, long ago; today a late one, a held one and a refused file.
    await ui.start(async (env) => {
      await env.deliverAndSettle(mail('01-so-tu-phap-dang-ky.eml'), ON_TIME, 90_000);
      await env.deliverAllAndSettle(
        ['08-so-tttt-dang-ky.eml', '05-gmail-ca-nhan.eml', '14-so-gtvt-file-macro.eml'].map(mail),
        90_000,
      );
    });
    ({ base, browser } = ui);
  }, 180_000);
  afterAll(() => ui.close());

  const signIn = (page: Page) => ui.signIn(page);

  /** Every form control of the page without a label of its own (hidden fields aside). */
  const unlabelled = (page: Page) =>
    page.evaluate<string[]>(`[...document.querySelectorAll('input, select, textarea')]
      .filter((el) => el.type !== 'hidden' && el.labels.length === 0 && !el.getAttribute('aria-label'))
      .map((el) => el.outerHTML)`);

  const lateCounted = async () =>
    (
      await env.database.db
        .selectFrom('submissions')
        .select('id')
        .where('late', '=', true)
        .where('status', 'in', ['active', 'superseded'])
        .execute()
    ).length;

  it('shows the forms sent late and what changed since yesterday, from the registry and the history', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN' });
    const page = await context.newPage();
    await signIn(page);
    const since = startOfYesterday(new Date(), ZONE);
    const late = page.locator('#late-forms');
    await late.getByRole('heading', { name: 'Gửi sau hạn' }).waitFor();
    const before = await lateCounted();
    expect(before).toBeGreaterThan(0);
    expect(await late.locator('.big').textContent()).toBe(String(before));

    const changes = page.locator('section', { has: page.getByRole('heading', { name: /^Thay đổi từ/ }) });
    await changes
      .getByRole('heading', { name: `Thay đổi từ ${formatDateTime(since, ZONE)} đến nay` })
      .waitFor();
    const arrived = await env.database.db
      .selectFrom('submissions')
      .select(['status'])
      .where('received_at', '>=', since)
      .execute();
    const held = arrived.filter((s) => s.status === 'pending_review').length;
    expect(held).toBeGreaterThan(0);
    await changes.getByText(new RegExp(`Hồ sơ mới nhận: ${arrived.length} `)).waitFor();
    await changes.getByText(new RegExp(`${held} hồ sơ chờ Phòng CCHC xác nhận`)).waitFor();
    await changes.getByText('Cán bộ chưa có thay đổi nào.').waitFor();
    expect(await unlabelled(page)).toEqual([]);

    // A confirmation today: it counts (late, as it came today) and the overview says it was done.
    await page.getByRole('link', { name: 'Việc cần xử lý' }).first().click();
    const item = page.locator('li.item', { hasText: HELD_FROM });
    await item.getByRole('button', { name: 'Xác nhận' }).click();
    await page
      .getByRole('status')
      .getByText(/^Đã xác nhận hồ sơ/)
      .waitFor();
    await page.goto(`${base}/`);
    await changes.getByText('Xác nhận hồ sơ: 1 lần').waitFor();
    expect(await late.locator('.big').textContent()).toBe(String(await lateCounted()));
    expect(await lateCounted()).toBeGreaterThan(before);
    await page.screenshot({ path: join(ARTIFACTS, 'console-overview-changes.png'), fullPage: true });
    await context.close();
  }, 90_000);

  it('dates every review item and keeps the rare actions in a menu worded for a clerk', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN' });
    const page = await context.newPage();
    await signIn(page);
    await page.goto(`${base}/review`);
    const items = page.locator('li.item');
    expect(await items.count()).toBeGreaterThan(0);
    for (const text of await items.allInnerTexts())
      expect(text).toMatch(/Nhận lúc\s+\d{2}:\d{2} \d{2}\/\d{1,2}\/\d{4}/);
    const file = page.locator('li.item', { hasText: 'Tệp không đọc được' }).first();
    await file
      .getByText(/GTVT\.docm/)
      .first()
      .waitFor();

    // Asking for a resend is one of the rare actions: in the menu, closed until opened.
    const more = file.locator('details.more');
    const resend = more.getByRole('button', { name: 'Gửi thư đề nghị gửi lại' });
    expect(await resend.isVisible()).toBe(false);
    await more.getByText('Thao tác khác').click();
    await resend.waitFor();
    await more.getByLabel('Ghi chú gửi cơ quan, đơn vị (không bắt buộc)').waitFor();
    expect(await unlabelled(page)).toEqual([]);

    // On the mail's page, reading the file again is in the file's menu, with a hint a clerk can follow.
    await file.getByRole('link', { name: /Xem hồ sơ/ }).click();
    await page.getByRole('heading', { name: 'Thư gốc' }).waitFor();
    const fileMenu = page.locator('details.more', { hasText: 'Thao tác khác với tệp' });
    const replay = fileMenu.getByRole('button', { name: /Đọc lại tệp/ });
    expect(await replay.isVisible()).toBe(false);
    await fileMenu.locator('summary').click();
    await replay.waitFor();
    const hint = (await fileMenu.locator('.hint').textContent()) ?? '';
    expect(hint).toMatch(/Nội dung cán bộ đã sửa được giữ nguyên/);
    expect(hint).not.toMatch(/bộ đọc tệp được sửa|parser|replay/i);
    await page.locator('details.more', { hasText: 'Thao tác khác với thư này' }).locator('summary').click();
    await page.getByRole('button', { name: 'Gửi thư đề nghị gửi lại' }).waitFor();
    expect(await unlabelled(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'console-rare-actions.png'), fullPage: true });
    await context.close();
  }, 60_000);

  it('announces a refusal in words and puts the focus on the field in error', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN' });
    const page = await context.newPage();
    await signIn(page);
    // A held form of its own (the first one was confirmed above): a copy of the gmail mail under a new id.
    const again = readFileSync(fixture('emails', '05-gmail-ca-nhan.eml'))
      .toString('latin1')
      .replace(
        'Message-ID: <CAJx7Yq1pW0gialam+8821@mail.gmail.com>',
        'Message-ID: <refusal+1@mail.gmail.com>',
      )
      .replace(/^Subject: .*(?:\r?\n[ \t].*)*/m, 'Subject: Dang ky sang kien (gui lai)');
    await env.settle([await env.deliver(Buffer.from(again, 'latin1'))], 90_000);
    await page.goto(`${base}/review`);
    const held = page.locator('li.item', { hasText: 'gui lai' });
    await held.getByRole('checkbox', { name: /Ghi nhớ/ }).check();
    await held.getByRole('button', { name: 'Xác nhận' }).click();
    await page
      .getByRole('alert')
      .getByText(/địa chỉ này có rủi ro khi ghi nhớ/)
      .waitFor();
    // The way back has the focus: Enter returns to the form, where the field in error has it.
    expect(await page.evaluate<string>('document.activeElement?.textContent ?? ""')).toBe('Quay lại');
    await page.keyboard.press('Enter');
    await page.waitForURL(/focus=accept-risks-/);
    const focused = await page.evaluate<string>('document.activeElement?.id ?? ""');
    expect(focused).toMatch(/^accept-risks-CCHC-/);
    await context.close();
  }, 120_000);

  it('labels every form control on every page', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN' });
    const page = await context.newPage();
    await signIn(page);
    const messages = await env.database.db.selectFrom('messages').select('id').execute();
    const paths = [
      '/',
      '/agencies',
      '/agencies/so-tu-phap',
      '/agencies/huyen-gia-lam',
      '/review',
      '/reports',
      '/account',
      ...messages.map((m) => `/messages/${m.id}`),
    ];
    const problems: string[] = [];
    for (const path of paths) {
      await page.goto(`${base}${path}`);
      for (const control of await unlabelled(page)) problems.push(`${path}: ${control}`);
    }
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('keeps a label beside every stacked value on a phone', async () => {
    const page = await ui.onPhone();
    const context = page.context();
    // The mail confirmed above and its district have a history of changes: a list stacked too.
    const confirmed = await env.database.db
      .selectFrom('messages')
      .select('id')
      .where('message_id', '=', '<CAJx7Yq1pW0gialam+8821@mail.gmail.com>')
      .executeTakeFirstOrThrow();
    const paths = ['/', '/agencies', '/agencies/so-tu-phap', '/agencies/huyen-gia-lam', '/review'];
    for (const path of [...paths, `/messages/${confirmed.id}`]) {
      await page.goto(`${base}${path}`);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth'), path).toBeLessThanOrEqual(
        390,
      );
      // Each stacked cell that shows a value says what it is: its column's name drawn before it.
      const bare = await page.evaluate<string[]>(`[...document.querySelectorAll('table.list tbody td')]
        .filter((td) => td.offsetParent !== null && td.innerText.trim() !== '' && !td.querySelector('button'))
        .filter((td) => {
          const before = getComputedStyle(td, '::before').content;
          return !td.dataset.label || !before.includes(td.dataset.label);
        })
        .map((td) => td.innerText.trim())`);
      expect(bare, path).toEqual([]);
    }
    await page.goto(`${base}/agencies`);
    const first = page.locator('table.list tbody tr').first();
    expect(await first.locator('td[data-label="Đã đăng ký / Số lượng tối thiểu"]').count()).toBe(1);
    const path = join(ARTIFACTS, 'console-phone-labels.png');
    await page.screenshot({ path, fullPage: false });
    expect(statSync(path).size).toBeGreaterThan(5_000);
    await page.goto(`${base}/`);
    await page.screenshot({ path: join(ARTIFACTS, 'console-phone-overview-labels.png'), fullPage: true });
    await context.close();
  }, 60_000);
});
