import CFB from 'cfb';
import { type Block, type Cell, cleanLine, type Table } from './blocks.js';
import { decodeLegacy, detectLegacyEncoding } from './legacy-encoding.js';
import { FormRejected } from './parse-errors.js';

// A legacy Word 97-2003 .doc read down to its paragraphs and tables ([MS-DOC]): the text from the piece
// table, and for each paragraph whether it sits in a table cell or ends a table row (its PAPX), with each row's
// cell boundaries, so merged and split columns line up as they do in a .docx.

interface Piece {
  cpStart: number;
  cpEnd: number;
  fc: number;
  compressed: boolean;
}

interface ParagraphEnd {
  cp: number; // first character after the paragraph
  inTable: boolean;
  rowEnd: boolean;
  /** For a row end: the x position of each cell edge, and each cell's vertical-merge state. */
  row?: { edges: number[]; vMerge: number[] };
}

const cp1252 = new TextDecoder('windows-1252');

const corrupt = (what: string): never => {
  throw new FormRejected('corrupt_file', `the document's structure is damaged: ${what}`);
};

/** The range [at, at + length) of a stream of `size` bytes, or corrupt: an offset or length from the file. */
function within(at: number, length: number, size: number, what: string): void {
  if (!Number.isInteger(at) || !Number.isInteger(length) || at < 0 || length < 0 || at + length > size) {
    corrupt(`${what} (${at}+${length}) points past the end of its stream (${size} bytes)`);
  }
}

function stream(cfb: CFB.CFB$Container, name: string): Buffer | null {
  const entry = CFB.find(cfb, name);
  return entry?.content ? Buffer.from(entry.content as Uint8Array) : null;
}

/** The paragraphs and tables of a .doc, or null when its structure cannot be read (the caller falls back). */
export function readDocStructure(bytes: Buffer): Block[] | null {
  const cfb = CFB.read(bytes, { type: 'buffer' });
  const word = stream(cfb, 'WordDocument');
  if (!word || word.length < 0x200 || word.readUInt16LE(0) !== 0xa5ec) return null;
  const flags = word.readUInt16LE(0x0a);
  if (flags & 0x0100) throw new FormRejected('encrypted', 'the document is protected by a password');
  const table = stream(cfb, flags & 0x0200 ? '1Table' : '0Table');
  if (!table) return null;
  const data = stream(cfb, 'Data');
  const ccpText = word.readUInt32LE(0x004c);
  within(word.readUInt32LE(0x01a2), word.readUInt32LE(0x01a6), table.length, 'the piece table');
  within(word.readUInt32LE(0x0102), word.readUInt32LE(0x0106), table.length, 'the paragraph table');

  const pieces = readPieces(table, word.readUInt32LE(0x01a2), word.readUInt32LE(0x01a6));
  if (!pieces) return null;
  const text = textOf(word, pieces, ccpText);
  const ends = readParagraphEnds(word, table, data, pieces);
  return toBlocks(text, ends);
}

function readPieces(table: Buffer, fcClx: number, lcbClx: number): Piece[] | null {
  let at = fcClx;
  const end = fcClx + lcbClx;
  while (at < end && table.readUInt8(at) === 0x01) at += 3 + table.readUInt16LE(at + 1); // Prc: skip
  if (at >= end || table.readUInt8(at) !== 0x02) return null;
  const lcb = table.readUInt32LE(at + 1);
  within(at + 5, lcb, end, 'the piece table');
  const plc = table.subarray(at + 5, at + 5 + lcb);
  const n = (lcb - 4) / 12;
  if (!Number.isInteger(n) || n < 1) corrupt(`a piece table of ${lcb} bytes`);
  const pieces: Piece[] = [];
  for (let i = 0; i < n; i++) {
    const raw = plc.readUInt32LE((n + 1) * 4 + i * 8 + 2);
    const compressed = (raw & 0x40000000) !== 0;
    const piece = {
      cpStart: plc.readUInt32LE(i * 4),
      cpEnd: plc.readUInt32LE((i + 1) * 4),
      fc: compressed ? (raw & ~0x40000000) / 2 : raw,
      compressed,
    };
    if (piece.cpEnd < piece.cpStart) corrupt(`piece ${i} ends before it starts`);
    pieces.push(piece);
  }
  return pieces;
}

