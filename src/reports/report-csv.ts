import { stringify } from 'csv-stringify/sync';
import { AGENCY_KIND_LABEL } from '../domain/labels.js';
import { type ConsolidatedReport, REPORT_COLUMNS, reportColumns, rowCells } from './consolidated-report.js';

/**
 * A cell a spreadsheet program will not run: text that begins with `=`, `+`, `-`, `@`, a tab or a carriage
 * return gets a leading apostrophe (OWASP "CSV injection"), since titles and notes come from senders' forms.
 * Numbers stay numbers.
 */
export function csvSafe(cell: string | number): string | number {
  return typeof cell === 'string' && /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/**
 * The initiatives as CSV (UTF-8 with a BOM, so spreadsheet programs read the Vietnamese correctly): the report's
 * columns on one header line ("Dự kiến kết quả - Sản phẩm" for a sub-column), the agency's kind after them.
 */
export function renderCsv(report: ConsolidatedReport): Buffer {
  const columns = reportColumns(report).map((c) => c.flat ?? c.header);
  const header = [...columns];
  header.splice(REPORT_COLUMNS.length, 0, 'Loại cơ quan');
  const rows = report.rows.map((r) => {
    const cells = rowCells(r);
    cells.splice(REPORT_COLUMNS.length, 0, AGENCY_KIND_LABEL[r.agencyKind]);
    return cells.map(csvSafe);
  });
  return Buffer.from(`\uFEFF${stringify([header, ...rows], { record_delimiter: 'windows' })}`, 'utf8');
}
