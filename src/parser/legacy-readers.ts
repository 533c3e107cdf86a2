import WordExtractor from 'word-extractor';
import { type Block, cleanLine } from './blocks.js';
import { readDocStructure } from './doc-reader.js';
import { decodeLegacy, detectLegacyEncoding } from './legacy-encoding.js';
import { validateCompoundFile } from './ole-guard.js';
import { FormRejected } from './parse-errors.js';
import { checkPdfPages, DEFAULT_MAX_PDF_TEXT_ITEMS, guardPdf, type PdfLimits } from './pdf-guard.js';
import { findTables, least, linePitch, type PdfPiece, type PdfTableRegion, tableOf } from './pdf-tables.js';
import type { RenderedPage } from './rendering.js';

const lineOf = (raw: string): string => {
  const line = cleanLine(raw);
  const enc = detectLegacyEncoding(line);
  return enc ? cleanLine(decodeLegacy(line, enc)) : line;
};

/**
 * A legacy binary .doc: its paragraphs and tables read from the file's own structure; where that cannot be
 * read, the text through word-extractor (each table cell then a line of its own, the table's shape lost).
 */
export async function readDoc(bytes: Buffer): Promise<Block[]> {
  // Both readers trust the container's chains and lengths: it is checked whole before either walks it.
  validateCompoundFile(bytes);
  try {
    const blocks = readDocStructure(bytes);
    if (blocks && blocks.length > 0) return blocks;
  } catch (err) {
    if (err instanceof FormRejected) throw err;
  }
  return readDocText(bytes);
}

async function readDocText(bytes: Buffer): Promise<Block[]> {
  let body: string;
  try {
    body = (await new WordExtractor().extract(bytes)).getBody();
  } catch (err) {
    throw new FormRejected(
      'corrupt_file',
      `the document could not be read: ${(err as Error).message}`,
      {},
      { cause: err },
    );
  }
  return body.split('\n').map((p) => ({
    type: 'paragraph',
    lines: p
      .split('\t')
      .map(lineOf)
      .filter((l) => l !== ''),
  }));
}

/** Each page's pieces of text where they stand, measured from the page's top left, for a page drawn as printed. */
function pageTexts(
  pagePieces: PdfPiece[][],
  sizes: { width: number; height: number; left: number; top: number }[],
): RenderedPage[] {
  return sizes.map(({ width, height, left, top }, i) => ({
    width,
    height,
    texts: (pagePieces[i] ?? []).map((piece) => ({
      x: piece.x - left,
      y: top - piece.y,
      w: piece.w,
      size: piece.h || 10,
      text: lineOf(piece.text),
    })),
  }));
}

interface TextItem {
  str: string;
  transform: number[];
  width?: number;
  height?: number;
  hasEOL?: boolean;
}

/**
 * The pieces of text of a page: items on one baseline joined while they touch, split at a wide gap or a wide
 * blank item (what separates the cells of a table row) and at each end of line.
 */
function piecesOf(items: TextItem[], page: number): PdfPiece[] {
  const pieces: PdfPiece[] = [];
  let current: PdfPiece | null = null;
  for (const item of items) {
    if (typeof item.str !== 'string') continue;
    const [, , , , x = 0, y = 0] = item.transform;
    const w = item.width ?? 0;
    const h = item.height ?? 0;
    const blank = item.str.trim() === '';
    if (current) {
      const gap = x - (current.x + current.w);
      const apart = Math.abs(y - current.y) > 1 || gap > current.h / 2 || gap < -current.h;
      if (apart || (blank && w > current.h / 2)) {
        pieces.push(current);
        current = null;
      }
    }
    if (!(blank && !current)) {
      if (!current) {
        if (!blank) current = { x, y, w, h, text: item.str, page };
      } else {
        // Justified text may come as one item a word, the spaces left out as gaps.
        const gap = x - (current.x + current.w);
        const spaced = gap > current.h * 0.15 && !/\s$/.test(current.text) && !/^\s/.test(item.str);
        current.text += spaced ? ` ${item.str}` : item.str;
        current.w = x + w - current.x;
      }
    }
    if (item.hasEOL && current) {
      pieces.push(current);
      current = null;
    }
  }
  if (current) pieces.push(current);
  return pieces.filter((p) => p.text.trim() !== '');
}

/**
 * The text layer of a PDF, as paragraphs: wrapped lines are joined again, and a new paragraph starts at a
 * larger gap between lines, at an indented line, or at a numbered line.
 */
