import ExcelJS from 'exceljs';
import { AGENCY_KIND_LABEL } from '../domain/labels.js';
import { type ConsolidatedReport, rowCells } from './consolidated-report.js';

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } };
const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};

export const INITIATIVE_COLUMNS = [
  { header: 'STT', width: 6 },
  { header: 'Cơ quan, đơn vị', width: 24 },
  { header: 'Tên sáng kiến, giải pháp, ý tưởng mới', width: 36 },
  { header: 'Mô tả tóm tắt nội dung', width: 44 },
  { header: 'Sự cần thiết áp dụng', width: 36 },
  { header: 'Dự kiến kết quả đạt được', width: 36 },
  { header: 'Thời gian thực hiện', width: 18 },
  { header: 'Đơn vị chủ trì', width: 22 },
  { header: 'Ghi chú', width: 18 },
  { header: 'Đúng hạn/Muộn', width: 12 },
] as const;

function titleRows(ws: ExcelJS.Worksheet, report: ConsolidatedReport, title: string, width: number) {
  ws.addRow([title]);
  ws.mergeCells(1, 1, 1, width);
  ws.getRow(1).font = { bold: true, size: 14 };
  ws.getRow(1).alignment = { horizontal: 'center', wrapText: true };
  ws.getRow(1).height = 36;
  ws.addRow([`${report.campaignName} — lập ngày ${report.generatedOn}`]);
  ws.mergeCells(2, 1, 2, width);
  ws.getRow(2).font = { italic: true };
  ws.getRow(2).alignment = { horizontal: 'center' };
  ws.addRow([]);
}

function headerRow(ws: ExcelJS.Worksheet, headers: readonly string[]) {
  const row = ws.addRow([...headers]);
  row.font = { bold: true };
  row.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  row.eachCell((c) => {
    c.fill = HEADER_FILL;
    c.border = THIN;
  });
  return row.number;
}

/** The report as an Excel workbook: the initiatives, a summary per agency, and the results when due. */
export async function renderXlsx(report: ConsolidatedReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'reform-inbox';
  wb.created = new Date();

  const ws = wb.addWorksheet('Sáng kiến', {
    pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  const columns = [
    ...INITIATIVE_COLUMNS,
    ...(report.withResults
      ? [
          { header: 'Kết quả thực hiện', width: 18 },
          { header: 'Hiệu quả đạt được', width: 36 },
        ]
      : []),
  ];
  ws.columns = columns.map((c) => ({ width: c.width }));
  titleRows(ws, report, report.title, columns.length);
  const header = headerRow(
    ws,
    columns.map((c) => c.header),
  );
  ws.views = [{ state: 'frozen', ySplit: header }];
  let kind: string | null = null;
  for (const r of report.rows) {
    if (r.agencyKind !== kind) {
      kind = r.agencyKind;
      const group = ws.addRow([AGENCY_KIND_LABEL[r.agencyKind]]);
      ws.mergeCells(group.number, 1, group.number, columns.length);
      group.font = { bold: true };
    }
    const row = ws.addRow(rowCells(r));
    row.alignment = { vertical: 'top', wrapText: true };
    row.eachCell({ includeEmpty: true }, (c) => {
      c.border = THIN;
    });
  }

  const summary = wb.addWorksheet('Tổng hợp');
  summary.columns = [
    { width: 6 },
    { width: 44 },
    { width: 26 },
    { width: 12 },
    { width: 12 },
    { width: 12 },
    { width: 12 },
  ];
  titleRows(summary, report, `TÌNH HÌNH ĐĂNG KÝ THEO CƠ QUAN, ĐƠN VỊ NĂM ${report.year}`, 7);
  headerRow(summary, ['STT', 'Cơ quan, đơn vị', 'Loại', 'Số tối thiểu', 'Đã đăng ký', 'Đã báo cáo', 'Đạt']);
  report.summary.forEach((s, i) => {
    const row = summary.addRow([
      i + 1,
      s.agency,
      AGENCY_KIND_LABEL[s.kind],
      s.quota,
      s.registered,
      s.reported,
      s.met ? 'Đạt' : 'Chưa đạt',
    ]);
    row.eachCell((c) => {
      c.border = THIN;
    });
    if (!s.met) row.getCell(7).font = { color: { argb: 'FFB91C1C' }, bold: true };
  });
  const met = report.summary.filter((s) => s.met).length;
  summary.addRow([]);
  summary.addRow([
    '',
    `Đạt: ${met}/${report.summary.length} cơ quan, đơn vị; tổng số sáng kiến: ${report.rows.length}`,
  ]).font = { bold: true };

  return Buffer.from(await wb.xlsx.writeBuffer());
}
