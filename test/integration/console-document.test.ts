import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS } from '../helpers/browser.js';
import { ConsoleInBrowser } from '../helpers/console-in-browser.js';
import { mailWith, registrationDocx } from '../helpers/form-mail.js';
import { fixture } from '../helpers/paths.js';

// The document as sent, beside what was read, in a real browser: drawn by the parse pool and read from the
// database (never by opening the file in the console's process); a nine-column form readable at an office
// screen's width and kept in view while the fields scroll; a field's link lighting up its place; a scan shown
// as its pages; a PDF page by page; and a sender's markup shown as text.

const HOSTILE_TITLE = 'Sáng kiến <img src=x onerror=alert(1)> <script>alert(2)</script>';

describe('the document as sent, on the mail page', () => {
  const ui = new ConsoleInBrowser('console_document');
  const { env } = ui;
  let base = '';

  beforeAll(async () => {
    const hostile = await registrationDocx(
      ['UBND TỈNH', 'SỞ TƯ PHÁP'],
      [{ title: HOSTILE_TITLE, summary: 'Nội dung <b>đậm</b>' }],
    );
    await ui.start((pipeline) =>
      pipeline.deliverAllAndSettle(
        [
          readFileSync(fixture('emails', '02-huyen-thanh-tri-scan-va-word.eml')),
          readFileSync(fixture('emails', '10-so-tu-phap-bao-cao-ket-qua.eml')),
          mailWith({
            from: 'vanthu_sogtvt@hanoi.gov.vn',
            subject: 'Biểu đăng ký (bản in PDF)',
            id: 'pdf-1',
            files: [
              {
                name: 'dang-ky.pdf',
                bytes: readFileSync(fixture('forms', 'dk-so-giao-thong-van-tai-ban-in.pdf')),
              },
            ],
          }),
          mailWith({
            from: 'vanthu_sotp@hanoi.gov.vn',
            subject: 'Đăng ký sáng kiến',
            id: 'markup-1',
            files: [{ name: 'dk.docx', bytes: hostile }],
          }),
        ],
        120_000,
      ),
    );
    ({ base } = ui);
  }, 240_000);
  afterAll(() => ui.close());

  const signedIn = (width: number, height: number) => ui.signedIn(width, height);

  const messageOf = async (subjectLike: string) =>
    (
      await env.database.db
        .selectFrom('messages')
        .select('id')
        .where('subject', 'like', subjectLike)
        .executeTakeFirstOrThrow()
    ).id;

  const fileOf = async (name: string) =>
    (
      await env.database.db
        .selectFrom('attachments')
        .select(['id', 'message_id'])
        .where('filename', 'like', name)
        .executeTakeFirstOrThrow()
    ).id;

  it('keeps a drawing of every file read, and none of a file refused', async () => {
    const rows = await env.database.db
      .selectFrom('attachments as a')
      .leftJoin('document_renderings as r', 'r.attachment_id', 'a.id')
      .select(['a.filename', 'a.state', 'r.kind'])
      .execute();
    for (const row of rows) {
      if (row.state === 'parsed') expect(row.kind, row.filename).not.toBeNull();
      else expect(row.kind, row.filename).toBeNull();
    }
    const kinds = rows.map((r) => r.kind).sort();
    expect(kinds).toEqual(expect.arrayContaining(['blocks', 'images', 'pdf']));
  });

  it('shows a nine-column form beside its fields at 1366 px, in view while the fields scroll; a field link lights its place', async () => {
    const page = await signedIn(1366, 768);
    await page.goto(`${base}/messages/${await messageOf('%Thanh Trì%')}`);
    const word = page.locator('section.file', { hasText: /Thanh Trì\.docx|huyện Thanh Trì/ }).last();
    const doc = word.locator('.doc-pane .doc');
    await doc.waitFor();
    // The form's item table, every column readable: its cells are wide enough for words, not letters.
    const header = doc.locator('td', { hasText: 'Lợi ích thu được' }).first();
    await header.waitFor();
    const headingRow = doc.locator('tr', { hasText: 'Tên sáng kiến' }).first();
    expect(await headingRow.locator('td').count()).toBeGreaterThanOrEqual(7);
    const box = await doc.boundingBox();
    const cell = await header.boundingBox();
    if (!box || !cell) throw new Error('not laid out');
    expect(box.x + box.width).toBeLessThanOrEqual(1366);
    expect(cell.width).toBeGreaterThan(40);
    // Scrolled down to the second initiative's fields: the document is still on the screen, at its top.
    const fields = word.locator('dl.fields');
    expect(await fields.count()).toBeGreaterThanOrEqual(2);
    await fields.last().locator('dt').nth(2).scrollIntoViewIfNeeded();
    const after = await doc.boundingBox();
    if (!after) throw new Error('document gone');
    expect(after.y).toBeGreaterThanOrEqual(0);
    expect(after.y).toBeLessThan(768 / 2);
    await page.screenshot({ path: join(ARTIFACTS, 'console-document-beside-fields.png') });
    // "xem trong văn bản" on the second initiative's title: its cell is the target, in view.
    await fields
      .last()
      .locator('dt', { hasText: 'Tên sáng kiến' })
      .getByRole('link', { name: /xem trong văn bản/ })
      .click();
    const target = doc.locator(':target');
    await target.waitFor();
    // Lines of a cell are apart on the page, joined in its text: compared without their spaces.
    const squash = (t: string | null) => (t ?? '').replace(/\s+/g, '');
    const title = squash(await fields.last().locator('dd').first().locator('.value').textContent());
    expect(squash(await target.textContent())).toContain(title.slice(0, 30));
    expect(await target.isVisible()).toBe(true);
    await page.context().close();
  }, 90_000);

  it("links a results report's rows to their place in the document", async () => {
    const page = await signedIn(1366, 768);
    const report = await env.database.db
      .selectFrom('initiative_results as r')
      .innerJoin('submissions as s', 's.id', 'r.submission_id')
      .innerJoin('attachments as a', 'a.id', 's.attachment_id')
      .select(['a.message_id', 'r.title'])
      .orderBy('r.position')
      .executeTakeFirstOrThrow();
    await page.goto(`${base}/messages/${report.message_id}`);
    const row = page.locator('table.list tr', { hasText: report.title.slice(0, 20) }).first();
    await row.getByRole('link', { name: /xem trong văn bản/ }).click();
    const target = page.locator('.doc :target');
    await target.waitFor();
    const squash = (t: string | null) => (t ?? '').replace(/\s+/g, '');
    expect(squash(await target.textContent())).toContain(squash(report.title).slice(0, 20));
    await page.context().close();
  }, 60_000);

  it('shows a scan as its pages, and a PDF page by page with its text', async () => {
    const page = await signedIn(1366, 768);
    await page.goto(`${base}/messages/${await messageOf('%Thanh Trì%')}`);
    const scan = page.locator('section.file', { hasText: 'bản ký' }).first();
    await scan.getByText('Bản chụp văn bản (bản ký, đóng dấu)').waitFor();
    const images = scan.locator('.doc img');
    expect(await images.count()).toBe(2);
    for (const img of await images.all()) {
      await img.scrollIntoViewIfNeeded();
      await expect
        .poll(() => img.evaluate((i) => (i as unknown as { naturalWidth: number }).naturalWidth))
        .toBe(1100);
    }
    await page.screenshot({ path: join(ARTIFACTS, 'console-document-scan.png') });
    // The image is ours, not the sender's file, and is served only to a signed-in person.
    const scanId = await fileOf('%bản ký%');
    const served = await page.request.get(`${base}/files/${scanId}/pages/1`);
    expect(served.headers()['content-type']).toBe('image/jpeg');
    const anonymous = await fetch(`${base}/files/${scanId}/pages/1`, { redirect: 'manual' });
    expect([302, 303, 401, 403]).toContain(anonymous.status);

    await page.goto(`${base}/messages/${await messageOf('%bản in PDF%')}`);
    const pdf = page.locator('.doc figure.page-text svg');
    await pdf.first().waitFor();
    expect(await pdf.first().locator('text', { hasText: 'BIỂU ĐĂNG KÝ' }).count()).toBeGreaterThan(0);
    await page
      .getByRole('link', { name: /xem trong văn bản/ })
      .first()
      .click();
    await page.locator('.doc text:target').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'console-document-pdf.png') });
    await page.context().close();
  }, 90_000);

  it('shows what a sender wrote as text, and reads it from the database, never from the file', async () => {
    const page = await signedIn(1366, 768);
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const messageId = await messageOf('Đăng ký sáng kiến');
    await page.goto(`${base}/messages/${messageId}`);
    const doc = page.locator('.doc').first();
    await doc.getByText(HOSTILE_TITLE).first().waitFor();
    expect(await doc.locator('img, script, b').count()).toBe(0);
    expect(dialogs).toEqual([]);
    // The stored drawing changed under the page: the page shows the change, so it is what the page reads.
    const fileId = await fileOf('dk.docx');
    const changed = {
      kind: 'blocks',
      truncated: false,
      sources: {},
      blocks: [{ type: 'p', id: 'b0', lines: ['DÒNG ĐÃ ĐỔI TRONG BẢN LƯU'] }],
    };
    await sql`update document_renderings set rendering = ${JSON.stringify(changed)}::jsonb
      where attachment_id = ${fileId}`.execute(env.database.db);
    await page.reload();
    await page.locator('.doc').first().getByText('DÒNG ĐÃ ĐỔI TRONG BẢN LƯU').waitFor();
    // A drawing that is not of the expected shape is not shown (and the page still is).
    await sql`update document_renderings set rendering = '{"kind":"blocks","blocks":[{"type":"p","id":"<x>"}]}'
      where attachment_id = ${fileId}`.execute(env.database.db);
    await page.reload();
    await page.getByText('Chưa có bản hiển thị của tệp này').waitFor();
    await page.context().close();
  }, 60_000);

  it('downloads every report from the console, and each parses back whole', async () => {
    const page = await signedIn(1366, 768);
    const titles = (
      await env.database.db.selectFrom('initiatives').select('title').where('status', '=', 'active').execute()
    ).map((r) => r.title);
    expect(titles.length).toBeGreaterThanOrEqual(3);
    await page.goto(`${base}/reports`);
    await page.getByRole('heading', { name: /Báo cáo/ }).waitFor();
    const download = async (label: RegExp) => {
      const waiting = page.waitForEvent('download');
      await page.getByRole('link', { name: label }).click();
      const done = await waiting;
      const failed = await done.failure();
      if (failed) throw new Error(`${label}: ${failed} (${done.url()})`);
      return readFileSync((await done.path()) ?? '');
    };
    const flat = (s: string) => s.replace(/\s+/g, ' ').trim();

    const workbook = new ExcelJS.Workbook();
    // exceljs declares an older Buffer type than Node's.
    await workbook.xlsx.load((await download(/Excel/)) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Sáng kiến');
    const cells: string[] = [];
    sheet?.eachRow((row) => {
      row.eachCell((cell) => {
        cells.push(flat(String(cell.text)));
      });
    });
    for (const title of titles) expect(cells).toContain(flat(title));

    const word = flat((await mammoth.extractRawText({ buffer: await download(/Word/) })).value);
    for (const title of titles) expect(word).toContain(flat(title));

    const rows: string[][] = parseCsv((await download(/CSV/)).toString('utf8').replace(/^\uFEFF/, ''));
    const csvCells = rows.flat().map(flat);
    for (const title of titles) expect(csvCells).toContain(flat(title));
    await page.context().close();
  }, 60_000);
});
