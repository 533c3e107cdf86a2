import mammoth from 'mammoth';
import yauzl from 'yauzl';
import { type Block, type Cell, cleanLine, type Table } from './blocks.js';
import { cellOfBlocks } from './cell-of.js';
import {
  decodeLegacy,
  detectLegacyEncoding,
  encodingOfFont,
  hasUnicodeVietnamese,
  type LegacyEncoding,
} from './legacy-encoding.js';

// The parts of mammoth's document model that the reader uses (mammoth ships no types for it).
interface MNode {
  type: string;
  children?: MNode[];
  value?: string;
  font?: string | null;
  colSpan?: number;
  rowSpan?: number;
  breakType?: string;
  checked?: boolean;
  styleId?: string | null;
  styleName?: string | null;
}

// The character style Word gives a content control's prompt while it is unfilled.
const PLACEHOLDER_STYLE = /^placeholder ?text$/i;

/** Fonts the styles give runs that name none of their own (LibreOffice leaves .VnTime to the defaults). */
interface StyleFonts {
  byDefault: string | null;
  own: Map<string, string>;
  basedOn: Map<string, string>;
}

interface ReadContext {
  documentEncoding: LegacyEncoding | null;
  styles: StyleFonts | null;
}

/**
 * Read a .docx into blocks through mammoth's document model, which keeps what its HTML loses for us: the
 * font of each run (to decode TCVN3/VNI text) and merged cells (gridSpan/vMerge as colSpan/rowSpan).
 */
export async function readDocx(bytes: Buffer): Promise<{ blocks: Block[]; warnings: string[] }> {
  let document: MNode | undefined;
  const result = await mammoth.convertToHtml(
    { buffer: bytes },
    {
      // Keep the model, and hand mammoth an empty document so it spends no time writing HTML.
      transformDocument: (doc: MNode) => {
        document = doc;
        return { ...doc, children: [] };
      },
    },
  );
  const warnings = result.messages
    .filter((m) => m.type === 'error')
    .map((m) => `docx: ${m.message}`)
    .slice(0, 5);
  if (!document) return { blocks: [], warnings };
  // Legacy bytes in runs whose font was lost: judged on the whole document, where a short line alone is too
  // little to tell, then applied to each paragraph that has no Unicode Vietnamese of its own.
  const documentEncoding = detectLegacyEncoding(plainText(document));
  // Only a document with legacy text needs the fonts its styles give: others are spared reading styles.xml.
  const styles =
    documentEncoding || hasLegacyFont(document) ? await readStyleFonts(bytes).catch(() => null) : null;
  return { blocks: toBlocks(document.children ?? [], { documentEncoding, styles }), warnings };
}

function hasLegacyFont(n: MNode): boolean {
  if (n.type === 'run' && encodingOfFont(n.font)) return true;
  return (n.children ?? []).some(hasLegacyFont);
}

/** word/styles.xml of the package (already checked by the zip guard), or null. */
function readEntry(bytes: Buffer, name: string): Promise<string | null> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      zip.on('entry', (e: yauzl.Entry) => {
        if (e.fileName !== name) return zip.readEntry();
        zip.openReadStream(e, (err2, stream) => {
          if (err2 || !stream) return reject(err2);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            zip.close();
            resolve(Buffer.concat(chunks).toString('utf8'));
          });
          stream.on('error', reject);
        });
      });
      zip.on('end', () => resolve(null));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

const ASCII_FONT = /<w:rFonts\b[^>]*\bw:ascii="([^"]*)"/;

async function readStyleFonts(bytes: Buffer): Promise<StyleFonts | null> {
  const xml = await readEntry(bytes, 'word/styles.xml');
  if (!xml) return null;
  const defaults = /<w:docDefaults>([\s\S]*?)<\/w:docDefaults>/.exec(xml)?.[1] ?? '';
  const own = new Map<string, string>();
  const basedOn = new Map<string, string>();
  for (const m of xml.matchAll(/<w:style\b[^>]*w:styleId="([^"]*)"[^>]*>([\s\S]*?)<\/w:style>/g)) {
    const [, id = '', body = ''] = m;
    const font = ASCII_FONT.exec(body)?.[1];
    if (font) own.set(id, font);
    const parent = /<w:basedOn w:val="([^"]*)"/.exec(body)?.[1];
    if (parent) basedOn.set(id, parent);
  }
  return { byDefault: ASCII_FONT.exec(defaults)?.[1] ?? null, own, basedOn };
}

function styleFont(styles: StyleFonts, id: string | null | undefined): string | null {
  for (let k = 0, s = id; s && k < 10; k++, s = styles.basedOn.get(s)) {
    const f = styles.own.get(s);
    if (f) return f;
  }
  return null;
}

