import { stringify } from 'csv-stringify/sync';
import { AGENCY_KIND_LABEL, WORD } from '../domain/labels.js';
import { type ConsolidatedReport, REPORT_COLUMNS, reportColumns, rowCells } from './consolidated-report.js';

/**
 * A cell a spreadsheet program will not run (OWASP "CSV injection": titles and notes come from senders' forms).
 * Leading tabs, line breaks and spaces go (a spreadsheet ignores them before a formula, a reader never needs
 * them); a list dash ("- Sản phẩm: …", the common case) becomes an en dash, which reads the same and starts no
 * formula; any other start a spreadsheet would evaluate (`=`, `+`, `-`, `@`) keeps the leading apostrophe OWASP
 * prescribes, since no invisible mark is safe in every spreadsheet program. Numbers stay numbers.
 */
export function csvSafe(cell: string | number): string | number {
  if (typeof cell !== 'string') return cell;
  const text = cell.replace(/^[\t\r\n ]+(?=\S)/, '');
  if (/^-\s/.test(text)) return `–${text.slice(1)}`;
  return /^[=+\-@]/.test(text) ? `'${text}` : text;
}

/**
 * The initiatives as CSV (UTF-8 with a BOM, so spreadsheet programs read the Vietnamese correctly; CRLF between
 * records): the report's columns on one header line ("Dự kiến kết quả - Sản phẩm" for a sub-column), the
 * agency's kind after them. Every value holding a line break is quoted, so an initiative is always one record.
 */
export function renderCsv(report: ConsolidatedReport): Buffer {
  const columns = reportColumns(report).map((c) => c.flat ?? c.header);
  const header = [...columns];
  header.splice(REPORT_COLUMNS.length, 0, WORD.agencyKind);
  const rows = report.rows.map((r) => {
    const cells = rowCells(r);
    cells.splice(REPORT_COLUMNS.length, 0, AGENCY_KIND_LABEL[r.agencyKind]);
    return cells.map(csvSafe);
  });
  const csv = stringify([header, ...rows], { record_delimiter: 'windows', quoted_match: /[\r\n"]/ });
  return Buffer.from(`\uFEFF${csv}`, 'utf8');
}
