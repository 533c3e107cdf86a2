import type ExcelJS from 'exceljs';
import type { AssessmentTable } from './assessment-table.js';

const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};

/** The sheet "Đánh giá": one row per agency of the registry, with what each fact rests on. */
export function addAssessmentSheet(wb: ExcelJS.Workbook, table: AssessmentTable): void {
  const ws = wb.addWorksheet('Đánh giá', {
    pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  const width = table.headers.length;
  ws.columns = table.widths.map((w) => ({ width: w }));
  ws.addRow([table.title]).font = { bold: true, size: 14 };
  ws.mergeCells(1, 1, 1, width);
  ws.getRow(1).alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  ws.getRow(1).height = 36;
  ws.addRow([table.subtitle]).font = { italic: true };
  ws.mergeCells(2, 1, 2, width);
  ws.getRow(2).alignment = { horizontal: 'center' };
  // Row 3: the headers over several columns (the counts of initiatives), each merged over its columns.
  const groups = ws.addRow([]);
  for (const g of table.groups) {
    const c = groups.getCell(g.from + 1);
    c.value = g.label;
    c.font = { bold: true };
    c.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } };
    ws.mergeCells(groups.number, g.from + 1, groups.number, g.from + g.span);
    for (let k = 1; k <= g.span; k++) groups.getCell(g.from + k).border = THIN;
  }
  const header = ws.addRow(table.headers);
  header.font = { bold: true };
  header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  header.eachCell((c) => {
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } };
    c.border = THIN;
  });
  ws.views = [{ state: 'frozen', ySplit: header.number }];
  for (const cells of table.rows) {
    const row = ws.addRow(cells);
    row.alignment = { vertical: 'top', wrapText: true };
    for (let c = 1; c <= width; c++) row.getCell(c).border = THIN;
  }
  if (table.scoringNote) {
    ws.addRow([]);
    ws.addRow(['', table.scoringNote]).font = { italic: true };
  }
}
