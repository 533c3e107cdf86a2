import { SaxesParser, type SaxesTagNS } from 'saxes';
import { type Block, type Cell, cleanLine } from './blocks.js';
import { cellOfBlocks } from './cell-of.js';
import { decodeLegacy, encodingOfFont, hasUnicodeVietnamese } from './legacy-encoding.js';
import { FormRejected } from './parse-errors.js';
import { readZipTexts } from './zip-read.js';

// An OpenDocument text (.odt, from LibreOffice or OpenOffice Writer): a zip of XML parts, read after the zip
// guard has checked it. `content.xml` is read with saxes, a streaming XML parser that expands no entity a DTD
// declares (a file that declares one is refused), so only the blocks are built, never a document tree.

const TEXT = 'urn:oasis:names:tc:opendocument:xmlns:text:1.0';
const TABLE = 'urn:oasis:names:tc:opendocument:xmlns:table:1.0';
const OFFICE = 'urn:oasis:names:tc:opendocument:xmlns:office:1.0';
const STYLE = 'urn:oasis:names:tc:opendocument:xmlns:style:1.0';
const SVG = 'urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0';

/** Most table cells one document may hold, repeated cells counted; more is refused before the grid grows. */
const MAX_ODF_CELLS = 100_000;
/** Deepest element nesting read (a Writer form nests 10–15 deep). */
const MAX_ODF_DEPTH = 500;

/** The media type an OpenDocument text declares in its `mimetype` entry. */
export const ODT_MIMETYPE = /^application\/vnd\.oasis\.opendocument\.text(?:-template)?\s*$/;

interface OpenTable {
  rows: Cell[][];
  row: Cell[] | null;
  /** Cells that cover later rows, by grid column: how many rows more, and the cell. */
  pending: Map<number, { cell: Cell; left: number; span: number }>;
  nextId: number;
}

interface OpenCell {
  blocks: Block[];
  colSpan: number;
  rowSpan: number;
  repeat: number;
}

interface StyleFonts {
  font: Map<string, string>;
  parent: Map<string, string>;
  byDefault: string | null;
}

/** Read an .odt's text into blocks; an encrypted document (its parts listed with encryption data) is refused. */
export async function readOdt(bytes: Buffer): Promise<Block[]> {
  const parts = await readZipTexts(bytes, ['content.xml', 'styles.xml', 'META-INF/manifest.xml']);
  if (/<manifest:encryption-data\b/.test(parts.get('META-INF/manifest.xml') ?? '')) {
    throw new FormRejected('encrypted', 'the OpenDocument file is protected by a password');
  }
  const content = parts.get('content.xml');
  if (content === undefined)
    throw new FormRejected('corrupt_file', 'the OpenDocument file has no content.xml');
  const styles: StyleFonts = { font: new Map(), parent: new Map(), byDefault: null };
  // Common styles first: the document's automatic styles (in content.xml) are based on them.
  const common = parts.get('styles.xml');
  if (common) readStyles(common, styles);
  readStyles(content, styles);
  return readContent(content, styles);
}

interface Handlers {
  open(tag: SaxesTagNS): void;
  close(tag: SaxesTagNS): void;
  text?(text: string): void;
}

/**
 * Parse `xml` with saxes, nesting bounded first: saxes resolves each element's namespaces through its parents',
 * so a document nested tens of thousands deep costs time by the square of its depth.
 */
function parseXml(xml: string, handlers: Handlers): void {
  const p = new SaxesParser({ xmlns: true, position: false });
  let depth = 0;
  p.on('doctype', () => {
    throw new FormRejected('corrupt_file', 'the OpenDocument part declares a DTD');
  });
  p.on('error', (err) => {
    throw new FormRejected('corrupt_file', `the OpenDocument part is not well-formed XML: ${err.message}`);
  });
  p.on('opentagstart', () => {
    if (++depth > MAX_ODF_DEPTH) {
      throw new FormRejected('corrupt_file', `the document nests elements deeper than ${MAX_ODF_DEPTH}`);
    }
  });
  p.on('opentag', handlers.open);
  p.on('closetag', (tag) => {
    depth--;
    handlers.close(tag);
  });
  if (handlers.text) {
    const text = handlers.text;
    p.on('text', text);
    p.on('cdata', text);
  }
  p.write(xml).close();
}