export async function readPdf(
  bytes: Buffer,
  limits: PdfLimits = {},
): Promise<{ blocks: Block[]; hasText: boolean; pages: RenderedPage[] }> {
  await guardPdf(bytes, limits);
  const { getDocumentProxy } = await import('unpdf');
  // Errors only: a damaged PDF is refused or read as far as it goes, not logged line by line.
  const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  try {
    checkPdfPages(pdf.numPages, limits);
  } catch (err) {
    await pdf.destroy();
    throw err;
  }
  const lines: { x: number; y: number; text: string; page: number }[] = [];
  const pagePieces: PdfPiece[][] = [];
  const sizes: { width: number; height: number; left: number; top: number }[] = [];
  const maxItems = limits.maxPdfTextItems ?? DEFAULT_MAX_PDF_TEXT_ITEMS;
  let itemCount = 0;
  for (let p = 1; p <= pdf.numPages; p++) {
    const page = await pdf.getPage(p);
    // Read as a stream and stopped at the limit: a small content stream can ask for millions of pieces of text,
    // which read whole would cost far more memory than the stream itself.
    const items: TextItem[] = [];
    for await (const chunk of page.streamTextContent() as unknown as AsyncIterable<{ items: TextItem[] }>) {
      itemCount += chunk.items.length;
      if (itemCount > maxItems) {
        await pdf.destroy();
        throw new FormRejected('too_large', `the PDF holds over ${maxItems} pieces of text`, {
          limit: maxItems,
        });
      }
      items.push(...chunk.items);
    }
    pagePieces.push(piecesOf(items, p));
    const [x0 = 0, y0 = 0, x1 = 595, y1 = 842] = page.view;
    sizes.push({ width: x1 - x0, height: y1 - y0, left: x0, top: y1 });
    let current: { x: number; y: number; text: string; page: number } | null = null;
    for (const item of items) {
      if (typeof item.str !== 'string') continue;
      const [, , , , x = 0, y = 0] = item.transform;
      if (item.str !== '') {
        if (!current) current = { x, y, text: item.str, page: p };
        else current.text += item.str;
      }
      if (item.hasEOL && current) {
        lines.push(current);
        current = null;
      }
    }
    if (current) lines.push(current);
  }
  await pdf.destroy();
  const hasText = lines.some((l) => l.text.trim() !== '');
  // The usual distance between two lines of one paragraph, and the left margin.
  const gaps = lines
    .slice(1)
    .map((l, i) => (lines[i]?.page === l.page ? (lines[i]?.y ?? 0) - l.y : 0))
    .filter((g) => g > 0);
  const lineGap = gaps.sort((a, b) => a - b)[Math.floor(gaps.length / 4)] ?? 12;
  const margin = Math.min(...lines.map((l) => l.x));
  // Tables, found by the shape of their text; a table the page end breaks goes on at the top of the next page.
  const pitch = linePitch(pagePieces.flat());
  const groups: PdfTableRegion[][] = [];
  let open: PdfTableRegion | null = null;
  for (const pieces of pagePieces) {
    const regions = findTables(pieces, pitch, open);
    const lowest = least(pieces.map((piece) => piece.y));
    regions.forEach((region, n) => {
      const last = groups[groups.length - 1];
      const lastRegion = last?.[last.length - 1];
      if (n === 0 && open && last && lastRegion === open && region.columns === open.columns)
        last.push(region);
      else groups.push([region]);
    });
    const final = regions[regions.length - 1];
    open = final && final.bottom <= lowest + 2.5 ? final : null;
  }
  // Each page's tables top to bottom, so a line finds its table by a binary search (a page may hold many lines).
  const onPage = new Map<number, { top: number; bottom: number; group: number }[]>();
  groups.forEach((g, group) => {
    for (const r of g) {
      const list = onPage.get(r.page) ?? [];
      list.push({ top: r.top, bottom: r.bottom, group });
      onPage.set(r.page, list);
    }
  });
  for (const list of onPage.values()) list.sort((a, b) => b.top - a.top);
  const groupOf = (line: (typeof lines)[number]): number => {
    const list = onPage.get(line.page) ?? [];
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((list[mid]?.bottom ?? 0) - 1 > line.y) lo = mid + 1;
      else hi = mid;
    }
    const found = list[lo];
    return found && line.y <= found.top + 1 ? found.group : -1;
  };
  const emitted = new Set<number>();
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let previous: (typeof lines)[number] | null = null;
  const flush = () => {
    if (paragraph.length) blocks.push({ type: 'paragraph', lines: [lineOf(paragraph.join(' '))] });
    paragraph = [];
  };
  for (const line of lines) {
    const text = line.text.trim();
    if (!text) continue;
    const group = groupOf(line);
    if (group >= 0) {
      flush();
      if (!emitted.has(group)) blocks.push(tableOf(groups[group] ?? [], lineOf));
      emitted.add(group);
      previous = null;
      continue;
    }
    const newParagraph =
      !previous ||
      previous.page !== line.page ||
      previous.y - line.y > lineGap * 1.12 ||
      line.x > margin + 8 ||
      /^(\d{1,2}|[IVX]{1,4}|[a-z])[.)/]\s/.test(text) ||
      /^[-+•]\s/.test(text);
    if (newParagraph) flush();
    paragraph.push(text);
    previous = line;
  }
  flush();
  return { blocks, hasText, pages: pageTexts(pagePieces, sizes) };
}
