import { type Block, cleanLine } from './blocks.js';
import type { SourceRef } from './document-text.js';

// The document as it was sent, for a person to read beside what was understood of it: built in the parse pool
// from the same reading (never by opening the file again elsewhere) and stored with it. Only text, numbers and
// image bytes of our own encoding come out — no markup of the sender's — so a page shows it escaped.

/** A paragraph or a table, each with the anchor a field's source points to. */
type RenderedBlock =
  | { type: 'p'; id: string; lines: string[] }
  | { type: 'table'; id: string; rows: RenderedCell[][] };

/** A table cell drawn once, over the rows and columns it covers. */
interface RenderedCell {
  id: string;
  lines: string[];
  colspan: number;
  rowspan: number;
}

/** A PDF page's text where it stands (PDF units, origin at the top left), for a page drawn as the printout. */
export interface RenderedPage {
  width: number;
  height: number;
  texts: { x: number; y: number; w: number; size: number; text: string }[];
}

export type Rendering =
  /** A Word, OpenDocument, RTF, spreadsheet or legacy .doc file: its paragraphs and tables. */
  | { kind: 'blocks'; blocks: RenderedBlock[]; truncated: boolean; sources: Sources }
  /** A PDF with a text layer, page by page. */
  | { kind: 'pdf'; pages: RenderedPage[]; truncated: boolean; sources: Sources }
  /** A scan (a PDF without text, a photo): page images, kept apart from this description. */
  | { kind: 'images'; pages: { width: number; height: number }[]; truncated: boolean; pageCount: number }
  /** Nothing to show, and why. */
  | { kind: 'none'; why: NoRenderingReason };

export type NoRenderingReason = 'empty' | 'image_format' | 'image_too_large' | 'not_drawable';

/** Where each field's text came from ("initiatives[0].title"), as anchors of the rendering. */
type Sources = Record<string, string[]>;

/** A page image of a scan, encoded here (JPEG): the sender's own image bytes are never served. */
export interface PageImage {
  page: number;
  width: number;
  height: number;
  mime: 'image/jpeg';
  bytes: Uint8Array;
}

/** A rendering and the page images that go with it (only for scans). */
export interface RenderedDocument {
  rendering: Rendering;
  images: PageImage[];
}

// Enough for any form; a document past it is shown in part, and says so.
const MAX_BLOCKS = 3000;
const MAX_CHARS = 600_000;
const MAX_PDF_PAGES = 60;
const MAX_TEXTS_PER_PAGE = 4000;

/** The anchor of a place of the document, as `SourceRef` names it. */
function anchorOf(ref: SourceRef): string {
  return ref.row === undefined ? `b${ref.block}` : `b${ref.block}-r${ref.row}-c${ref.col ?? 0}`;
}

/** Paragraphs and tables, each merged cell drawn once with its spans. */
export function renderBlocks(
  blocks: readonly Block[],
  sources: readonly { path: string; refs: readonly SourceRef[] }[],
): Rendering {
  const out: RenderedBlock[] = [];
  let chars = 0;
  let truncated = false;
  for (const [b, block] of blocks.entries()) {
    if (out.length >= MAX_BLOCKS || chars > MAX_CHARS) {
      truncated = true;
      break;
    }
    if (block.type === 'paragraph') {
      if (block.lines.length === 0) continue;
      chars += block.lines.reduce((n, l) => n + l.length, 0);
      out.push({ type: 'p', id: `b${b}`, lines: block.lines });
      continue;
    }
    const rows = tableCells(block.rows, b);
    chars += rows.flat().reduce((n, c) => n + c.lines.reduce((m, l) => m + l.length, 0), 0);
    out.push({ type: 'table', id: `b${b}`, rows });
  }
  return { kind: 'blocks', blocks: out, truncated, sources: sourceAnchors(sources, anchorOf) };
}

type Grid = readonly (readonly { id: number; merged: boolean; lines: string[] }[])[];

/**
 * A table's grid (merged cells repeated in every position they cover) back to its cells: each drawn where it
 * starts, spanning the columns and rows its copies fill. A merge that is not a rectangle spans its first row only.
 */
