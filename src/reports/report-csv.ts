import { stringify } from 'csv-stringify/sync';
import { AGENCY_KIND_LABEL } from '../domain/labels.js';
import { type ConsolidatedReport, rowCells } from './consolidated-report.js';
import { INITIATIVE_COLUMNS } from './report-xlsx.js';

/**
 * A cell a spreadsheet program will not run: text that begins with `=`, `+`, `-`, `@`, a tab or a carriage
 * return gets a leading apostrophe (OWASP "CSV injection"), since titles and notes come from senders' forms.
 * Numbers stay numbers.
 */
export function csvSafe(cell: string | number): string | number {
  return typeof cell === 'string' && /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** The initiatives as CSV (UTF-8 with a BOM, so spreadsheet programs read the Vietnamese correctly). */
export function renderCsv(report: ConsolidatedReport): Buffer {
  const header = [
    ...INITIATIVE_COLUMNS.map((c) => c.header),
    'Loại cơ quan',
    ...(report.withResults ? ['Kết quả thực hiện', 'Hiệu quả đạt được'] : []),
  ];
  const rows = report.rows.map((r) => {
    const cells = rowCells(r);
    cells.splice(INITIATIVE_COLUMNS.length, 0, AGENCY_KIND_LABEL[r.agencyKind]);
    return cells.map(csvSafe);
  });
  return Buffer.from(`\uFEFF${stringify([header, ...rows], { record_delimiter: 'windows' })}`, 'utf8');
}