function textOf(word: Buffer, pieces: Piece[], ccpText: number): string {
  let out = '';
  for (const p of pieces) {
    if (p.cpStart >= ccpText) break;
    const count = Math.min(p.cpEnd, ccpText) - p.cpStart;
    within(p.fc, count * (p.compressed ? 1 : 2), word.length, 'a piece of text');
    out += p.compressed
      ? cp1252.decode(word.subarray(p.fc, p.fc + count))
      : word.subarray(p.fc, p.fc + count * 2).toString('utf16le');
  }
  return out;
}

function cpOfFc(fc: number, pieces: Piece[]): number | null {
  for (const p of pieces) {
    const bytes = (p.cpEnd - p.cpStart) * (p.compressed ? 1 : 2);
    if (fc >= p.fc && fc <= p.fc + bytes) return p.cpStart + (fc - p.fc) / (p.compressed ? 1 : 2);
  }
  return null;
}

function readParagraphEnds(
  word: Buffer,
  table: Buffer,
  data: Buffer | null,
  pieces: Piece[],
): ParagraphEnd[] {
  const fc = word.readUInt32LE(0x0102);
  const lcb = word.readUInt32LE(0x0106);
  const n = (lcb - 4) / 8;
  if (!Number.isInteger(n) || n < 0) corrupt(`a paragraph table of ${lcb} bytes`);
  const plc = table.subarray(fc, fc + lcb);
  const ends: ParagraphEnd[] = [];
  for (let i = 0; i < n; i++) {
    const pn = plc.readUInt32LE((n + 1) * 4 + i * 4);
    within(pn * 512, 512, word.length, 'a paragraph properties page');
    const fkp = word.subarray(pn * 512, (pn + 1) * 512);
    const crun = fkp.readUInt8(511);
    // The run offsets and their property indexes must fit in the page before its count byte.
    if ((crun + 1) * 4 + crun * 13 > 511) corrupt(`a paragraph properties page of ${crun} runs`);
    for (let j = 0; j < crun; j++) {
      const fcEnd = fkp.readUInt32LE((j + 1) * 4);
      const bx = fkp.readUInt8((crun + 1) * 4 + j * 13) * 2;
      let grpprl: Buffer = Buffer.alloc(0);
      if (bx > 0) {
        const cb = fkp.readUInt8(bx);
        // Skip the 2-byte style index in front of the properties.
        grpprl =
          cb !== 0
            ? fkp.subarray(bx + 3, bx + 1 + 2 * cb)
            : fkp.subarray(bx + 4, bx + 2 + 2 * fkp.readUInt8(bx + 1));
      }
      const props = paragraphProps(grpprl, data);
      const cp = cpOfFc(fcEnd, pieces);
      if (cp !== null) ends.push({ cp, ...props });
    }
  }
  return ends.sort((a, b) => a.cp - b.cp);
}

const OPERAND_SIZE = [1, 1, 2, 4, 2, 2, -1, 3];

function paragraphProps(grpprl: Buffer, data: Buffer | null): Omit<ParagraphEnd, 'cp'> {
  const out: Omit<ParagraphEnd, 'cp'> = { inTable: false, rowEnd: false };
  let at = 0;
  while (at + 2 <= grpprl.length) {
    const sprm = grpprl.readUInt16LE(at);
    at += 2;
    const spra = (sprm >> 13) & 7;
    let size = OPERAND_SIZE[spra] ?? 1;
    if (size < 0) size = sprm === 0xd608 ? grpprl.readUInt16LE(at) + 1 : grpprl.readUInt8(at) + 1;
    if (at + size > grpprl.length) break;
    if (sprm === 0x2416 || sprm === 0x244b) out.inTable ||= grpprl.readUInt8(at) === 1;
    if (sprm === 0x2417 || sprm === 0x244c) out.rowEnd ||= grpprl.readUInt8(at) === 1;
    if (sprm === 0x6649) out.inTable ||= grpprl.readUInt32LE(at) >= 1;
    if (sprm === 0xd608) out.row = tableDefinition(grpprl.subarray(at + 2, at + size));
    if (sprm === 0x6646 && data) {
      // The properties are too large for the FKP: they sit in the Data stream.
      const offset = grpprl.readUInt32LE(at);
      if (offset + 2 <= data.length) {
        const huge = paragraphProps(data.subarray(offset + 2, offset + 2 + data.readUInt16LE(offset)), null);
        out.inTable ||= huge.inTable;
        out.rowEnd ||= huge.rowEnd;
        out.row ??= huge.row;
      }
    }
    at += size;
  }
  return out;
}

