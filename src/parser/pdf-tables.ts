import type { Cell, Table } from './blocks.js';

/** A run of text on one baseline of a PDF page, with its box in page units (y grows upwards). */
export interface PdfPiece {
  x: number;
  y: number;
  w: number;
  h: number;
  text: string;
  page: number;
}

/** A table found on a page: where its lines are (to take them out of the running text), and its rows. */
export interface PdfTableRegion {
  page: number;
  top: number;
  bottom: number;
  /** Left edge of each column. */
  columns: number[];
  /** Per row, per column, the pieces of that cell top to bottom. */
  rows: PdfPiece[][][];
  /** Rightmost text of each column: a line that reaches it was wrapped by width, maybe inside a word. */
  rights: number[];
}

interface PdfLine {
  y: number;
  pieces: PdfPiece[];
}

const Y_TOLERANCE = 2;

/** The smallest of many numbers (a page may hold tens of thousands: too many to spread into Math.min). */
export const least = (values: number[]): number =>
  values.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);

function linesOf(pieces: PdfPiece[]): PdfLine[] {
  const lines: PdfLine[] = [];
  for (const piece of [...pieces].sort((a, b) => b.y - a.y || a.x - b.x)) {
    const last = lines[lines.length - 1];
    if (last && Math.abs(last.y - piece.y) <= Y_TOLERANCE) last.pieces.push(piece);
    else lines.push({ y: piece.y, pieces: [piece] });
  }
  for (const line of lines) line.pieces.sort((a, b) => a.x - b.x);
  return lines;
}

/**
 * The distance between two lines of one cell or paragraph: the usual step down between pieces that start at the
 * same x (text wrapped in one column), whatever lines of other columns fall between them.
 */
export function linePitch(pieces: PdfPiece[]): number {
  const byX = new Map<string, number[]>();
  for (const p of pieces) {
    const key = `${p.page}:${Math.round(p.x)}`;
    const ys = byX.get(key);
    if (ys) ys.push(p.y);
    else byX.set(key, [p.y]);
  }
  const steps: number[] = [];
  for (const ys of byX.values()) {
    ys.sort((a, b) => b - a);
    for (let i = 1; i < ys.length; i++) {
      const step = (ys[i - 1] ?? 0) - (ys[i] ?? 0);
      if (step > 1) steps.push(step);
    }
  }
  steps.sort((a, b) => a - b);
  return steps[Math.floor(steps.length / 2)] ?? 14;
}

/**
 * The columns of a table: found in its rows below the first, since a header cell may span several columns (and
 * would bridge the gap between them); a header cell over a column the rows leave empty adds that column.
 */
function bandsOf(rows: PdfLine[][]): { columns: number[]; rights: number[] } {
  const body = (rows.length >= 2 ? rows.slice(1) : rows).flat().flatMap((l) => l.pieces);
  const head = rows.length >= 2 ? (rows[0] ?? []).flatMap((l) => l.pieces) : [];
  const found = columnsOf(body);
  const outside = head.filter(
    (p) => !found.columns.some((c, n) => p.x >= c - 2 && p.x <= (found.rights[n] ?? c) + 2),
  );
  const extra = columnsOf(outside);
  const all = [...found.columns.map((c, n) => [c, found.rights[n] ?? c] as const)]
    .concat(extra.columns.map((c, n) => [c, extra.rights[n] ?? c] as const))
    .sort((a, b) => a[0] - b[0]);
  return { columns: all.map((b) => b[0]), rights: all.map((b) => b[1]) };
}

/** The same columns: as many, each overlapping the other's. */
const sameColumns = (
  a: { columns: number[]; rights: number[] },
  b: { columns: number[]; rights: number[] },
) =>
  a.columns.length === b.columns.length &&
  a.columns.every((c, n) => c <= (b.rights[n] ?? 0) && (a.rights[n] ?? 0) >= (b.columns[n] ?? 0));

/** Column bands: the stretches of x that some piece covers, split where no piece of the region crosses. */
function columnsOf(pieces: PdfPiece[]): { columns: number[]; rights: number[] } {
  const spans = pieces.map((p) => [p.x, p.x + p.w] as const).sort((a, b) => a[0] - b[0]);
  const columns: number[] = [];
  const rights: number[] = [];
  for (const [from, to] of spans) {
    const last = rights.length - 1;
    if (last >= 0 && from < (rights[last] ?? 0) + 2) rights[last] = Math.max(rights[last] ?? 0, to);
    else {
      columns.push(from);
      rights.push(to);
    }
  }
  return { columns, rights };
}

/** The column a piece is in: the band it overlaps most, or failing any, the nearest. */
const columnOf = (columns: number[], rights: number[], piece: PdfPiece): number => {
  let best = 0;
  let score = Number.NEGATIVE_INFINITY;
  for (let n = 0; n < columns.length; n++) {
    const overlap = Math.min(piece.x + piece.w, rights[n] ?? 0) - Math.max(piece.x, columns[n] ?? 0);
    if (overlap > score) {
      score = overlap;
      best = n;
    }
  }
  return best;
};

/**
 * The tables on one page, found by their shape: a table is a run of lines at most a little more than one line
 * apart of which some hold three or more separate pieces side by side (a form's header and signature blocks hold
 * two), together with the wrapped lines of its cells above and below. Rows split where the step between lines
 * is larger than a cell's own line spacing (the cell's padding and border).
 */
