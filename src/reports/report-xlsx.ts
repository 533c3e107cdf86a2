import ExcelJS from 'exceljs';
import { AGENCY_KIND_LABEL, WORD } from '../domain/labels.js';
import type { AssessmentTable } from './assessment-table.js';
import { addAssessmentSheet } from './assessment-xlsx.js';
import {
  type ConsolidatedReport,
  EXPECTED_FIRST_COLUMN,
  EXPECTED_PART_COUNT,
  reportColumns,
  rowCells,
} from './consolidated-report.js';

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } };
const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};
const LANDSCAPE: Partial<ExcelJS.PageSetup> = {
  orientation: 'landscape',
  paperSize: 9, // A4
  fitToPage: true,
  fitToWidth: 1,
  fitToHeight: 0,
};

function titleRows(ws: ExcelJS.Worksheet, report: ConsolidatedReport, title: string, width: number) {
  ws.addRow([title]);
  ws.mergeCells(1, 1, 1, width);
  ws.getRow(1).font = { bold: true, size: 14 };
  ws.getRow(1).alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  ws.getRow(1).height = 36;
  const by = report.issuer ? `${report.issuer} — ` : '';
  ws.addRow([`${by}${report.campaignName} — lập ngày ${report.generatedOn}`]);
  ws.mergeCells(2, 1, 2, width);
  ws.getRow(2).font = { italic: true };
  ws.getRow(2).alignment = { horizontal: 'center' };
  ws.addRow([]);
}

function styleHeader(row: ExcelJS.Row, width: number) {
  row.font = { bold: true };
  row.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  for (let c = 1; c <= width; c++) {
    const cell = row.getCell(c);
    cell.fill = HEADER_FILL;
    cell.border = THIN;
  }
}

function headerRow(ws: ExcelJS.Worksheet, headers: readonly string[]) {
  const row = ws.addRow([...headers]);
  styleHeader(row, headers.length);
  return row.number;
}

/**
 * The form's two header rows: a column without sub-columns spans both, "Dự kiến kết quả đạt được" spans its
 * three sub-columns; then the numbering row (1), (2), … as the form has it. Returns the last header row.
 */
function formHeader(ws: ExcelJS.Worksheet, columns: readonly { header: string; group?: string }[]): number {
  const top = ws.addRow(columns.map((c) => c.group ?? c.header));
  const sub = ws.addRow(columns.map((c) => (c.group ? c.header : '')));
  styleHeader(top, columns.length);
  styleHeader(sub, columns.length);
  let c = 0;
  while (c < columns.length) {
    const group = columns[c]?.group;
    if (group) {
      let end = c;
      while (columns[end + 1]?.group === group) end++;
      ws.mergeCells(top.number, c + 1, top.number, end + 1);
      c = end + 1;
    } else {
      ws.mergeCells(top.number, c + 1, sub.number, c + 1);
      c++;
    }
  }
  top.height = 30;
  sub.height = 30;
  const numbers = ws.addRow(columns.map((_, i) => `(${i + 1})`));
  numbers.font = { italic: true };
  numbers.alignment = { horizontal: 'center' };
  numbers.eachCell((cell) => {
    cell.border = THIN;
  });
  return numbers.number;
}

/**
 * The report as an Excel workbook: the initiatives in the form's columns, a summary per agency, and the agencies
 * that have not registered yet.
 */
export async function renderXlsx(report: ConsolidatedReport, assessment?: AssessmentTable): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'reform-inbox';
  wb.created = new Date();

  const ws = wb.addWorksheet('Sáng kiến', { pageSetup: LANDSCAPE });
  const columns = reportColumns(report);
  ws.columns = columns.map((c) => ({ width: c.width }));
  titleRows(ws, report, report.title, columns.length);
  const firstHeader = ws.rowCount + 1;
  const header = formHeader(ws, columns);
  ws.views = [{ state: 'frozen', ySplit: header }];
  ws.pageSetup.printTitlesRow = `${firstHeader}:${header}`;
  let kind: string | null = null;
  for (const r of report.rows) {
    if (r.agencyKind !== kind) {
      kind = r.agencyKind;
      const group = ws.addRow([AGENCY_KIND_LABEL[r.agencyKind]]);
      ws.mergeCells(group.number, 1, group.number, columns.length);
      group.font = { bold: true };
      group.getCell(1).border = THIN;
    }
    const row = ws.addRow(rowCells(r));
    row.alignment = { vertical: 'top', wrapText: true };
    for (let c = 1; c <= columns.length; c++) row.getCell(c).border = THIN;
    // A form with one "Dự kiến kết quả" cell: its text spans the three sub-columns, as it was written.
    if (!r.expectedSplit)
      ws.mergeCells(
        row.number,
        EXPECTED_FIRST_COLUMN,
        row.number,
        EXPECTED_FIRST_COLUMN + EXPECTED_PART_COUNT - 1,
      );
  }

  const summary = wb.addWorksheet('Tổng hợp', { pageSetup: LANDSCAPE });
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
  headerRow(summary, [
    'STT',
    WORD.agency,
    WORD.agencyKind,
    WORD.quota,
    WORD.registered,
    WORD.reported,
    WORD.met,
  ]);
  report.summary.forEach((s, i) => {
    const row = summary.addRow([
      i + 1,
      s.agency,
      AGENCY_KIND_LABEL[s.kind],
      s.quota,
      s.registered,
      s.reported,
      s.quota === 0 ? WORD.exempt : s.met ? WORD.met : WORD.notMet,
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

  const missing = report.notRegistered ?? [];
  const absent = wb.addWorksheet('Chưa đăng ký', { pageSetup: LANDSCAPE });
  absent.columns = [{ width: 6 }, { width: 44 }, { width: 26 }, { width: 14 }];
  titleRows(absent, report, `CÁC CƠ QUAN, ĐƠN VỊ CHƯA ĐĂNG KÝ SÁNG KIẾN NĂM ${report.year}`, 4);
  headerRow(absent, ['STT', WORD.agency, WORD.agencyKind, WORD.quota]);
  missing.forEach((a, i) => {
    const row = absent.addRow([i + 1, a.agency, AGENCY_KIND_LABEL[a.kind], a.quota]);
    row.eachCell((c) => {
      c.border = THIN;
    });
  });
  absent.addRow([]);
  absent.addRow([
    '',
    missing.length
      ? `Tổng số: ${missing.length} cơ quan, đơn vị chưa đăng ký`
      : 'Tất cả cơ quan, đơn vị đã đăng ký',
  ]).font = { bold: true };

  if (assessment) addAssessmentSheet(wb, assessment);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