const attr = (tag: SaxesTagNS, uri: string, local: string): string | undefined => {
  for (const a of Object.values(tag.attributes)) if (a.uri === uri && a.local === local) return a.value;
  return undefined;
};

const count = (value: string | undefined, max: number): number => {
  const n = Number.parseInt(value ?? '1', 10);
  return Number.isFinite(n) && n >= 1 ? Math.min(n, max) : 1;
};

/** The font each style gives its text (style:font-name), and the style each is based on. */
function readStyles(xml: string, into: StyleFonts): void {
  let current: string | null = null;
  let defaultParagraph = false;
  const open = (tag: SaxesTagNS) => {
    if (tag.uri !== STYLE) return;
    if (tag.local === 'style') {
      current = attr(tag, STYLE, 'name') ?? null;
      const parent = attr(tag, STYLE, 'parent-style-name');
      if (current && parent) into.parent.set(current, parent);
    } else if (tag.local === 'default-style') {
      defaultParagraph = attr(tag, STYLE, 'family') === 'paragraph';
    } else if (tag.local === 'text-properties') {
      const font = attr(tag, STYLE, 'font-name');
      if (font && current) into.font.set(current, font);
      else if (font && defaultParagraph) into.byDefault = font;
    }
  };
  const close = (tag: SaxesTagNS) => {
    if (tag.uri === STYLE && tag.local === 'style') current = null;
    if (tag.uri === STYLE && tag.local === 'default-style') defaultParagraph = false;
  };
  parseXml(xml, { open, close });
}

function fontOfStyle(styles: StyleFonts, name: string | null): string | null {
  for (let k = 0, s = name; s && k < 20; k++, s = styles.parent.get(s) ?? null) {
    const f = styles.font.get(s);
    if (f) return f;
  }
  return null;
}

