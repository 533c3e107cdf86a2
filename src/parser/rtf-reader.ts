import iconv from 'iconv-lite';
import { type Block, type Cell, cleanLine, type Table } from './blocks.js';
import { cellOfBlocks } from './cell-of.js';
import { decodeLegacy, encodingOfFont } from './legacy-encoding.js';
import { FormRejected } from './parse-errors.js';

// Rich Text Format as Word writes it ("Save As Rich Text", often kept under the name .doc) and as WordPad and
// LibreOffice write it: paragraphs, tables (`\trowd … \cellx … \cell … \row`, nested ones with `\itap`,
// `\nestcell` and `\nestrow`), merged cells (`\clmgf`/`\clmrg`, `\clvmgf`/`\clvmrg`, and wider cells whose
// edges `\cellx` gives), text as `\uN` or as bytes `\'hh` in the font's or the document's code page (Vietnamese
// Windows: 1258), and text typed in the legacy TCVN3/VNI fonts. Hand-written: see docs/parser.md for why. One
// pass over the bytes, no recursion: every group pushes a copy of the state on a stack of bounded depth.

/** Deepest group nesting read; Word's own files stay under 20. Deeper is a crafted file. */
const MAX_RTF_DEPTH = 256;
/** Most table cells one file may hold (a form has a few hundred); more is refused before it grows the grid. */
const MAX_RTF_CELLS = 100_000;
/** Most distinct cell edges a table may have; past it the columns are not aligned by edge (spans of one). */
const MAX_EDGES = 64;

// Destinations whose text is not the document's: skipped with all they hold.
const SKIPPED = new Set([
  'fonttbl',
  'colortbl',
  'stylesheet',
  'info',
  'pict',
  'object',
  'header',
  'headerl',
  'headerr',
  'headerf',
  'footer',
  'footerl',
  'footerr',
  'footerf',
  'footnote',
  'listtable',
  'listoverridetable',
  'rsidtbl',
  'generator',
  'xmlnstbl',
  'listtext',
  'pntext',
  'pntxta',
  'pntxtb',
  'nonesttables',
  'nonshppict',
  'shp',
  'themedata',
  'colorschememapping',
  'datastore',
  'latentstyles',
  'revtbl',
  'filetbl',
  'fldinst',
  'private',
]);

// Font charsets (\fcharsetN) and the Windows code page of each.
const CHARSET_CODEPAGE: Record<number, number> = {
  0: 1252,
  2: 1252,
  77: 10000,
  128: 932,
  129: 949,
  134: 936,
  136: 950,
  161: 1253,
  162: 1254,
  163: 1258,
  177: 1255,
  178: 1256,
  186: 1257,
  204: 1251,
  222: 874,
  238: 1250,
};

const SYMBOLS: Record<string, string> = {
  emdash: '—',
  endash: '–',
  lquote: '‘',
  rquote: '’',
  ldblquote: '“',
  rdblquote: '”',
  bullet: '•',
  tab: ' ',
  line: '\n',
  emspace: ' ',
  enspace: ' ',
  qmspace: ' ',
};

interface Font {
  name: string;
  codepage: number | null;
}

interface State {
  /** Inside a destination that is not read. */
  skip: boolean;
  /** Inside the font table (not one of its optional parts): text names the font being defined. */
  fontTable: boolean;
  /** Inside `\*\nesttableprops`: the row definition and `\nestrow` of a nested table. */
  nestProps: boolean;
  /** Characters to skip after `\uN`. */
  uc: number;
  font: number | null;
  inTable: boolean;
  level: number;
}

interface RowDef {
  edges: number[];
  hMerge: number[];
  vMerge: number[];
}

interface RawCell {
  blocks: Block[];
}

interface OpenTable {
  rows: { cells: RawCell[]; def: RowDef | null }[];
  cells: RawCell[];
  cell: RawCell;
  def: RowDef;
}

const newCell = (): RawCell => ({ blocks: [] });
const newDef = (): RowDef => ({ edges: [], hMerge: [], vMerge: [] });

/**
 * Read an RTF document into blocks. Damaged or truncated text is read as far as it goes (as Word does); nesting
 * deeper than MAX_RTF_DEPTH, more than MAX_RTF_CELLS cells, or a `\bin` running past the end is refused.
 */
