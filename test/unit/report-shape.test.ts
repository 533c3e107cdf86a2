import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import mammoth from 'mammoth';
import { describe, expect, it } from 'vitest';
import { campaignStandingOf } from '../../src/domain/standing.js';
import {
  assembleConsolidatedReport,
  officialDateLine,
  type ReportInitiative,
  type ReportSource,
} from '../../src/reports/consolidated-report.js';
import { renderCsv } from '../../src/reports/report-csv.js';
import { renderDocx } from '../../src/reports/report-docx.js';
import { renderXlsx } from '../../src/reports/report-xlsx.js';

const campaign = {
  name: 'Sáng kiến CCHC năm 2021',
  year: 2021,
  registration_deadline: '2021-07-31',
  results_deadline: '2021-11-30',
  time_zone: 'Asia/Ho_Chi_Minh',
};

// Thanh Trì sent its expected results in the form's three sub-columns; Sở Tư pháp in one cell.
const thanhTri: ReportInitiative = {
  id: 'i-thanh-tri',
  agency_name: 'UBND huyện Thanh Trì',
  agency_kind: 'district',
  title: 'Một cửa liên thông điện tử cấp xã',
  summary: 'Kết nối bộ phận một cửa của 16 xã',
  necessity: 'Giảm đi lại của người dân',
  expected_results: 'Phần mềm một cửa\nNgười dân, doanh nghiệp\nGiảm 30% thời gian',
  products: 'Phần mềm một cửa',
  beneficiaries: 'Người dân, doanh nghiệp',
  benefits: 'Giảm 30% thời gian',
  timeline: 'Tháng 8/2021 - tháng 11/2021',
  lead_unit: 'Văn phòng HĐND-UBND huyện',
  notes: '',
  reference: 'CCHC-2021-00003',
  // 23:30 on 26/7 in Hà Nội is 16:30 UTC: the day received is the local one.
  received_at: new Date('2021-07-26T16:30:00Z'),
  late: false,
};
const tuPhap: ReportInitiative = {
  id: 'i-tu-phap',
  agency_name: 'Sở Tư pháp',
  agency_kind: 'department',
  title: 'Số hóa hồ sơ lý lịch tư pháp',
  summary: 'Số hóa toàn bộ hồ sơ',
  necessity: 'Tra cứu nhanh',
  expected_results: 'Cơ sở dữ liệu lý lịch tư pháp dùng chung',
  products: null,
  beneficiaries: null,
  benefits: null,
  timeline: 'Quý III/2021',
  lead_unit: 'Phòng Hành chính tư pháp',
  notes: null,
  reference: 'CCHC-2021-00008',
  received_at: new Date('2021-08-03T02:00:00Z'),
  late: true,
};

const counts = [
  { code: 'so-tu-phap', name: 'Sở Tư pháp', kind: 'department' as const, registered: 1, reported: 0 },
  { code: 'so-y-te', name: 'Sở Y tế', kind: 'department' as const, registered: 0, reported: 0 },
  {
    code: 'huyen-thanh-tri',
    name: 'UBND huyện Thanh Trì',
    kind: 'district' as const,
    registered: 1,
    reported: 0,
  },
  {
    code: 'huyen-me-linh',
    name: 'UBND huyện Mê Linh',
    kind: 'district' as const,
    registered: 0,
    reported: 0,
  },
  // Exempt by the campaign file: required nothing, so not listed as missing.
  { code: 'so-ngoai-vu', name: 'Sở Ngoại vụ', kind: 'department' as const, registered: 0, reported: 0 },
].map((c) => ({ ...c, id: c.code, registryQuota: null, lastSubmissionAt: null }));

const source = (over: Partial<ReportSource> = {}): ReportSource => ({
  campaign,
  now: new Date('2021-08-05T03:00:00Z'),
  initiatives: [thanhTri, tuPhap],
  results: new Map(),
  standing: campaignStandingOf(counts, { department: 1, district: 2 }, new Set(['so-ngoai-vu'])),
  issuer: 'UBND Thành phố Hà Nội - Sở Nội vụ',
  ...over,
});

