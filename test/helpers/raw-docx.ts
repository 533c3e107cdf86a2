import { strToU8, zipSync } from 'fflate';

// Word files written as XML by hand, for the structures a document library does not make: content controls,
// legacy form fields, tracked changes and comments, tables inside cells, a main part under another name (as
// other producers write it). Only what a reader needs is written; Word itself opens such a package.

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Runs of text; a string may hold "\n" for soft line breaks. */
export const run = (text: string, rPr = '') =>
  text
    .split('\n')
    .map(
      (t, i) =>
        `${i > 0 ? '<w:r><w:br/></w:r>' : ''}<w:r>${rPr}<w:t xml:space="preserve">${esc(t)}</w:t></w:r>`,
    )
    .join('');

export const para = (inner: string) => `<w:p>${inner}</w:p>`;
export const p = (text: string) => para(run(text));

export interface RawCell {
  /** The cell's body: paragraphs and tables as XML. */
  xml: string;
  span?: number;
  vMerge?: 'restart' | 'continue';
}

const cell = (textOrXml: string | RawCell): RawCell =>
  typeof textOrXml === 'string' ? { xml: textOrXml.split('\n\n').map(p).join('') || '<w:p/>' } : textOrXml;

export function table(rows: (string | RawCell)[][]): string {
  const body = rows
    .map((r) => {
      const cells = r.map((c) => {
        const { xml, span, vMerge } = cell(c);
        const tcPr = `<w:tcPr>${span ? `<w:gridSpan w:val="${span}"/>` : ''}${
          vMerge ? `<w:vMerge${vMerge === 'restart' ? ' w:val="restart"' : ''}/>` : ''
        }</w:tcPr>`;
        return `<w:tc>${tcPr}${xml || '<w:p/>'}</w:tc>`;
      });
      return `<w:tr>${cells.join('')}</w:tr>`;
    })
    .join('');
  const width = Math.max(...rows.map((r) => r.reduce((n, c) => n + (cell(c).span ?? 1), 0)));
  const grid = `<w:tblGrid>${'<w:gridCol w:w="1500"/>'.repeat(width)}</w:tblGrid>`;
  return `<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/></w:tblPr>${grid}${body}</w:tbl>`;
}

/** A content control holding text, or its prompt in Word's placeholder style when left unfilled. */
export const contentControl = (value: string | null) =>
  value === null
    ? `<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>${run('Click or tap here to enter text.', '<w:rPr><w:rStyle w:val="PlaceholderText"/></w:rPr>')}</w:sdtContent></w:sdt>`
    : `<w:sdt><w:sdtPr><w:alias w:val="Nội dung"/></w:sdtPr><w:sdtContent>${run(value)}</w:sdtContent></w:sdt>`;

/** A legacy text form field (FORMTEXT) showing `value`. */
export const formField = (value: string) =>
  `<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Text1"/><w:enabled/><w:textInput/></w:ffData></w:fldChar></w:r>` +
  `<w:r><w:instrText xml:space="preserve"> FORMTEXT </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>` +
  `${run(value)}<w:r><w:fldChar w:fldCharType="end"/></w:r>`;

/** Text with a tracked insertion and a tracked deletion: read as if the changes were accepted. */
export const tracked = (kept: string, inserted: string, deleted: string) =>
  `${run(kept)}<w:ins w:id="1" w:author="A" w:date="2022-03-01T00:00:00Z">${run(inserted)}</w:ins>` +
  `<w:del w:id="2" w:author="A" w:date="2022-03-01T00:00:00Z"><w:r><w:delText xml:space="preserve">${esc(deleted)}</w:delText></w:r></w:del>`;

/** Text with a comment anchored on it (the comment's own text lives in comments.xml, not in the body). */
export const commented = (text: string, id: number) =>
  `<w:commentRangeStart w:id="${id}"/>${run(text)}<w:commentRangeEnd w:id="${id}"/><w:r><w:commentReference w:id="${id}"/></w:r>`;

export interface RawDocxOptions {
  /** Where the main part lives (other producers do not always use word/document.xml). */
  mainPart?: string;
  comments?: string[];
}

/** A .docx package of the given body XML. */
export function rawDocx(
  body: string,
  { mainPart = 'word/document.xml', comments = [] }: RawDocxOptions = {},
): Buffer {
  const dir = mainPart.slice(0, mainPart.lastIndexOf('/'));
  const name = mainPart.slice(mainPart.lastIndexOf('/') + 1);
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/${mainPart}" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>${comments.length ? `<Override PartName="/${dir}/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>` : ''}</Types>`,
    ),
    '_rels/.rels': strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="${mainPart}"/></Relationships>`,
    ),
    [`${dir}/_rels/${name}.rels`]: strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${comments.length ? '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/>' : ''}</Relationships>`,
    ),
    [mainPart]: strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="${W}"><w:body>${body}<w:sectPr/></w:body></w:document>`,
    ),
  };
  if (comments.length) {
    files[`${dir}/comments.xml`] = strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:comments xmlns:w="${W}">${comments
        .map((c, i) => `<w:comment w:id="${i + 1}" w:author="A"><w:p>${run(c)}</w:p></w:comment>`)
        .join('')}</w:comments>`,
    );
  }
  return Buffer.from(zipSync(files));
}
