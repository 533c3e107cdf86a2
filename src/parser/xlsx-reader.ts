import ExcelJS from 'exceljs';
import { type Block, type Cell, cleanLine, type Paragraph, type Table } from './blocks.js';
import { findTitle } from './header.js';
import { decodeLegacy, encodingOfFont, hasUnicodeVietnamese } from './legacy-encoding.js';
import { FormRejected } from './parse-errors.js';

// An Excel workbook (.xlsx) read through exceljs, after the zip guard has checked it. A form made in Excel is
// one sheet laid out like the Word form: the agency and the motto on top, the title, then a table (one row per
// initiative, or labels down a column with their values beside), the signature below. Each visible sheet is cut
// into bands at its empty rows; a band whose rows hold one piece of text each (a title, a date line, a
// heading merged across the sheet) is paragraphs, any other band a table, its leading and trailing one-piece
// rows (a title right above the header row) paragraphs too. Merged ranges become merged cells, as in Word.

/** Most cells with text one workbook may hold (a form has a few hundred). */
const MAX_XLSX_CELLS = 100_000;
/** Widest table read: columns past it (a sheet's far corner) are left out. */
const MAX_XLSX_COLUMNS = 100;

interface Range {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** A sheet's text, by row and column (1-based), and its merged ranges. */
interface SheetText {
  cells: Map<number, Map<number, string[]>>;
  merges: Range[];
}

/** Read every visible sheet of an .xlsx into blocks, in order. */
export async function readXlsx(bytes: Buffer): Promise<{ blocks: Block[]; sheets: number }> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch (err) {
    if (err instanceof FormRejected) throw err;
    throw new FormRejected(
      'corrupt_file',
      `the workbook could not be read: ${(err as Error).message}`,
      {},
      { cause: err },
    );
  }
  const blocks: Block[] = [];
  let total = 0;
  let sheets = 0;
  for (const sheet of workbook.worksheets) {
    if (sheet.state === 'hidden' || sheet.state === 'veryHidden') continue;
    const text = sheetText(sheet);
    total += [...text.cells.values()].reduce((n, row) => n + row.size, 0);
    if (total > MAX_XLSX_CELLS) {
      throw new FormRejected('too_large', `the workbook has over ${MAX_XLSX_CELLS} cells with text`, {
        limit: MAX_XLSX_CELLS,
      });
    }
    const own = sheetBlocks(text);
    if (own.length > 0) sheets++;
    blocks.push(...own);
  }
  return { blocks, sheets };
}

function sheetText(sheet: ExcelJS.Worksheet): SheetText {
  const cells = new Map<number, Map<number, string[]>>();
  sheet.eachRow({ includeEmpty: false }, (row, r) => {
    row.eachCell({ includeEmpty: false }, (cell, c) => {
      // The other cells of a merged range repeat its first cell's value: only the first holds the text.
      if (cell.isMerged && cell.master.address !== cell.address) return;
      const lines = cellLines(cell);
      if (lines.length === 0) return;
      const of = cells.get(r) ?? new Map<number, string[]>();
      cells.set(r, of);
      of.set(c, lines);
    });
  });
  const merges = ((sheet.model as { merges?: string[] }).merges ?? [])
    .map(rangeOf)
    .filter((m): m is Range => m !== null);
  return { cells, merges };
}

const columnNumber = (letters: string) =>
  [...letters.toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);

function rangeOf(ref: string): Range | null {
  const m = /^\$?([A-Z]{1,3})\$?(\d{1,7}):\$?([A-Z]{1,3})\$?(\d{1,7})$/i.exec(ref);
  if (!m) return null;
  const [, l = '', t = '', r = '', b = ''] = m;
  const range = { top: Number(t), left: columnNumber(l), bottom: Number(b), right: columnNumber(r) };
  return range.top <= range.bottom && range.left <= range.right ? range : null;
}

/** A cell's text as lines (a line break typed in the cell starts a new one), legacy fonts decoded. */
function cellLines(cell: ExcelJS.Cell): string[] {
  const text = valueText(cell.value, cell.font?.name ?? null);
  return text
    .split(/\r?\n/)
    .map(cleanLine)
    .filter((l) => l !== '');
}

function decoded(text: string, font: string | null): string {
  const enc = encodingOfFont(font);
  return enc && !hasUnicodeVietnamese(text) ? decodeLegacy(text, enc, font) : text;
}

function valueText(value: ExcelJS.CellValue, font: string | null): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return decoded(value, font);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'x' : '';
  if (value instanceof Date) {
    const two = (n: number) => String(n).padStart(2, '0');
    return `${two(value.getUTCDate())}/${two(value.getUTCMonth() + 1)}/${value.getUTCFullYear()}`;
  }
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) {
      return value.richText.map((run) => decoded(run.text ?? '', run.font?.name ?? font)).join('');
    }
    if ('formula' in value || 'sharedFormula' in value) {
      const result = (value as { result?: unknown }).result;
      return valueText((result ?? null) as ExcelJS.CellValue, font);
    }
    if ('text' in value && typeof value.text === 'string') return decoded(value.text, font);
    if ('text' in value && typeof value.text === 'object')
      return valueText(value.text as ExcelJS.CellValue, font);
  }
  return '';
}