async function sheetCells(bytes: Buffer, name: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}`);
  return ws;
}

const text = (v: ExcelJS.CellValue) => (v === null || v === undefined ? '' : String(v));

describe('the consolidated report in the form’s shape', () => {
  it('xlsx: the form’s header with "Dự kiến kết quả đạt được" merged over its three sub-columns, then Số tiếp nhận, Ngày nhận, Thời hạn gửi', async () => {
    const report = assembleConsolidatedReport(source());
    const ws = await sheetCells(await renderXlsx(report), 'Sáng kiến');
    let top = 0;
    ws.eachRow((row, n) => {
      if (!top && row.getCell(1).value === 'STT') top = n;
    });
    expect(top).toBeGreaterThan(0);
    const upper = ws.getRow(top);
    const lower = ws.getRow(top + 1);
    const product = [...Array(ws.columnCount).keys()]
      .map((i) => i + 1)
      .find((c) => lower.getCell(c).value === 'Sản phẩm');
    expect(product).toBeDefined();
    const p = product as number;
    expect([p, p + 1, p + 2].map((c) => text(lower.getCell(c).value))).toEqual([
      'Sản phẩm',
      'Đối tượng thụ hưởng',
      'Lợi ích thu được',
    ]);
    // One merged cell above the three.
    expect(upper.getCell(p).value).toBe('Dự kiến kết quả đạt được');
    expect(upper.getCell(p).isMerged).toBe(true);
    expect(upper.getCell(p + 2).master.address).toBe(upper.getCell(p).address);
    expect(lower.getCell(p).isMerged).toBe(false);
    // The columns without sub-columns span both header rows.
    expect(lower.getCell(1).master.address).toBe(upper.getCell(1).address);
    const headers = [...Array(ws.columnCount).keys()].map((i) => text(upper.getCell(i + 1).value));
    expect(headers).toEqual(
      expect.arrayContaining([
        'Tên sáng kiến, giải pháp, ý tưởng mới',
        'Số tiếp nhận',
        'Ngày nhận',
        'Thời hạn gửi',
      ]),
    );
    expect(headers).not.toContain('Kết quả thực hiện');

    const rows: Record<string, string>[] = [];
    ws.eachRow((row) => {
      if (typeof row.getCell(1).value !== 'number') return;
      const cells: Record<string, string> = {};
      headers.forEach((h, i) => {
        const key = h === 'Dự kiến kết quả đạt được' ? text(lower.getCell(i + 1).value) : h;
        cells[key] = text(row.getCell(i + 1).value);
      });
      rows.push(cells);
    });
    // Departments first.
    expect(rows.map((r) => r['Cơ quan, đơn vị'])).toEqual(['Sở Tư pháp', 'UBND huyện Thanh Trì']);
    expect(rows[1]).toMatchObject({
      'Sản phẩm': 'Phần mềm một cửa',
      'Đối tượng thụ hưởng': 'Người dân, doanh nghiệp',
      'Lợi ích thu được': 'Giảm 30% thời gian',
      'Số tiếp nhận': 'CCHC-2021-00003',
      'Ngày nhận': '26/7/2021',
      'Thời hạn gửi': 'Đúng hạn',
    });
    expect(rows[0]).toMatchObject({
      'Sản phẩm': 'Cơ sở dữ liệu lý lịch tư pháp dùng chung',
      'Số tiếp nhận': 'CCHC-2021-00008',
      'Ngày nhận': '03/8/2021',
      'Thời hạn gửi': 'Gửi sau hạn',
    });
    // A form with one cell: its text spans the three sub-columns.
    let tuPhapRow = 0;
    ws.eachRow((row, n) => {
      if (row.getCell(2).value === 'Sở Tư pháp') tuPhapRow = n;
    });
    expect(ws.getRow(tuPhapRow).getCell(p + 1).master.address).toBe(ws.getRow(tuPhapRow).getCell(p).address);
  });

  it('lists the agencies that have registered nothing, and keeps the summary per agency', async () => {
    const report = assembleConsolidatedReport(source());
    expect(report.notRegistered).toEqual([
      { agency: 'Sở Y tế', kind: 'department', quota: 1 },
      { agency: 'UBND huyện Mê Linh', kind: 'district', quota: 2 },
    ]);
    const bytes = await renderXlsx(report);
    const missing: string[] = [];
    (await sheetCells(bytes, 'Chưa đăng ký')).eachRow((row) => {
      if (typeof row.getCell(1).value === 'number') missing.push(text(row.getCell(2).value));
    });
    expect(missing).toEqual(['Sở Y tế', 'UBND huyện Mê Linh']);
    const summary: string[][] = [];
    (await sheetCells(bytes, 'Tổng hợp')).eachRow((row) => {
      if (typeof row.getCell(1).value === 'number')
        summary.push([2, 4, 5, 7].map((c) => text(row.getCell(c).value)));
    });
    expect(summary).toContainEqual(['UBND huyện Thanh Trì', '2', '1', 'Chưa đạt']);
    expect(summary).toContainEqual(['Sở Tư pháp', '1', '1', 'Đạt']);
  });

  it('docx: issued by the Sở — governing body and Sở, Quốc hiệu, tiêu ngữ, date line, "BẢNG TỔNG HỢP", the columns, the missing agencies', async () => {
    const report = assembleConsolidatedReport(source());
    const docx = await renderDocx(report);
    const raw = (await mammoth.extractRawText({ buffer: docx })).value;
    for (const expected of [
      'UBND THÀNH PHỐ HÀ NỘI',
      'SỞ NỘI VỤ',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'Hà Nội, ngày 05 tháng 8 năm 2021',
      'BẢNG TỔNG HỢP',
      report.subtitle,
      'Dự kiến kết quả đạt được',
      'Đối tượng thụ hưởng',
      'Số tiếp nhận',
      'CCHC-2021-00003',
      'Người dân, doanh nghiệp',
      'CÁC CƠ QUAN, ĐƠN VỊ CHƯA ĐĂNG KÝ',
      'UBND huyện Mê Linh',
    ])
      expect(raw).toContain(expected);
    // Issued by the Sở, not one of its offices, and not an appendix to nothing.
    expect(raw).not.toMatch(/PHÒNG CẢI CÁCH|Phụ lục/);
    // The Quốc hiệu comes before the title, which comes before the table.
    expect(raw.indexOf('CỘNG HÒA')).toBeLessThan(raw.indexOf('BẢNG TỔNG HỢP'));
    expect(raw.indexOf('BẢNG TỔNG HỢP')).toBeLessThan(raw.indexOf('Số tiếp nhận'));
    // The merged header is one cell over three sub-columns, as in the form.
    const html = (await mammoth.convertToHtml({ buffer: docx })).value;
    expect(html).toMatch(/<t[dh] colspan="3"><p><strong>Dự kiến kết quả đạt được<\/strong><\/p><\/t[dh]>/);
  });

  it('shows the results columns as soon as a result is reported, before the results deadline', async () => {
    const before = assembleConsolidatedReport(source());
    expect(before.withResults).toBe(false);
    const report = assembleConsolidatedReport(
      source({ results: new Map([['i-thanh-tri', { status: 'in_progress', outcome: 'Đã chạy thử 5 xã' }]]) }),
    );
    expect(report.withResults).toBe(true);
    expect(report.rows.map((r) => r.result)).toEqual([
      { status: 'Chưa báo cáo', outcome: '' },
      { status: 'Đang triển khai', outcome: 'Đã chạy thử 5 xã' },
    ]);
    const raw = (await mammoth.extractRawText({ buffer: await renderDocx(report) })).value;
    expect(raw).toContain('Hiệu quả đạt được');
    expect(raw).toContain('Đã chạy thử 5 xã');
  });

  it('csv: the same columns on one header line, sub-columns named flat, formula cells neutralised', () => {
    const evil = { ...thanhTri, products: '=HYPERLINK("http://x.example")' };
    const csv = renderCsv(assembleConsolidatedReport(source({ initiatives: [evil, tuPhap] }))).toString(
      'utf8',
    );
    const [header, ...rows] = parse(csv.replace(/^\uFEFF/, '')) as string[][];
    expect(header).toEqual([
      'STT',
      'Cơ quan, đơn vị',
      'Tên sáng kiến, giải pháp, ý tưởng mới',
      'Mô tả tóm tắt nội dung',
      'Sự cần thiết áp dụng',
      'Dự kiến kết quả - Sản phẩm',
      'Dự kiến kết quả - Đối tượng thụ hưởng',
      'Dự kiến kết quả - Lợi ích thu được',
      'Thời gian thực hiện',
      'Đơn vị chủ trì',
      'Ghi chú',
      'Số tiếp nhận',
      'Ngày nhận',
      'Thời hạn gửi',
      'Loại cơ quan, đơn vị',
    ]);
    const byAgency = new Map(rows.map((r) => [r[1], r]));
    expect(byAgency.get('UBND huyện Thanh Trì')?.slice(5, 8)).toEqual([
      '\'=HYPERLINK("http://x.example")',
      'Người dân, doanh nghiệp',
      'Giảm 30% thời gian',
    ]);
    expect(byAgency.get('Sở Tư pháp')?.slice(11, 14)).toEqual([
      'CCHC-2021-00008',
      '03/8/2021',
      'Gửi sau hạn',
    ]);
  });

  it('writes the date line as official documents do: leading zero below ten, and for January and February', () => {
    const zone = 'Asia/Ho_Chi_Minh';
    expect(officialDateLine('Hà Nội', new Date('2021-02-04T03:00:00Z'), zone)).toBe(
      'Hà Nội, ngày 04 tháng 02 năm 2021',
    );
    expect(officialDateLine('Hà Nội', new Date('2021-11-30T18:00:00Z'), zone)).toBe(
      'Hà Nội, ngày 01 tháng 12 năm 2021',
    );
  });
});
