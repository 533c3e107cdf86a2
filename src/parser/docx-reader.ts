import mammoth from 'mammoth';
import { type Block, type Cell, cleanLine, type Table } from './blocks.js';
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
  return { blocks: toBlocks(document.children ?? [], documentEncoding), warnings };
}

/** Text of the runs in no legacy font, from the paragraphs that have no Unicode Vietnamese letters. */
function plainText(n: MNode, font: string | null = null): string {
  const f = n.type === 'run' ? (n.font ?? null) : font;
  if (n.type === 'text') return encodingOfFont(f) ? '' : (n.value ?? '');
  const text = (n.children ?? []).map((c) => plainText(c, f)).join('');
  if (n.type === 'paragraph') return hasUnicodeVietnamese(text) ? '' : `${text}\n`;
  return text;
}

function toBlocks(nodes: readonly MNode[], documentEncoding: LegacyEncoding | null): Block[] {
  const blocks: Block[] = [];
  for (const node of nodes) {
    if (node.type === 'paragraph')
      blocks.push({ type: 'paragraph', lines: paragraphLines(node, documentEncoding) });
    else if (node.type === 'table') blocks.push(toTable(node, documentEncoding));
    else if (node.children) blocks.push(...toBlocks(node.children, documentEncoding));
  }
  return blocks;
}

/** The paragraph's text split at soft line breaks, each run decoded from its legacy font if it has one. */
function paragraphLines(p: MNode, documentEncoding: LegacyEncoding | null): string[] {
  let plain = ''; // text of runs in no legacy font, to detect an encoding from the characters
  const pieces: { text: string; legacy: boolean }[] = [];
  const walk = (n: MNode, font: string | null) => {
    if (n.type === 'run') font = n.font ?? null;
    if (n.type === 'text' && n.value) {
      const enc = encodingOfFont(font);
      if (enc) pieces.push({ text: decodeLegacy(n.value, enc, font), legacy: true });
      else {
        pieces.push({ text: n.value, legacy: false });
        plain += n.value;
      }
    } else if (n.type === 'tab') pieces.push({ text: ' ', legacy: true });
    else if (n.type === 'break' && (n.breakType ?? 'line') === 'line')
      pieces.push({ text: '\n', legacy: true });
    else if (n.type === 'checkbox') pieces.push({ text: n.checked ? 'x' : '', legacy: true });
    for (const c of n.children ?? []) walk(c, font);
  };
  walk(p, null);
  // Runs whose font was lost or renamed can still hold TCVN3/VNI bytes: decide for the paragraph as a whole.
  const guessed =
    detectLegacyEncoding(plain) ??
    (documentEncoding && !hasUnicodeVietnamese(plain) ? documentEncoding : null);
  let text = '';
  for (const piece of pieces)
    text += guessed && !piece.legacy ? decodeLegacy(piece.text, guessed) : piece.text;
  return text.split('\n').map(cleanLine);
}

function toTable(t: MNode, documentEncoding: LegacyEncoding | null): Table {
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
      const lines = toBlocks(cellNode.children ?? [], documentEncoding).flatMap((b) =>
        b.type === 'paragraph' ? b.lines : b.rows.map((r) => r.map((c) => c.lines.join(' ')).join(' | ')),
      );
      const cell: Cell = { lines: lines.filter((l) => l !== ''), merged: false, id: nextId++ };
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
