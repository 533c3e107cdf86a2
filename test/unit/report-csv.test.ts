import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { ConsolidatedReport, ReportRow } from '../../src/reports/consolidated-report.js';
import { csvSafe, renderCsv } from '../../src/reports/report-csv.js';

const row = (over: Partial<ReportRow['fields']> & { stt?: number }): ReportRow => {
  const { stt = 1, ...fields } = over;
  return {
    stt,
    agency: 'Sở Tư pháp',
    agencyKind: 'department',
    fields: {
      title: 'Số hóa hồ sơ lý lịch tư pháp',
      summary: '',
      necessity: '',
      expected_results: '',
      products: '',
      beneficiaries: '',
      benefits: '',
      timeline: 'Quý III/2021',
      lead_unit: 'Phòng Hành chính tư pháp',
      notes: '',
      ...fields,
    },
    expectedSplit: false,
    result: null,
  };
};

const report = (rows: ReportRow[]): ConsolidatedReport => ({
  title: 'Tổng hợp sáng kiến',
  subtitle: 'Đăng ký sáng kiến',
  campaignName: 'Hà Nội 2021',
  year: 2021,
  generatedOn: '30/11/2021',
  registrationDeadline: '31/07/2021',
  resultsDeadline: '30/11/2021',
  withResults: false,
  rows,
  summary: [],
});

describe('the CSV export', () => {
  it('neutralises cells a spreadsheet would run as formulas (text from senders)', () => {
    const csv = renderCsv(
      report([
        row({
          title: '=HYPERLINK("http://evil.example","Bấm vào đây")',
          summary: "+cmd|' /C calc'!A0",
          necessity: '-2+3',
          expected_results: '@SUM(A1:A9)',
          timeline: '\tQuý IV',
          notes: '\r=1+1',
        }),
        row({ stt: 2, title: 'Cải cách = hiệu quả', notes: 'Giảm 30% thời gian' }),
      ]),
    ).toString('utf8');
    const [, first, second] = parse(csv.replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][];
    expect(first).toEqual(
      expect.arrayContaining([
        '\'=HYPERLINK("http://evil.example","Bấm vào đây")',
        "'+cmd|' /C calc'!A0",
        "'-2+3",
        "'@SUM(A1:A9)",
        'Quý IV',
        "'=1+1",
      ]),
    );
    // Ordinary text, even with a formula sign inside, is left as written.
    expect(second).toEqual(expect.arrayContaining(['Cải cách = hiệu quả', 'Giảm 30% thời gian']));
  });

  it('keeps numbers as numbers', () => {
    expect(csvSafe(-5)).toBe(-5);
    expect(csvSafe('-5')).toBe("'-5");
    expect(csvSafe('Sở Nội vụ')).toBe('Sở Nội vụ');
  });

  it('turns a list dash into an en dash rather than showing an apostrophe', () => {
    expect(csvSafe('- Sản phẩm: phần mềm\n- Lợi ích: nhanh')).toBe('– Sản phẩm: phần mềm\n- Lợi ích: nhanh');
  });

  it('parses back, with a real CSV parser, to one record per initiative, line breaks and all', () => {
    const csv = renderCsv(
      report([
        row({ title: 'Một cửa\nliên thông', summary: 'Dòng 1\r\nDòng 2', notes: 'chỉ xuống dòng\n' }),
        row({ stt: 2, title: 'Số hóa', benefits: 'Giảm "giấy tờ"\rnhanh hơn' }),
        row({ stt: 3, title: 'Zalo OA', lead_unit: 'Văn phòng; Phòng Nội vụ, Tư pháp' }),
      ]),
    ).toString('utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const records = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(3);
    expect(records.map((r) => r['Tên sáng kiến, giải pháp, ý tưởng mới'])).toEqual([
      'Một cửa\nliên thông',
      'Số hóa',
      'Zalo OA',
    ]);
    expect(records[0]?.['Mô tả tóm tắt nội dung']).toBe('Dòng 1\r\nDòng 2');
    expect(records[2]?.['Đơn vị chủ trì']).toBe('Văn phòng; Phòng Nội vụ, Tư pháp');
  });
});
