import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS } from '../helpers/browser.js';
import { ConsoleInBrowser } from '../helpers/console-in-browser.js';

// A clerk's corrections in a real browser (Debian's chromium), on the demo mails: a held form corrected before it
// is confirmed, the correction shown as one beside the parser's reading, the reading given back, and a correction
// undone from the notice.
const MAILS = ['01-so-tu-phap-dang-ky.eml', '05-gmail-ca-nhan.eml'];
const HELD = '<CAJx7Yq1pW0gialam+8821@mail.gmail.com>';

describe('corrections in the staff console', () => {
  const ui = new ConsoleInBrowser('console_corrections');
  const { env } = ui;
  let base = '';
  let browser: Browser;

  beforeAll(async () => {
    await ui.start(MAILS);
    ({ base, browser } = ui);
  }, 180_000);
  afterAll(() => ui.close());

  const signIn = (page: Page) => ui.signIn(page);

  it('corrects a held form before confirming it, shows the correction beside the reading, gives the reading back, and undoes from the notice', async () => {
    const db = env.database.db;
    const held = await db
      .selectFrom('submissions')
      .innerJoin('attachments', 'attachments.id', 'submissions.attachment_id')
      .innerJoin('messages', 'messages.id', 'attachments.message_id')
      .select([
        'submissions.status',
        'attachments.id as attachment_id',
        'attachments.parse_result',
        'messages.id',
      ])
      .where('messages.message_id', '=', HELD)
      .executeTakeFirstOrThrow();
    expect(held.status).toBe('pending_review');
    const reading = (
      held.parse_result as { initiatives: { lead_unit: string | null; timeline: string | null }[] }
    ).initiatives[0];
    // The parser unsure of the first initiative's timeline: the file's section lists it at the top.
    await db
      .updateTable('attachments')
      .set({
        parse_result: JSON.stringify({
          ...(held.parse_result as object),
          uncertain: ['initiatives[0].timeline'],
        }),
      })
      .where('id', '=', held.attachment_id)
      .execute();
    const anchor = (field: string) => `field-${held.attachment_id}-1-${field}`;
    const text = async (l: Locator) => ((await l.textContent()) ?? '').replace(/\s+/g, ' ').trim();
    const shownValue = (page: Page, field: string) => text(page.locator(`#${anchor(field)} + dd .value`));

    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await signIn(page);
    await page.goto(`${base}/messages/${held.id}`);
    await page.getByText('Thư đang chờ cán bộ xác nhận').waitFor();

    // 1. The summary of doubtful fields at the top of the file's section links to the field.
    const doubts = page.getByRole('navigation', { name: 'Mục cần kiểm tra' });
    await doubts.getByRole('link', { name: 'Sáng kiến 1 – Thời gian thực hiện' }).click();
    await page.waitForURL((u) => u.hash === `#${anchor('timeline')}`);

    // 2. Corrected while held, before the confirmation.
    const initiative = page.locator('details.item').first();
    await initiative.getByText('Sửa Thời gian thực hiện').click();
    await initiative
      .getByLabel('Thời gian thực hiện: nội dung đúng')
      .fill('Từ tháng 9/2021 đến tháng 12/2021');
    await initiative.getByRole('button', { name: 'Lưu nội dung sửa' }).click();
    await page.getByText('Đã lưu nội dung đã sửa').waitFor();
    expect(await shownValue(page, 'timeline')).toBe('Từ tháng 9/2021 đến tháng 12/2021');
    await page
      .locator(`#${anchor('timeline')}`)
      .getByText('đã sửa')
      .waitFor();
    await doubts.getByText('(đã sửa)').waitFor();

    // 3. Confirmed: the correction is kept, shown as one, with who, when and what the parser read.
    await page.getByRole('button', { name: 'Xác nhận' }).click();
    await page.getByText('Đã xác nhận hồ sơ cho cơ quan, đơn vị').waitFor();
    expect(await shownValue(page, 'timeline')).toBe('Từ tháng 9/2021 đến tháng 12/2021');
    const note = page.locator(`#${anchor('timeline')} + dd .correction`);
    expect(await text(note)).toMatch(
      /^Cán bộ Nguyễn Thị Lan \(lan\) đã sửa lúc \d{2}:\d{2} \d{2}\/\d{1,2}\/\d{4}\. Hệ thống đọc: /,
    );
    expect(await text(note.locator('q'))).toBe(reading?.timeline ?? '');
    await page.screenshot({ path: join(ARTIFACTS, 'console-corrected.png'), fullPage: true });

    // 4. The parser's reading given back: the value is the reading again, no longer marked.
    await page
      .getByRole('button', { name: 'Trả lại nội dung hệ thống đọc cho mục Thời gian thực hiện' })
      .click();
    await page.getByText('Đã trả lại nội dung hệ thống đọc').waitFor();
    expect(await shownValue(page, 'timeline')).toBe(reading?.timeline ?? '(trống)');
    expect(
      await page
        .locator(`#${anchor('timeline')}`)
        .getByText('đã sửa')
        .count(),
    ).toBe(0);

    // 5. A correction undone from the notice in one click: the value before it comes back.
    await initiative.getByText('Sửa Đơn vị chủ trì').click();
    await initiative.getByLabel('Đơn vị chủ trì: nội dung đúng').fill('Văn phòng HĐND và UBND huyện');
    await initiative.getByRole('button', { name: 'Lưu nội dung sửa' }).click();
    await page.getByText('Đã lưu nội dung đã sửa').waitFor();
    expect(await shownValue(page, 'lead_unit')).toBe('Văn phòng HĐND và UBND huyện');
    const corrected = await page
      .locator('.flash')
      .getByRole('link', { name: 'Xem mục đã sửa' })
      .getAttribute('href');
    expect(corrected).toMatch(/^\/corrections\/\d+$/);
    await page.getByRole('status').getByRole('button', { name: 'Hoàn tác' }).click();
    await page.getByText('Đã hủy lần sửa này: mục trở lại nội dung hệ thống đọc từ tệp.').waitFor();
    expect(await shownValue(page, 'lead_unit')).toBe(reading?.lead_unit ?? '(trống)');
    // The notice's link led to the field itself, on the mail's page.
    await page.goto(`${base}${corrected}`);
    await page.waitForURL(
      (u) => u.pathname === `/messages/${held.id}` && u.hash === `#${anchor('lead_unit')}`,
    );

    // The agency's page lists the doubtful field at the initiative's place, with a link to it.
    await page.goto(`${base}/agencies/huyen-gia-lam`);
    const card = page.locator('details.item', { hasText: 'cần kiểm tra 1 mục' }).first();
    await card.locator('summary').first().click();
    await card
      .getByRole('navigation', { name: 'Mục cần kiểm tra' })
      .getByRole('link', { name: 'Thời gian thực hiện' })
      .click();
    await page.waitForURL((u) => u.hash === `#${anchor('timeline')}`);
    await page.screenshot({ path: join(ARTIFACTS, 'console-doubtful-fields.png'), fullPage: true });
    await page.goto(`${base}/messages/${held.id}`);

    // Every step is in the mail's history, in words.
    const history = page.locator('section', { has: page.getByRole('heading', { name: 'Lịch sử thay đổi' }) });
    await history.getByText('Trả lại nội dung hệ thống đọc').first().waitFor();
    await history.getByText('Hoàn tác nội dung sửa').first().waitFor();
    // The correction made while the form was held too, though the confirmation wrote its rows again.
    await history
      .getByText(/Thời gian thực hiện: .* → Từ tháng 9\/2021 đến tháng 12\/2021/)
      .first()
      .waitFor();
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