function tableCells(grid: Grid, block: number): RenderedCell[][] {
  const start = new Map<number, { row: number; col: number }>();
  const extent = new Map<number, { rows: number[]; cols: Map<number, number> }>();
  grid.forEach((row, r) => {
    row.forEach((cell, c) => {
      if (!start.has(cell.id)) start.set(cell.id, { row: r, col: c });
      let e = extent.get(cell.id);
      if (!e) {
        e = { rows: [], cols: new Map<number, number>() };
        extent.set(cell.id, e);
      }
      if (e.rows[e.rows.length - 1] !== r) e.rows.push(r);
      e.cols.set(r, (e.cols.get(r) ?? 0) + 1);
    });
  });
  // Each cell's shape, worked out once (rows come in order): its width where it starts, and whether it is a
  // rectangle — consecutive rows, the same width in each.
  const shape = new Map<number, { width: number; height: number; rectangle: boolean }>();
  for (const [id, e] of extent) {
    const at = start.get(id) ?? { row: 0, col: 0 };
    const width = e.cols.get(at.row) ?? 1;
    const rectangle = e.rows.every((x, i) => x === at.row + i && e.cols.get(x) === width);
    shape.set(id, { width, height: e.rows.length, rectangle });
  }
  return grid.map((row, r) => {
    const cells: RenderedCell[] = [];
    row.forEach((cell, c) => {
      const at = start.get(cell.id);
      const s = shape.get(cell.id);
      if (!at || !s) return;
      if (at.row === r && at.col === c) {
        cells.push({
          id: `b${block}-r${r}-c${c}`,
          lines: cell.lines,
          colspan: s.width,
          rowspan: s.rectangle ? s.height : 1,
        });
      } else if (!s.rectangle && at.row !== r && (c === 0 || row[c - 1]?.id !== cell.id)) {
        // An irregular merge: each further row draws its own empty cell over its positions.
        cells.push({ id: `b${block}-r${r}-c${c}`, lines: [], colspan: countRun(row, c), rowspan: 1 });
      }
    });
    return cells;
  });
}

function countRun(row: readonly { id: number }[], from: number): number {
  let n = 1;
  while (row[from + n]?.id === row[from]?.id) n++;
  return n;
}

/**
 * A PDF's pages with their text where it stands; each field's source is the page its text is on (a PDF's
 * paragraphs and tables are rebuilt from positions, so the page is the place a person looks at).
 */
export function renderPdfPages(
  pages: readonly RenderedPage[],
  blocks: readonly Block[],
  sources: readonly { path: string; refs: readonly SourceRef[] }[],
): Rendering {
  let chars = 0;
  let cut = false;
  const shown = pages
    .slice(0, MAX_PDF_PAGES)
    .flatMap((p) => {
      // The whole drawing is held to the same amount of text as a Word document's: a page past it is left out.
      if (chars > MAX_CHARS) {
        cut = true;
        return [];
      }
      chars += p.texts.reduce((n, t) => n + t.text.length, 0);
      return [p];
    })
    .map((p) => ({
      width: round(p.width),
      height: round(p.height),
      texts: p.texts.slice(0, MAX_TEXTS_PER_PAGE).map((t) => ({
        x: round(t.x),
        y: round(t.y),
        w: round(t.w),
        size: round(t.size),
        text: t.text,
      })),
    }));
  const pageTexts = shown.map((p) => squash(p.texts.map((t) => t.text).join('')));
  const pieceTexts = shown.map((p) => p.texts.map((t) => squash(t.text)));
  // The page a line is on, then the piece of text it starts in: a field links to the very words.
  const placeOf = (ref: SourceRef): string => {
    const line = squash(lineAt(blocks, ref));
    const n = line ? pageTexts.findIndex((t) => t.includes(line.slice(0, 60))) : -1;
    if (n < 0) return 'p1';
    const head = line.slice(0, 16);
    const piece = (pieceTexts[n] ?? []).findIndex(
      (t) => t.length > 0 && (t.includes(head) || (t.length > 3 && line.startsWith(t))),
    );
    return piece >= 0 ? `p${n + 1}-t${piece}` : `p${n + 1}`;
  };
  return {
    kind: 'pdf',
    pages: shown,
    truncated: cut || pages.length > shown.length || pages.some((p) => p.texts.length > MAX_TEXTS_PER_PAGE),
    sources: sourceAnchors(sources, placeOf),
  };
}

const round = (n: number) => Math.round(n * 10) / 10;
// Spaces are where PDF producers differ most: a line is found on its page by its letters alone.
const squash = (s: string) => cleanLine(s).replace(/\s+/gu, '').toLowerCase();

function lineAt(blocks: readonly Block[], ref: SourceRef): string {
  const block = blocks[ref.block];
  if (!block) return '';
  if (block.type === 'paragraph') return block.lines[ref.line] ?? '';
  return block.rows[ref.row ?? 0]?.[ref.col ?? 0]?.lines[ref.line] ?? '';
}

function sourceAnchors(
  sources: readonly { path: string; refs: readonly SourceRef[] }[],
  anchor: (ref: SourceRef) => string,
): Sources {
  const out: Sources = {};
  for (const { path, refs } of sources) {
    const anchors = [...new Set(refs.map(anchor))];
    if (anchors.length) out[path] = anchors;
  }
  return out;
}