export function findTables(
  pieces: PdfPiece[],
  pitch: number,
  continues: PdfTableRegion | null,
): PdfTableRegion[] {
  const lines = linesOf(pieces);
  const wide = (l: PdfLine) => l.pieces.length >= 2;
  const regions: PdfTableRegion[] = [];
  let i = 0;
  // A table broken by the page end goes on at the top of this page, in the previous page's columns.
  const continuing =
    continues &&
    lines.length > 0 &&
    (lines[0]?.pieces ?? []).every((p) =>
      continues.columns.some((c, n) => p.x >= c - 2 && p.x + p.w <= (continues.rights[n] ?? c) + 2),
    );
  while (i < lines.length) {
    if (!wide(lines[i] as PdfLine) && !(continuing && i === 0)) {
      i++;
      continue;
    }
    let first = i;
    let last = i;
    // The lines at most a little more than a line apart around it: the cells' wrapped and centred lines.
    while (first > 0 && (lines[first - 1]?.y ?? 0) - (lines[first]?.y ?? 0) <= pitch * 1.6) first--;
    while (last + 1 < lines.length && (lines[last]?.y ?? 0) - (lines[last + 1]?.y ?? 0) <= pitch * 1.6)
      last++;
    // A line of running text just above or below (a heading, a date) is not the table's: it reaches outside the
    // columns of the table's lines, or starts left of them at the page's margin.
    const seeds = lines.slice(first, last + 1).filter(wide);
    const carried = continuing && first === 0 && continues;
    const from = carried ? least(continues.columns) : least(seeds.flatMap((l) => l.pieces.map((p) => p.x)));
    const to = carried
      ? -least(continues.rights.map((r) => -r))
      : -least(seeds.flatMap((l) => l.pieces.map((p) => -(p.x + p.w))));
    const inside = (l: PdfLine) => wide(l) || l.pieces.every((p) => p.x >= from - 1 && p.x + p.w <= to + 1);
    while (first < i && !inside(lines[first] as PdfLine)) first++;
    while (last > i && !inside(lines[last] as PdfLine)) last--;
    const region = lines.slice(first, last + 1);
    // Rows: a step down larger than a cell's own line spacing is the cells' padding and border between two rows.
    const lineRows: PdfLine[][] = [];
    let previous: PdfLine | null = null;
    for (const line of region) {
      if (!previous || previous.y - line.y > pitch * 1.12) lineRows.push([]);
      lineRows[lineRows.length - 1]?.push(line);
      previous = line;
    }
    let bands = carried ? continues : bandsOf(lineRows);
    // The rest of the previous page's table, its first row a new one: the same columns go on.
    if (!carried && first === 0 && continues && sameColumns(bands, continues)) bands = continues;
    // Text side by side that no gap runs down through is a line with a tab in it, not a table.
    if (region.some(wide) || carried) {
      if (bands.columns.length < 2) {
        i = last + 1;
        continue;
      }
      const { columns, rights } = bands;
      const rows = lineRows.map((ls) => {
        const row: PdfPiece[][] = columns.map(() => []);
        for (const line of ls)
          for (const piece of line.pieces) row[columnOf(columns, rights, piece)]?.push(piece);
        return row;
      });
      regions.push({
        page: region[0]?.pieces[0]?.page ?? 0,
        top: region[0]?.y ?? 0,
        bottom: region[region.length - 1]?.y ?? 0,
        columns,
        rows,
        rights,
      });
    }
    i = last + 1;
  }
  return regions;
}

/**
 * A cell's text as one line per paragraph: the lines the PDF wrapped are joined again with a space, or with
 * nothing where a single word filled the column and went on below (a word too long for a narrow column is
 * broken inside it); a numbered or bulleted line starts a line of its own.
 */
function cellLines(pieces: PdfPiece[], right: number, clean: (s: string) => string): string[] {
  const out: string[] = [];
  let prev: PdfPiece | null = null;
  for (const piece of pieces) {
    const text = clean(piece.text);
    if (!text) continue;
    const last = out.length - 1;
    // Wrapped by width: it starts where the line before started, and its first word would not have fitted after it.
    const firstWord = text.split(' ')[0] ?? '';
    const wordWidth = (piece.w * firstWord.length) / Math.max(1, text.length);
    const wrapped =
      prev !== null &&
      Math.abs(piece.x - prev.x) <= 1.5 &&
      prev.x + prev.w + wordWidth >= right - piece.h &&
      !/^(\d{1,2}|[IVX]{1,4}|[a-z])[.)/]\s/.test(text) &&
      !/^[-+•]\s/.test(text);
    if (!prev || last < 0 || !wrapped) {
      out.push(text);
    } else {
      out[last] = `${out[last]} ${text}`;
    }
    prev = piece;
  }
  return out;
}

/**
 * The table blocks of a document's regions, in order: a region that goes on over a page break, in as many columns,
 * is one table, and its first row there, when it has nothing in the first column, is the rest of the row before.
 */
export function tableOf(regions: PdfTableRegion[], clean: (s: string) => string): Table {
  let id = 0;
  const rows: Cell[][] = [];
  let joined: PdfPiece[][][] = [];
  const rights = regions[0]?.rights ?? [];
  for (const [n, region] of regions.entries()) {
    for (const [r, row] of region.rows.entries()) {
      const previous = joined[joined.length - 1];
      if (n > 0 && r === 0 && previous && (row[0]?.length ?? 0) === 0) {
        for (const [c, cell] of row.entries()) previous[c]?.push(...cell);
      } else joined.push(row.map((cell) => [...cell]));
    }
  }
  for (const row of joined) {
    rows.push(
      row.map((cell, c) => ({ lines: cellLines(cell, rights[c] ?? 0, clean), merged: false, id: id++ })),
    );
  }
  joined = [];
  return { type: 'table', rows };
}