function readContent(xml: string, styles: StyleFonts): Block[] {
  const body: Block[] = [];
  // Where blocks go: the body, or the cell being read (tables nest inside cells).
  const containers: Block[][] = [body];
  const tables: OpenTable[] = [];
  const cells: OpenCell[] = [];
  // Paragraphs being read (a text box inside a paragraph holds paragraphs of its own).
  const paragraphs: { text: string; style: string | null }[] = [];
  // The style of each open span, for its font.
  const spans: (string | null)[] = [];
  let inBody = false;
  // Inside an element whose text is not the document's (a note, an annotation, a deleted change).
  let skipDepth = 0;
  let cellCount = 0;

  const fontNow = (): string | null => {
    for (let k = spans.length - 1; k >= 0; k--) {
      const f = fontOfStyle(styles, spans[k] ?? null);
      if (f) return f;
    }
    const para = paragraphs[paragraphs.length - 1];
    return fontOfStyle(styles, para?.style ?? null) ?? styles.byDefault;
  };
  const addText = (s: string) => {
    const para = paragraphs[paragraphs.length - 1];
    if (!para || skipDepth > 0) return;
    const font = fontNow();
    const legacy = encodingOfFont(font);
    para.text += legacy && !hasUnicodeVietnamese(s) ? decodeLegacy(s, legacy, font) : s;
  };
  const addCells = (n: number) => {
    cellCount += n;
    if (cellCount > MAX_ODF_CELLS) {
      throw new FormRejected('too_large', `the document has over ${MAX_ODF_CELLS} table cells`, {
        limit: MAX_ODF_CELLS,
      });
    }
  };
  const fillPending = (t: OpenTable) => {
    const row = t.row as Cell[];
    for (let q = t.pending.get(row.length); q && q.left > 0; q = t.pending.get(row.length)) {
      for (let k = 0; k < q.span; k++) row.push({ ...q.cell, merged: true });
      q.left--;
    }
  };

  const open = (tag: SaxesTagNS) => {
    if (tag.uri === OFFICE && tag.local === 'text') inBody = true;
    if (!inBody) return;
    if (skipDepth > 0) {
      skipDepth++;
      return;
    }
    if (
      (tag.uri === TEXT && (tag.local === 'note' || tag.local === 'tracked-changes')) ||
      (tag.uri === OFFICE && tag.local === 'annotation') ||
      // A picture's title and description are not the form's text.
      (tag.uri === SVG && (tag.local === 'title' || tag.local === 'desc')) ||
      (tag.uri === TEXT && (tag.local === 'sequence-decls' || tag.local === 'variable-decls'))
    ) {
      skipDepth = 1;
      return;
    }
    if (tag.uri === TEXT) {
      switch (tag.local) {
        case 'p':
        case 'h':
          paragraphs.push({ text: '', style: attr(tag, TEXT, 'style-name') ?? null });
          return;
        case 'span':
        case 'a':
          spans.push(attr(tag, TEXT, 'style-name') ?? null);
          return;
        case 'line-break':
          addText('\n');
          return;
        case 'tab':
          addText(' ');
          return;
        case 's':
          addText(' '.repeat(count(attr(tag, TEXT, 'c'), 100)));
          return;
      }
      return;
    }
    if (tag.uri !== TABLE) return;
    const t = tables[tables.length - 1];
    switch (tag.local) {
      case 'table':
        tables.push({ rows: [], row: null, pending: new Map(), nextId: 0 });
        return;
      case 'table-row':
        // A repeated row is an empty one LibreOffice writes once: read once.
        if (t) t.row = [];
        return;
      case 'table-cell': {
        if (!t?.row) return;
        const cell: OpenCell = {
          blocks: [],
          colSpan: count(attr(tag, TABLE, 'number-columns-spanned'), 1000),
          rowSpan: count(attr(tag, TABLE, 'number-rows-spanned'), 10_000),
          repeat: count(attr(tag, TABLE, 'number-columns-repeated'), 1000),
        };
        addCells(cell.colSpan * cell.repeat);
        cells.push(cell);
        containers.push(cell.blocks);
        return;
      }
      case 'covered-table-cell': {
        // The place a spanned cell covers: already filled by the spanning cell's copies.
        return;
      }
    }
  };

  const text = (s: string) => {
    if (!inBody || skipDepth > 0 || paragraphs.length === 0) return;
    // Whitespace in ODF text collapses, as the spec says; text:s and text:tab carry the kept spaces.
    addText(s.replace(/[ \t\r\n]+/g, ' '));
  };

  const close = (tag: SaxesTagNS) => {
    if (tag.uri === OFFICE && tag.local === 'text') inBody = false;
    if (!inBody) return;
    if (skipDepth > 0) {
      skipDepth--;
      return;
    }
    if (tag.uri === TEXT) {
      if (tag.local === 'p' || tag.local === 'h') {
        const para = paragraphs.pop();
        if (para) {
          const lines = para.text.split('\n').map(cleanLine);
          (containers[containers.length - 1] as Block[]).push({ type: 'paragraph', lines });
        }
      } else if (tag.local === 'span' || tag.local === 'a') spans.pop();
      return;
    }
    if (tag.uri !== TABLE) return;
    const t = tables[tables.length - 1];
    switch (tag.local) {
      case 'table-cell': {
        const cell = cells.pop();
        containers.pop();
        if (!cell || !t?.row) return;
        for (let r = 0; r < cell.repeat; r++) {
          fillPending(t);
          const made = cellOfBlocks(r === 0 ? cell.blocks : [], t.nextId++);
          const start = t.row.length;
          t.row.push(made);
          for (let k = 1; k < cell.colSpan; k++) t.row.push({ ...made, merged: true });
          if (cell.rowSpan > 1)
            t.pending.set(start, { cell: made, left: cell.rowSpan - 1, span: cell.colSpan });
        }
        return;
      }
      case 'table-row':
        if (t?.row) {
          fillPending(t);
          // Trailing empty cells (a row LibreOffice filled out to the table's width) are kept: the grid is full.
          t.rows.push(t.row);
          t.row = null;
        }
        return;
      case 'table': {
        const done = tables.pop();
        if (done) (containers[containers.length - 1] as Block[]).push({ type: 'table', rows: done.rows });
        return;
      }
    }
  };
  parseXml(xml, { open, close, text });
  return body;
}