export function readRtf(bytes: Buffer): Block[] {
  const src = bytes.toString('latin1');
  const blocks: Block[] = [];
  const fonts = new Map<number, Font>();
  let codepage = 1252;
  let defaultFont: number | null = null;
  const stack: State[] = [];
  let st: State = {
    skip: false,
    fontTable: false,
    nestProps: false,
    uc: 1,
    font: null,
    inTable: false,
    level: 0,
  };
  // The font being named in the font table.
  let fontEntry: { n: number; name: string; charset: number | null } | null = null;
  // Text of the current paragraph; bytes (\'hh and 8-bit characters) wait to be decoded together.
  let text = '';
  let pendingBytes: number[] = [];
  let skipChars = 0;
  // A `\*` was just read: the destination that follows is skipped unless it is one read here.
  let starred = false;
  let cellCount = 0;
  const tables: OpenTable[] = []; // tables[0] is level 1
  let pendingDef: { h: number; v: number } = { h: 0, v: 0 };
  let rowDef = newDef(); // the definition of the row being defined (level 1)
  let nestDef = newDef(); // the definition of the nested row being defined

  const fontOf = (n: number | null) => (n === null ? undefined : fonts.get(n));
  const flushBytes = () => {
    if (pendingBytes.length === 0) return;
    const font = fontOf(st.font ?? defaultFont);
    const raw = Buffer.from(pendingBytes);
    pendingBytes = [];
    if (st.fontTable) {
      if (fontEntry) fontEntry.name += raw.toString('latin1');
      return;
    }
    if (st.skip) return;
    const legacy = encodingOfFont(font?.name);
    // A legacy Vietnamese font's bytes are its own letters (stored as Latin-1 characters): decoded by the font.
    if (legacy) text += decodeLegacy(raw.toString('latin1'), legacy, font?.name);
    else text += decodeCodepage(raw, font?.codepage ?? codepage);
  };
  const addText = (s: string) => {
    if (st.fontTable) {
      if (fontEntry) fontEntry.name += s;
      return;
    }
    if (st.skip) return;
    const font = fontOf(st.font ?? defaultFont);
    const legacy = encodingOfFont(font?.name);
    text += legacy ? decodeLegacy(s, legacy, font?.name) : s;
  };
  const takeLines = (): string[] => {
    flushBytes();
    const lines = text.split('\n').map(cleanLine);
    text = '';
    return lines;
  };
  const cellAt = (level: number): RawCell => {
    while (tables.length < level) tables.push({ rows: [], cells: [], cell: newCell(), def: newDef() });
    // Tables deeper than this level have ended: each goes into the cell that holds it.
    while (tables.length > level) {
      const inner = tables.pop() as OpenTable;
      const holder = tables[tables.length - 1] as OpenTable;
      if (inner.rows.length > 0) holder.cell.blocks.push(toTable(inner));
    }
    return (tables[level - 1] as OpenTable).cell;
  };
  const closeTables = () => {
    if (tables.length === 0) return;
    cellAt(1);
    const outer = tables.pop() as OpenTable;
    if (outer.rows.length > 0) blocks.push(toTable(outer));
  };
  const endParagraph = () => {
    const lines = takeLines();
    const level = st.inTable ? Math.max(1, st.level) : 0;
    if (level === 0) {
      closeTables();
      blocks.push({ type: 'paragraph', lines });
      return;
    }
    cellAt(level).blocks.push({ type: 'paragraph', lines });
  };
  const endCell = (level: number) => {
    const lines = takeLines();
    const cell = cellAt(level);
    if (lines.some((l) => l !== '')) cell.blocks.push({ type: 'paragraph', lines });
    const table = tables[level - 1] as OpenTable;
    table.cells.push(cell);
    table.cell = newCell();
    if (++cellCount > MAX_RTF_CELLS) {
      throw new FormRejected('too_large', `the document has over ${MAX_RTF_CELLS} table cells`, {
        limit: MAX_RTF_CELLS,
      });
    }
  };
  const endRow = (level: number, def: RowDef) => {
    flushBytes();
    if (tables.length < level) return; // a row end with no cell: nothing to end
    cellAt(level);
    const table = tables[level - 1] as OpenTable;
    table.rows.push({ cells: table.cells, def: def.edges.length > 0 ? def : null });
    table.cells = [];
  };

  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 0x7b /* { */) {
      flushBytes();
      if (stack.length >= MAX_RTF_DEPTH) {
        throw new FormRejected('corrupt_file', `the document nests groups deeper than ${MAX_RTF_DEPTH}`, {
          limit: MAX_RTF_DEPTH,
        });
      }
      stack.push(st);
      st = { ...st };
      i++;
      continue;
    }
    if (c === 0x7d /* } */) {
      flushBytes();
      // A font-table entry ends with its group (or with the table's).
      if (st.fontTable && fontEntry) {
        saveFont(fonts, fontEntry);
        fontEntry = null;
      }
      st = stack.pop() ?? st;
      skipChars = 0;
      starred = false;
      i++;
      continue;
    }
    if (c === 0x0d || c === 0x0a) {
      i++;
      continue;
    }
    if (c !== 0x5c /* \ */) {
      if (skipChars > 0) {
        skipChars--;
        i++;
        continue;
      }
      if (c >= 0x80) pendingBytes.push(c);
      else {
        flushBytes();
        addText(src[i] as string);
      }
      i++;
      continue;
    }
    // A control symbol or a control word.
    const next = src[i + 1];
    if (next === undefined) break;
    if (next === "'") {
      const hex = src.slice(i + 2, i + 4);
      i += 4;
      if (skipChars > 0) {
        skipChars--;
        continue;
      }
      if (/^[0-9a-fA-F]{2}$/.test(hex)) pendingBytes.push(Number.parseInt(hex, 16));
      continue;
    }
    if (!/[a-zA-Z]/.test(next)) {
      i += 2;
      if (skipChars > 0) {
        skipChars--;
        continue;
      }
      flushBytes();
      if (next === '*') starred = true;
      else if (next === '\\' || next === '{' || next === '}') addText(next);
      else if (next === '~') addText('\u00a0');
      else if (next === '_') addText('-');
      // An optional hyphen, dropped, except in a legacy Vietnamese font: there its byte 0xAD (a soft hyphen in
      // Latin-1, so written `\-` by LibreOffice) is a letter of the font (TCVN3: ư).
      else if (next === '-') {
        if (encodingOfFont(fontOf(st.font ?? defaultFont)?.name)) addText('\u00ad');
      } else if (next === '\n' || next === '\r') endParagraph();
      continue;
    }
    let j = i + 1;
    while (j < n && j - i <= 33 && /[a-zA-Z]/.test(src[j] as string)) j++;
    const word = src.slice(i + 1, j);
    let k = j;
    if (src[k] === '-' && /[0-9]/.test(src[k + 1] ?? '')) k++;
    while (k < n && k - j <= 11 && /[0-9]/.test(src[k] as string)) k++;
    const param = k > j ? Number.parseInt(src.slice(j, k), 10) : null;
    if (src[k] === ' ') k++;
    i = k;
    if (word === 'bin') {
      // Binary data: its bytes follow the word as they are, whatever they look like.
      const length = param ?? 0;
      if (length < 0 || i + length > n) {
        throw new FormRejected('corrupt_file', `\\bin${length} runs past the end of the document`);
      }
      i += length;
      continue;
    }
    if (skipChars > 0) {
      skipChars--;
      continue;
    }
    if (starred) {
      starred = false;
      flushBytes();
      if (word === 'nesttableprops') {
        st.nestProps = true;
        nestDef = newDef();
      } else {
        // An optional destination (`{\*\panose …}`, `{\*\bkmkstart …}`): its text is not the document's.
        st.skip = true;
        st.fontTable = false;
      }
      continue;
    }
    if (SKIPPED.has(word) && word !== 'fonttbl') {
      flushBytes();
      st.skip = true;
      st.fontTable = false;
      continue;
    }
    switch (word) {
      case 'fonttbl':
        flushBytes();
        st.fontTable = true;
        st.skip = true;
        continue;
      case 'ansicpg':
        if (param !== null && param > 0) codepage = param;
        continue;
      case 'deff':
        defaultFont = param;
        continue;
      case 'f':
        flushBytes();
        if (st.fontTable) {
          if (fontEntry) saveFont(fonts, fontEntry);
          fontEntry = { n: param ?? 0, name: '', charset: null };
        } else st.font = param;
        continue;
      case 'fcharset':
        if (st.fontTable && fontEntry) fontEntry.charset = param;
        continue;
      case 'plain':
        flushBytes();
        st.font = null;
        continue;
      case 'uc':
        st.uc = Math.max(0, Math.min(param ?? 1, 10));
        continue;
      case 'u': {
        flushBytes();
        const code = (param ?? 0) < 0 ? (param ?? 0) + 65536 : (param ?? 0);
        addText(String.fromCharCode(code));
        skipChars = st.uc;
        continue;
      }
      case 'par':
        if (!st.skip) endParagraph();
        continue;
      case 'pard':
        flushBytes();
        st.inTable = false;
        st.level = 0;
        continue;
      case 'intbl':
        st.inTable = true;
        if (st.level === 0) st.level = 1;
        continue;
      case 'itap':
        st.level = Math.max(0, Math.min(param ?? 1, 64));
        if (st.level > 0) st.inTable = true;
        continue;
      case 'cell':
        if (!st.skip) endCell(1);
        continue;
      case 'nestcell':
        if (!st.skip) endCell(Math.max(2, st.level));
        continue;
      case 'row':
        if (!st.skip) endRow(1, rowDef);
        continue;
      case 'nestrow':
        endRow(Math.max(2, tables.length), nestDef);
        continue;
      case 'trowd':
        if (st.nestProps) nestDef = newDef();
        else rowDef = newDef();
        pendingDef = { h: 0, v: 0 };
        continue;
      case 'clmgf':
        pendingDef.h = 2;
        continue;
      case 'clmrg':
        pendingDef.h = 1;
        continue;
      case 'clvmgf':
        pendingDef.v = 2;
        continue;
      case 'clvmrg':
        pendingDef.v = 1;
        continue;
      case 'cellx': {
        const def = st.nestProps ? nestDef : rowDef;
        if (def.edges.length === 0) def.edges.push(Number.NEGATIVE_INFINITY);
        if (def.edges.length <= MAX_RTF_CELLS) {
          def.edges.push(param ?? 0);
          def.hMerge.push(pendingDef.h);
          def.vMerge.push(pendingDef.v);
        }
        pendingDef = { h: 0, v: 0 };
        continue;
      }
      default: {
        const symbol = SYMBOLS[word];
        if (symbol !== undefined) {
          flushBytes();
          addText(symbol);
        }
      }
    }
  }
  // A truncated document: what was read is kept, as Word keeps it.
  if (text.trim() !== '' || pendingBytes.length > 0) endParagraph();
  closeTables();
  return blocks;
}

