// The same form in the other formats agencies send, built from its blocks as the producers write them (no
// office suite is installed where the tests run): RTF as Word's "Save As Rich Text" writes it, OpenDocument text
// as LibreOffice Writer writes it, and an Excel sheet laid out like the form. Also zip archives of files.
import ExcelJS from 'exceljs';
import { zipSync } from 'fflate';
import iconv from 'iconv-lite';
import type { Block, Cell, Table } from '../../src/parser/blocks.js';

const enc = new TextEncoder();

/** The distinct cells of a grid row, with the columns each spans: a merged cell once. */
function spans(row: Cell[]): { cell: Cell; from: number; to: number }[] {
  const out: { cell: Cell; from: number; to: number }[] = [];
  row.forEach((cell, c) => {
    const last = out[out.length - 1];
    if (last && last.cell.id === cell.id) last.to = c;
    else out.push({ cell, from: c, to: c });
  });
  return out;
}

/** A cell that continues the one above it (a vertical merge). */
const continuesAbove = (t: Table, r: number, c: number) =>
  r > 0 && t.rows[r - 1]?.[c]?.id === t.rows[r]?.[c]?.id;

// ---------------------------------------------------------------------------------------------------- RTF

/** Text as Word writes it in RTF: a character of code page 1258 as `\'hh`, any other as `\uN?`. */
function rtfText(s: string): string {
  let out = '';
  for (const ch of s.normalize('NFC')) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\' || ch === '{' || ch === '}') out += `\\${ch}`;
    else if (code < 0x80) out += ch;
    else {
      const bytes = iconv.encode(ch, 'windows1258');
      if (bytes.length === 1 && iconv.decode(bytes, 'windows1258') === ch)
        out += `\\'${(bytes[0] as number).toString(16)}`;
      else {
        // A character beyond 16 bits is written as its two UTF-16 halves.
        for (let k = 0; k < ch.length; k++) {
          const unit = ch.charCodeAt(k);
          out += `\\u${unit > 0x7fff ? unit - 0x10000 : unit}?`;
        }
      }
    }
  }
  return out;
}

const rtfLines = (lines: string[]) => lines.map(rtfText).join('\\line ');

function rtfTable(t: Table): string {
  let out = '';
  t.rows.forEach((row, r) => {
    const cells = spans(row);
    const def = cells
      .map(({ cell, from, to }) => {
        const below = t.rows[r + 1]?.[from]?.id === cell.id;
        const merge = continuesAbove(t, r, from) ? '\\clvmrg' : below ? '\\clvmgf' : '';
        return `${merge}\\clbrdrt\\brdrs\\clbrdrb\\brdrs\\cellx${(to + 1) * 1400}`;
      })
      .join('');
    const trowd = `\\trowd\\irow${r}\\trgaph108\\trleft-108${def}`;
    const content = cells
      .map(({ cell, from }) => {
        const text = continuesAbove(t, r, from) ? '' : rtfLines(cell.lines);
        return `\\pard\\plain \\ltrpar\\ql\\intbl {\\rtlch\\fcs1 \\af0 \\ltrch\\fcs0 \\f0\\fs26\\insrsid1 ${text}}\\cell `;
      })
      .join('');
    out += `${trowd}\n${content}\\pard\\plain \\ltrpar\\intbl {${trowd}\\row }\n`;
  });
  return out;
}

/** The blocks as an RTF document, as Word writes it (`\ansicpg1258`, a font table, tables row by row). */
export function rtfOf(blocks: readonly Block[]): Buffer {
  let body = '';
  for (const b of blocks) {
    if (b.type === 'paragraph')
      body += `\\pard\\plain \\ltrpar\\qc {\\rtlch\\fcs1 \\af0 \\ltrch\\fcs0 \\f0\\fs26\\lang1066 ${rtfLines(b.lines)}}\\par\n`;
    else body += rtfTable(b);
  }
  const head =
    '{\\rtf1\\adeflang1025\\ansi\\ansicpg1258\\uc1\\adeff0\\deff0\\stshfdbch0\\stshfloch0\\deflang1066' +
    '{\\fonttbl{\\f0\\fbidi \\froman\\fcharset163\\fprq2{\\*\\panose 02020603050405020304}Times New Roman;}' +
    '{\\f1\\fbidi \\fswiss\\fcharset0\\fprq2 Arial;}}\n{\\colortbl;\\red0\\green0\\blue0;}\n' +
    '{\\stylesheet{\\ql \\f0\\fs24 \\snext0 Normal;}}\n{\\*\\generator Microsoft Word 16.0;}' +
    '{\\info{\\title Bieu dang ky}{\\author Van thu}}\\paperw11906\\paperh16838\n';
  return Buffer.from(`${head}${body}}`, 'latin1');
}

// ---------------------------------------------------------------------------------------------------- ODT