function tableDefinition(op: Buffer): { edges: number[]; vMerge: number[] } | undefined {
  if (op.length < 1) return undefined;
  const cells = op.readUInt8(0);
  if (op.length < 1 + (cells + 1) * 2) return undefined;
  const edges = Array.from({ length: cells + 1 }, (_, i) => op.readInt16LE(1 + i * 2));
  const tcStart = 1 + (cells + 1) * 2;
  const vMerge = Array.from({ length: cells }, (_, i) => {
    const at = tcStart + i * 20;
    return at + 2 <= op.length ? (op.readUInt16LE(at) >> 5) & 3 : 0;
  });
  return { edges, vMerge };
}

function lineOf(raw: string): string {
  const line = cleanLine(raw);
  const enc = detectLegacyEncoding(line);
  return enc ? cleanLine(decodeLegacy(line, enc)) : line;
}

/** Paragraph text without its mark, split at soft breaks; fields and other control characters dropped. */
// biome-ignore-start lint/suspicious/noControlCharactersInRegex: Word's text stream marks structure with control characters
function linesOf(raw: string): string[] {
  const visible = raw
    .replace(/[\r\u0007]$/, '')
    .replace(/\u0013[^\u0014\u0015]*\u0014?/g, '') // field codes, keeping field results
    .replace(/[\u0000-\u0008\u0015\u001e\u001f]/g, (c) => (c === '\u001e' ? '-' : ''));
  return visible.split(/[\u000b\r\u0007\u000c]/).map(lineOf);
}
// biome-ignore-end lint/suspicious/noControlCharactersInRegex: the marks end here

function toBlocks(text: string, ends: ParagraphEnd[]): Block[] {
  const blocks: Block[] = [];
  let start = 0;
  let rows: { cells: string[][]; def?: { edges: number[]; vMerge: number[] } }[] = [];
  let cells: string[][] = [];
  let cell: string[] = [];
  const flushTable = () => {
    if (rows.length > 0) blocks.push(toTable(rows));
    rows = [];
    cells = [];
    cell = [];
  };
  for (const end of ends) {
    if (end.cp <= start || start >= text.length) continue;
    const raw = text.slice(start, Math.min(end.cp, text.length));
    start = end.cp;
    if (!end.inTable) {
      flushTable();
      blocks.push({ type: 'paragraph', lines: linesOf(raw) });
      continue;
    }
    if (end.rowEnd) {
      rows.push({ cells, def: end.row });
      cells = [];
      cell = [];
      continue;
    }
    cell.push(...linesOf(raw).filter((l) => l !== ''));
    if (raw.endsWith('\u0007')) {
      cells.push(cell);
      cell = [];
    }
  }
  flushTable();
  return blocks;
}

/** Rows of cell texts to a grid: cell edges across the rows give the columns, spans and vertical merges. */
function toTable(rows: { cells: string[][]; def?: { edges: number[]; vMerge: number[] } }[]): Table {
  const allEdges = [...new Set(rows.flatMap((r) => r.def?.edges ?? []))].sort((a, b) => a - b);
  let nextId = 0;
  const grid: Cell[][] = [];
  rows.forEach((row, r) => {
    const out: Cell[] = [];
    row.cells.forEach((lines, i) => {
      const from = row.def?.edges[i];
      const to = row.def?.edges[i + 1];
      const span =
        from !== undefined && to !== undefined
          ? Math.max(1, allEdges.filter((e) => e >= from && e < to).length)
          : 1;
      const col = out.length;
      const above = grid[r - 1]?.[col];
      const continued = row.def?.vMerge[i] === 1 && above !== undefined;
      const cell: Cell = continued ? { ...above, merged: true } : { lines, merged: false, id: nextId++ };
      out.push(cell);
      for (let k = 1; k < span; k++) out.push({ ...cell, merged: true });
    });
    grid.push(out);
  });
  return { type: 'table', rows: grid };
}