/** The sheet as bands of paragraphs and tables. */
function sheetBlocks({ cells, merges }: SheetText): Block[] {
  if (cells.size === 0) return [];
  const masters = merges.filter((m) => cells.get(m.top)?.has(m.left));
  const rowsWithText = [...cells.keys()];
  const lastRow = Math.max(...rowsWithText);
  const firstCol = Math.min(...[...cells.values()].flatMap((row) => [...row.keys()]));
  const lastCol = Math.min(
    firstCol + MAX_XLSX_COLUMNS - 1,
    Math.max(...[...cells.values()].flatMap((row) => [...row.keys()]), ...masters.map((m) => m.right)),
  );
  // Every grid place a merged range covers (clipped to the text's extent), bounded like the cells themselves.
  const mergeIndex = new Map<string, Range>();
  for (const m of masters) {
    for (let r = m.top; r <= Math.min(m.bottom, lastRow); r++) {
      for (let c = m.left; c <= Math.min(m.right, lastCol); c++) {
        mergeIndex.set(`${r}:${c}`, m);
        if (mergeIndex.size > MAX_XLSX_CELLS * 10) {
          throw new FormRejected('too_large', 'the workbook merges more cells than a form has', {
            limit: MAX_XLSX_CELLS * 10,
          });
        }
      }
    }
  }
  const mergeAt = (r: number, c: number) => mergeIndex.get(`${r}:${c}`);
  const covered = new Set([...mergeIndex.keys()].map((k) => Number(k.split(':')[0])));
  // The pieces of text of a row: each cell with text, a merged range once.
  const pieces = (r: number) => {
    const seen = new Set<string>();
    for (let c = firstCol; c <= lastCol; c++) {
      const m = mergeAt(r, c);
      if (m) seen.add(`${m.top}:${m.left}`);
      else if (cells.get(r)?.has(c)) seen.add(`${r}:${c}`);
    }
    return seen.size;
  };
  // The document's title on a row of its own ends a band even without an empty row around it: the header's
  // rows above it and the table below are not one table.
  const isTitle = (r: number) => {
    if (pieces(r) !== 1) return false;
    const lines = [...(cells.get(r)?.values() ?? [])].flat();
    return findTitle([{ type: 'paragraph', lines }]) !== null;
  };
  const bands: number[][] = [];
  let band: number[] = [];
  const endBand = () => {
    if (band.length > 0) bands.push(band);
    band = [];
  };
  for (let r = Math.min(...rowsWithText); r <= lastRow; r++) {
    if (!(cells.has(r) || covered.has(r))) endBand();
    else if (isTitle(r)) {
      endBand();
      bands.push([r]);
    } else band.push(r);
  }
  endBand();

  const blocks: Block[] = [];
  const paragraph = (r: number): Paragraph => {
    const lines = [...(cells.get(r)?.entries() ?? [])]
      .filter(([c]) => c <= lastCol)
      .sort(([a], [b]) => a - b)
      .flatMap(([, l]) => l);
    return { type: 'paragraph', lines: lines.length > 0 ? lines : [''] };
  };
  for (const rows of bands) {
    let start = 0;
    let end = rows.length;
    while (start < end && pieces(rows[start] as number) <= 1) start++;
    while (end > start && pieces(rows[end - 1] as number) <= 1) end--;
    for (const r of rows.slice(0, start)) blocks.push(paragraph(r));
    if (start < end) blocks.push(tableOf(rows.slice(start, end), cells, mergeAt, lastCol));
    for (const r of rows.slice(end)) if (end > start) blocks.push(paragraph(r));
  }
  return blocks;
}

function tableOf(
  rows: number[],
  cells: SheetText['cells'],
  mergeAt: (r: number, c: number) => Range | undefined,
  lastCol: number,
): Table {
  // The table's columns: from its first to its last column with text (a merged range counted whole).
  let left = Number.POSITIVE_INFINITY;
  let right = 0;
  for (const r of rows) {
    for (const c of cells.get(r)?.keys() ?? []) {
      if (c > lastCol) continue;
      const m = mergeAt(r, c);
      left = Math.min(left, m?.left ?? c);
      right = Math.max(right, Math.min(lastCol, m?.right ?? c));
    }
  }
  const ids = new Map<string, Cell>();
  let nextId = 0;
  const grid = rows.map((r) => {
    const out: Cell[] = [];
    for (let c = left; c <= right; c++) {
      const m = mergeAt(r, c);
      const key = m ? `${m.top}:${m.left}` : `${r}:${c}`;
      const first = ids.get(key);
      if (first) {
        out.push({ ...first, merged: true });
        continue;
      }
      const cell: Cell = {
        lines: cells.get(m?.top ?? r)?.get(m?.left ?? c) ?? [],
        merged: false,
        id: nextId++,
      };
      if (m) ids.set(key, cell);
      out.push(cell);
    }
    return out;
  });
  return { type: 'table', rows: grid };
}