function saveFont(fonts: Map<number, Font>, entry: { n: number; name: string; charset: number | null }) {
  const name = entry.name.replace(/;[\s\S]*$/, '').trim();
  const codepage = entry.charset === null ? null : (CHARSET_CODEPAGE[entry.charset] ?? null);
  if (!fonts.has(entry.n)) fonts.set(entry.n, { name, codepage });
}

function decodeCodepage(raw: Buffer, codepage: number): string {
  const name = `windows${codepage}`;
  if (codepage === 10000 && iconv.encodingExists('macintosh')) return iconv.decode(raw, 'macintosh');
  if (iconv.encodingExists(name)) return iconv.decode(raw, name);
  if (iconv.encodingExists(`cp${codepage}`)) return iconv.decode(raw, `cp${codepage}`);
  return iconv.decode(raw, 'windows1252');
}

/** Rows of cells to a full grid: the edges of all rows give the columns, each cell's span and merges. */
function toTable(t: OpenTable): Table {
  const all = [...new Set(t.rows.flatMap((r) => r.def?.edges.filter((e) => Number.isFinite(e)) ?? []))].sort(
    (a, b) => a - b,
  );
  const aligned = all.length <= MAX_EDGES;
  let nextId = 0;
  const grid: Cell[][] = [];
  t.rows.forEach((row, r) => {
    const out: Cell[] = [];
    row.cells.forEach((raw, i) => {
      const def = row.def;
      const from = def?.edges[i];
      const to = def?.edges[i + 1];
      const span =
        aligned && from !== undefined && to !== undefined
          ? Math.max(1, all.filter((e) => e > from && e <= to).length)
          : 1;
      const col = out.length;
      const above = grid[r - 1]?.[col];
      const left = out[col - 1];
      let cell: Cell;
      if (def?.vMerge[i] === 1 && above) cell = { ...above, merged: true };
      else if (def?.hMerge[i] === 1 && left) cell = { ...left, merged: true };
      else cell = cellOfBlocks(raw.blocks, nextId++);
      out.push(cell);
      for (let s = 1; s < span; s++) out.push({ ...cell, merged: true });
    });
    grid.push(out);
  });
  return { type: 'table', rows: grid };
}
