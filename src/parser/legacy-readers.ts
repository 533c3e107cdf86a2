import WordExtractor from 'word-extractor';
import { type Block, cleanLine } from './blocks.js';
import { readDocStructure } from './doc-reader.js';
import { decodeLegacy, detectLegacyEncoding } from './legacy-encoding.js';
import { validateCompoundFile } from './ole-guard.js';
import { FormRejected } from './parse-errors.js';
import { checkPdfPages, DEFAULT_MAX_PDF_TEXT_ITEMS, guardPdf, type PdfLimits } from './pdf-guard.js';

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

interface TextItem {
  str: string;
  transform: number[];
  hasEOL?: boolean;
}

/**
 * The text layer of a PDF, as paragraphs: wrapped lines are joined again, and a new paragraph starts at a
 * larger gap between lines, at an indented line, or at a numbered line.
 */
export async function readPdf(
  bytes: Buffer,
  limits: PdfLimits = {},
): Promise<{ blocks: Block[]; hasText: boolean }> {
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
  return { blocks, hasText };
}