/** Text of the runs in no legacy font, from the paragraphs that have no Unicode Vietnamese letters. */
function plainText(n: MNode, font: string | null = null): string {
  const f = n.type === 'run' ? (n.font ?? null) : font;
  if (n.type === 'text') return encodingOfFont(f) ? '' : (n.value ?? '');
  const text = (n.children ?? []).map((c) => plainText(c, f)).join('');
  if (n.type === 'paragraph') return hasUnicodeVietnamese(text) ? '' : `${text}\n`;
  return text;
}

function toBlocks(nodes: readonly MNode[], ctx: ReadContext): Block[] {
  const blocks: Block[] = [];
  for (const node of nodes) {
    if (node.type === 'paragraph') {
      const { lines, recovered } = paragraphLines(node, ctx);
      blocks.push(recovered ? { type: 'paragraph', lines, recovered } : { type: 'paragraph', lines });
    } else if (node.type === 'table') blocks.push(toTable(node, ctx));
    else if (node.children) blocks.push(...toBlocks(node.children, ctx));
  }
  return blocks;
}

/** The paragraph's text split at soft line breaks, each run decoded from its legacy font if it has one. */
function paragraphLines(p: MNode, ctx: ReadContext): { lines: string[]; recovered: boolean } {
  const { documentEncoding, styles } = ctx;
  let plain = ''; // text of runs in no legacy font, to detect an encoding from the characters
  const pieces: { text: string; legacy: boolean }[] = [];
  // A run that names no font of its own takes its character style's, its paragraph style's, or the default.
  const inherited = styles
    ? (run: MNode) => styleFont(styles, run.styleId) ?? styleFont(styles, p.styleId) ?? styles.byDefault
    : () => null;
  const walk = (n: MNode, font: string | null, own: boolean) => {
    if (n.type === 'run') {
      // A content control's prompt ("Click or tap here to enter text.") is not what the sender wrote.
      if (PLACEHOLDER_STYLE.test(n.styleId ?? '') || PLACEHOLDER_STYLE.test(n.styleName ?? '')) return;
      own = !!n.font;
      font = n.font ?? inherited(n);
    }
    if (n.type === 'text' && n.value) {
      // An inherited legacy font is believed only for text that is not already Unicode Vietnamese.
      const enc = !own && hasUnicodeVietnamese(n.value) ? null : encodingOfFont(font);
      if (enc) pieces.push({ text: decodeLegacy(n.value, enc, font), legacy: true });
      else {
        pieces.push({ text: n.value, legacy: false });
        plain += n.value;
      }
    } else if (n.type === 'tab') pieces.push({ text: ' ', legacy: true });
    else if (n.type === 'break' && (n.breakType ?? 'line') === 'line')
      pieces.push({ text: '\n', legacy: true });
    else if (n.type === 'checkbox') pieces.push({ text: n.checked ? 'x' : '', legacy: true });
    for (const c of n.children ?? []) walk(c, font, own);
  };
  walk(p, null, false);
  // Runs whose font was lost or renamed can still hold TCVN3/VNI bytes: decide for the paragraph as a whole.
  const guessed =
    detectLegacyEncoding(plain) ??
    (documentEncoding && !hasUnicodeVietnamese(plain) ? documentEncoding : null);
  let text = '';
  let recovered = false;
  for (const piece of pieces) {
    if (guessed && !piece.legacy) {
      text += decodeLegacy(piece.text, guessed);
      recovered ||= piece.text.trim() !== '';
    } else text += piece.text;
  }
  return { lines: text.split('\n').map(cleanLine), recovered };
}

function toTable(t: MNode, ctx: ReadContext): Table {
  const rows: Cell[][] = [];
  // Cells that cover later rows (rowSpan > 1), by grid column: they are repeated into those rows.
  const pending = new Map<number, { cell: Cell; left: number; span: number }>();
  let nextId = 0;
  for (const row of t.children ?? []) {
    if (row.type !== 'tableRow') continue;
    const out: Cell[] = [];
    const fillPending = () => {
      for (let p = pending.get(out.length); p && p.left > 0; p = pending.get(out.length)) {
        for (let k = 0; k < p.span; k++) out.push({ ...p.cell, merged: true });
        p.left--;
      }
    };
    for (const cellNode of row.children ?? []) {
      if (cellNode.type !== 'tableCell') continue;
      fillPending();
      const inner = toBlocks(cellNode.children ?? [], ctx);
      const cell = cellOfBlocks(inner, nextId++);
      if (inner.some((b) => b.type === 'paragraph' && b.recovered)) cell.recovered = true;
      const span = Math.max(1, cellNode.colSpan ?? 1);
      const start = out.length;
      out.push(cell);
      for (let k = 1; k < span; k++) out.push({ ...cell, merged: true });
      if ((cellNode.rowSpan ?? 1) > 1) pending.set(start, { cell, left: (cellNode.rowSpan ?? 1) - 1, span });
    }
    fillPending();
    rows.push(out);
  }
  return { type: 'table', rows };
}
