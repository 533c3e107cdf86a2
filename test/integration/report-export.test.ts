import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { fixture } from '../helpers/paths.js';
import { PipelineEnv } from '../helpers/pipeline-env.js';

// The exported report in the registration form's shape, from real mail through the real pipeline and CLI.

const THANH_TRI = JSON.parse(readFileSync(fixture('forms', 'dk-huyen-thanh-tri.expected.json'), 'utf8')) as {
  initiatives: { title: string; products: string; beneficiaries: string; benefits: string }[];
};
const text = (v: ExcelJS.CellValue) => (v === null || v === undefined ? '' : String(v));

describe('the exported report in the form’s shape', () => {
  const env = new PipelineEnv('report-export');
  const dir = mkdtempSync(join(tmpdir(), 'reform-report-'));
  const db = () => env.database.db;

  beforeAll(async () => {
    await env.start();
    // Sở Tư pháp's form has one "Dự kiến kết quả" cell; Thanh Trì's has the form's three sub-columns.
    const mails = ['01-so-tu-phap-dang-ky.eml', '02-huyen-thanh-tri-scan-va-word.eml'];
    for (const file of mails) await env.deliverAndSettle(readFileSync(fixture('emails', file)));
    for (const format of ['xlsx', 'docx', 'csv']) {
      const r = await cli(env.database.url, 'export', '--format', format, '--out', join(dir, `r.${format}`));
      expect(r.code, r.stderr).toBe(0);
    }
  }, 120_000);
  afterAll(() => env.tearDown());

  const referenceOf = async (code: string) =>
    (
      await db()
        .selectFrom('submissions')
        .innerJoin('agencies', 'agencies.id', 'submissions.agency_id')
        .select('submissions.reference')
        .where('agencies.code', '=', code)
        .where('submissions.status', '=', 'active')
        .executeTakeFirstOrThrow()
    ).reference;

  it('xlsx: the three sub-columns under one merged header hold what the form separated, with the reference', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'r.xlsx'));
    const ws = wb.getWorksheet('Sáng kiến');
    if (!ws) throw new Error('no sheet Sáng kiến');
    let top = 0;
    ws.eachRow((row, n) => {
      if (!top && row.getCell(1).value === 'STT') top = n;
    });
    const width = ws.columnCount;
    const upper = [...Array(width).keys()].map((i) => text(ws.getRow(top).getCell(i + 1).value));
    const lower = [...Array(width).keys()].map((i) => text(ws.getRow(top + 1).getCell(i + 1).value));
    const p = lower.indexOf('Sản phẩm');
    expect(lower.slice(p, p + 3)).toEqual(['Sản phẩm', 'Đối tượng thụ hưởng', 'Lợi ích thu được']);
    expect(upper.slice(p, p + 3)).toEqual(Array(3).fill('Dự kiến kết quả đạt được'));
    expect(ws.getRow(top).getCell(p + 3).master.address).toBe(ws.getRow(top).getCell(p + 1).address);
    expect(upper).toEqual(expect.arrayContaining(['Số tiếp nhận', 'Ngày nhận', 'Thời hạn gửi']));
    const ref = upper.indexOf('Số tiếp nhận');

    const rows: string[][] = [];
    ws.eachRow((row) => {
      if (typeof row.getCell(1).value === 'number')
        rows.push([...Array(width).keys()].map((i) => text(row.getCell(i + 1).value)));
    });
    const thanhTri = rows.filter((r) => r[1] === 'UBND huyện Thanh Trì');
    expect(thanhTri.map((r) => r.slice(p, p + 3)).sort()).toEqual(
      THANH_TRI.initiatives.map((i) => [i.products, i.beneficiaries, i.benefits]).sort(),
    );
    expect(new Set(thanhTri.map((r) => r[ref]))).toEqual(new Set([await referenceOf('huyen-thanh-tri')]));
    expect(thanhTri.every((r) => /^\d{2}\/\d{2}\/\d{4}$/.test(r[ref + 1] ?? ''))).toBe(true);

    // Every agency with a quota and nothing registered is listed, and only those.
    const missing: string[] = [];
    wb.getWorksheet('Chưa đăng ký')?.eachRow((row) => {
      if (typeof row.getCell(1).value === 'number') missing.push(text(row.getCell(2).value));
    });
    expect(missing).toContain('Sở Y tế');
    expect(missing).not.toContain('Sở Tư pháp');
    expect(missing).not.toContain('UBND huyện Thanh Trì');
    const agencies = await db().selectFrom('agencies').select('name').where('active', '=', true).execute();
    expect(missing).toHaveLength(agencies.length - 2);
  });

  it('docx: a table issued by the Sở (REPORT_ISSUER), under the Quốc hiệu', async () => {
    const raw = (await mammoth.extractRawText({ path: join(dir, 'r.docx') })).value;
    for (const line of [
      'UBND THÀNH PHỐ HÀ NỘI',
      'SỞ NỘI VỤ',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'BẢNG TỔNG HỢP',
      'Lợi ích thu được',
      ...THANH_TRI.initiatives.map((i) => i.title),
    ])
      expect(raw).toContain(line);
    expect(raw).toMatch(/Hà Nội, ngày \d{2} tháng \d{1,2} năm \d{4}/);
  });

  it('csv: the same columns with flat headers, parsed back to one record per initiative', async () => {
    const [header, ...rows] = parse(readFileSync(join(dir, 'r.csv'), 'utf8'), { bom: true }) as string[][];
    expect(header?.slice(5, 8)).toEqual([
      'Dự kiến kết quả - Sản phẩm',
      'Dự kiến kết quả - Đối tượng thụ hưởng',
      'Dự kiến kết quả - Lợi ích thu được',
    ]);
    const ref = header?.indexOf('Số tiếp nhận') ?? -1;
    expect(rows.find((r) => r[1] === 'Sở Tư pháp')?.[ref]).toBe(await referenceOf('so-tu-phap'));
    expect(rows).toHaveLength(1 + THANH_TRI.initiatives.length);
  });
});