const xml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function odtParagraph(lines: string[], style = 'P1'): string {
  // Runs of spaces are written as text:s, as Writer does.
  const line = (l: string) => xml(l).replace(/ {2,}/g, (m) => ` <text:s text:c="${m.length - 1}"/>`);
  return `<text:p text:style-name="${style}"><text:span text:style-name="T1">${lines.map(line).join('<text:line-break/>')}</text:span></text:p>`;
}

function odtTable(t: Table, n: number): string {
  const width = Math.max(...t.rows.map((r) => r.length));
  let out = `<table:table table:name="Table${n}" table:style-name="Table${n}"><table:table-column table:style-name="Table${n}.A" table:number-columns-repeated="${width}"/>`;
  t.rows.forEach((row, r) => {
    out += '<table:table-row>';
    for (const { cell, from, to } of spans(row)) {
      if (continuesAbove(t, r, from)) {
        for (let c = from; c <= to; c++) out += '<table:covered-table-cell/>';
        continue;
      }
      let down = 1;
      while (t.rows[r + down]?.[from]?.id === cell.id) down++;
      const span = to - from + 1;
      const attrs = `${span > 1 ? ` table:number-columns-spanned="${span}"` : ''}${down > 1 ? ` table:number-rows-spanned="${down}"` : ''}`;
      const inner = cell.inner ? odtBody(cell.inner, n * 10) : odtParagraph(cell.lines, 'P2');
      out += `<table:table-cell table:style-name="Table${n}.A1"${attrs} office:value-type="string">${inner}</table:table-cell>`;
      for (let c = from + 1; c <= to; c++) out += '<table:covered-table-cell/>';
    }
    out += '</table:table-row>';
  });
  return `${out}</table:table>`;
}

function odtBody(blocks: readonly Block[], n = 0): string {
  return blocks
    .map((b, i) => (b.type === 'paragraph' ? odtParagraph(b.lines) : odtTable(b, n + i + 1)))
    .join('');
}

const NS =
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" ' +
  'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" ' +
  'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" ' +
  'office:version="1.3"';

/** An OpenDocument text of the content.xml body given (and optional styles), as Writer packs it. */
export function odtPackage(
  body: string,
  { automaticStyles = '', styles = '', manifestExtra = '' } = {},
): Buffer {
  const content = `<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content ${NS}><office:font-face-decls><style:font-face style:name="Times New Roman" svg:font-family="&apos;Times New Roman&apos;"/></office:font-face-decls><office:automatic-styles><style:style style:name="T1" style:family="text"><style:text-properties fo:font-size="13pt"/></style:style>${automaticStyles}</office:automatic-styles><office:body><office:text><text:sequence-decls><text:sequence-decl text:display-outline-level="0" text:name="Table"/></text:sequence-decls>${body}</office:text></office:body></office:document-content>`;
  const stylesXml = `<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles ${NS}><office:styles><style:default-style style:family="paragraph"><style:text-properties style:font-name="Times New Roman"/></style:default-style>${styles}</office:styles></office:document-styles>`;
  const manifest = `<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">${manifestExtra}</manifest:file-entry><manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/></manifest:manifest>`;
  return Buffer.from(
    zipSync({
      mimetype: [enc.encode('application/vnd.oasis.opendocument.text'), { level: 0 }],
      'content.xml': enc.encode(content),
      'styles.xml': enc.encode(stylesXml),
      'META-INF/manifest.xml': enc.encode(manifest),
    }),
  );
}

/** The blocks as an .odt, as LibreOffice Writer writes it (spanned cells, covered cells, text:s spaces). */
export function odtOf(blocks: readonly Block[]): Buffer {
  return odtPackage(odtBody(blocks));
}

// ---------------------------------------------------------------------------------------------------- XLSX

/**
 * The blocks as one Excel sheet laid out like the form: each paragraph a row (a line break in its cell), each
 * table's cells in place with its merged cells merged, an empty row between a table and what is around it.
 */
export async function xlsxOf(blocks: readonly Block[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Biểu');
  let r = 1;
  let previous: Block['type'] | null = null;
  for (const b of blocks) {
    if (previous !== null && (b.type === 'table' || previous === 'table')) r++;
    previous = b.type;
    if (b.type === 'paragraph') {
      if (b.lines.some((l) => l !== '')) sheet.getCell(r, 1).value = b.lines.join('\n');
      r++;
      continue;
    }
    b.rows.forEach((row, i) => {
      for (const { cell, from, to } of spans(row)) {
        if (continuesAbove(b, i, from)) continue;
        let down = 1;
        while (b.rows[i + down]?.[from]?.id === cell.id) down++;
        if (cell.lines.length > 0) sheet.getCell(r + i, from + 1).value = cell.lines.join('\n');
        if (to > from || down > 1) sheet.mergeCells(r + i, from + 1, r + i + down - 1, to + 1);
      }
    });
    r += b.rows.length;
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

// ---------------------------------------------------------------------------------------------------- ZIP

/** A zip archive of the files given (names as written, UTF-8 flagged as fflate writes them). */
export function zipOf(files: Record<string, Uint8Array>): Buffer {
  return Buffer.from(zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, v]))));
}
