import { readdirSync, readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readDocx } from '../../src/parser/docx-reader.js';
import { parseForm } from '../../src/parser/parse-form.js';
import { odtOf, odtPackage, rtfOf, xlsxOf, zipOf } from '../helpers/office-files.js';
import { collapse, parserOptions } from '../helpers/parser.js';
import { fixture } from '../helpers/paths.js';

// The sample forms saved as RTF (Word's "Rich Text", also under the name .doc), OpenDocument text and an Excel
// sheet: each is read exactly as its Word original, the self-check's doubts included.

const samples = readdirSync(fixture('forms')).filter((f) => f.endsWith('.docx'));

function groundTruth(file: string) {
  const expected = JSON.parse(
    readFileSync(fixture('forms', file.replace(/\.docx$/, '.expected.json')), 'utf8'),
  );
  return {
    ...expected,
    results: expected.results.map(({ registered_title: _, ...r }: { registered_title: string }) => r),
  };
}

async function read(bytes: Buffer, name: string) {
  const outcome = await parseForm(bytes, name, parserOptions);
  if (!outcome.ok) throw new Error(`rejected: ${outcome.error.code} ${outcome.error.message}`);
  return outcome.form;
}

const rejection = async (bytes: Buffer, name: string) => {
  const outcome = await parseForm(bytes, name, parserOptions);
  return outcome.ok ? `parsed as ${outcome.form.kind}` : outcome.error.code;
};

const writers = {
  rtf: async (b) => rtfOf(b),
  'doc (RTF inside)': async (b) => rtfOf(b),
  odt: async (b) => odtOf(b),
  xlsx: xlsxOf,
} satisfies Record<string, (b: Awaited<ReturnType<typeof readDocx>>['blocks']) => Promise<Buffer>>;

describe('the sample forms in the other formats agencies send', () => {
  for (const file of samples) {
    for (const [format, write] of Object.entries(writers)) {
      it(`reads ${file} as ${format} exactly as the Word original`, async () => {
        const docx = readFileSync(fixture('forms', file));
        const original = await read(docx, file);
        const bytes = await write((await readDocx(docx)).blocks);
        const name = file.replace(/\.docx$/, `.${format.split(' ')[0]}`);
        const form = await read(bytes, name);
        const { kind, agency_code, year, initiatives, results } = form;
        expect(collapse({ kind, agency_code, year, initiatives, results })).toEqual(
          collapse(groundTruth(file)),
        );
        // The layout readers and the self-check see the same blocks: the same doubts, or none.
        expect(form.uncertain).toEqual(original.uncertain);
        const text = JSON.stringify(form);
        expect(text).toBe(text.normalize('NFC'));
      });
    }
  }
});

const rtf = (body: string, fonts = '{\\f0\\froman\\fcharset163 Times New Roman;}') =>
  Buffer.from(`{\\rtf1\\ansi\\ansicpg1258\\deff0{\\fonttbl${fonts}}\n${body}}`, 'latin1');

const paragraphs = async (bytes: Buffer, name: string) => {
  const { parseForm: _p, readBlocks } = await import('../../src/parser/parse-form.js');
  const read = await readBlocks(bytes, name.slice(name.lastIndexOf('.')), parserOptions.limits);
  if ('form' in read) throw new Error('no blocks');
  return read.blocks;
};

describe('the RTF reader', () => {
  it('decodes code page 1258 (a letter and its tone mark as two bytes), \\uN and a .VnTime font', async () => {
    const blocks = await paragraphs(
      rtf(
        // "Tiến" in 1258: e-circumflex then the combining acute; "độ" as \u; "Tên" typed in .VnTime (TCVN3).
        "Ti\\'ea\\'ecn \\u273?\\u7897? {\\f1 T\\'aan}\\par",
        '{\\f0\\froman\\fcharset163 Times New Roman;}{\\f1\\fnil\\fcharset0 .VnTime;}',
      ),
      'x.rtf',
    );
    expect(blocks).toEqual([{ type: 'paragraph', lines: ['Tiến độ Tên'] }]);
  });

  it('reads a table inside a cell (\\itap2, \\nestcell, \\nestrow) as the cell’s own table', async () => {
    const body =
      '\\trowd\\cellx3000\\cellx9000\\pard\\intbl\\itap1 Noi dung\\cell ' +
      '\\pard\\intbl\\itap2 San pham\\nestcell Phan mem\\nestcell{\\*\\nesttableprops\\trowd\\cellx5000\\cellx9000\\nestrow}{\\nonesttables\\par}' +
      '\\pard\\intbl\\itap1 \\cell\\pard\\intbl{\\trowd\\cellx3000\\cellx9000\\row}\\pard sau bang\\par';
    const blocks = await paragraphs(rtf(body), 'x.rtf');
    expect(blocks).toMatchObject([
      {
        type: 'table',
        rows: [
          [
            { lines: ['Noi dung'] },
            {
              lines: ['San pham | Phan mem'],
              inner: [{ type: 'table', rows: [[{ lines: ['San pham'] }, { lines: ['Phan mem'] }]] }],
            },
          ],
        ],
      },
      { type: 'paragraph', lines: ['sau bang'] },
    ]);
  });

  it('merges cells across (\\clmgf/\\clmrg, wider edges) and down (\\clvmgf/\\clvmrg)', async () => {
    const body =
      '\\trowd\\cellx2000\\cellx6000\\pard\\intbl A\\cell B\\cell\\row ' +
      '\\trowd\\clvmgf\\cellx2000\\cellx4000\\cellx6000\\pard\\intbl C\\cell D\\cell E\\cell\\row ' +
      '\\trowd\\clvmrg\\cellx2000\\clmgf\\cellx4000\\clmrg\\cellx6000\\pard\\intbl \\cell F\\cell \\cell\\row\\pard\\par';
    const [table] = await paragraphs(rtf(body), 'x.rtf');
    expect(table).toMatchObject({
      type: 'table',
      rows: [
        [{ lines: ['A'] }, { lines: ['B'] }, { lines: ['B'], merged: true }],
        [{ lines: ['C'] }, { lines: ['D'] }, { lines: ['E'] }],
        [{ lines: ['C'], merged: true }, { lines: ['F'] }, { lines: ['F'], merged: true }],
      ],
    });
  });

  it('reads a truncated document as far as it goes, and skips pictures, fields’ codes and list numbers', async () => {
    const body =
      '{\\*\\shppict{\\pict\\pngblip 89504e47}}{\\field{\\*\\fldinst PAGE}{\\fldrslt 3}}{\\listtext 1.\\tab}M\\u7909?c\\par ' +
      '{\\pict\\bin4 {{{{}Ghi ch\\u250?';
    const blocks = await paragraphs(
      Buffer.from(rtf(body).toString('latin1').slice(0, -1), 'latin1'),
      'x.rtf',
    );
    expect(blocks).toEqual([
      { type: 'paragraph', lines: ['3Mục'] },
      { type: 'paragraph', lines: ['Ghi chú'] },
    ]);
  });

  it('refuses a crafted RTF, telling the sender what the .doc really is', async () => {
    expect(await rejection(Buffer.from(`{\\rtf1${'{'.repeat(10_000)}x`), 'bieu.doc')).toBe('rtf_unreadable');
    expect(await rejection(Buffer.from('{\\rtf1\\ansi{\\pict\\bin99999999 ab}}'), 'bieu.doc')).toBe(
      'rtf_unreadable',
    );
  });

  it('refuses a table of more cells than any form has before building it', async () => {
    const body = `\\trowd\\cellx100\\pard\\intbl ${'x\\cell '.repeat(100_001)}\\row`;
    expect(await rejection(rtf(body), 'bieu.rtf')).toBe('too_large');
  });
});

describe('the OpenDocument reader', () => {
  it('decodes text in a .VnTime font its styles give, and keeps spaces written as text:s', async () => {
    const odt = odtPackage(
      '<text:p text:style-name="P9">T<text:span text:style-name="T9">ªn s¸ng</text:span><text:s text:c="2"/>kiÕn</text:p>',
      {
        automaticStyles:
          '<style:style style:name="P9" style:family="paragraph" style:parent-style-name="Legacy"/><style:style style:name="T9" style:family="text"/>',
        styles:
          '<style:style style:name="Legacy" style:family="paragraph"><style:text-properties style:font-name=".VnTime"/></style:style>',
      },
    );
    expect(await paragraphs(odt, 'x.odt')).toEqual([{ type: 'paragraph', lines: ['Tên sáng kiến'] }]);
  });

  it('refuses a password-protected document and one declaring entities, with their codes', async () => {
    const locked = odtPackage('<text:p>x</text:p>', {
      manifestExtra: '<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x"/>',
    });
    expect(await rejection(locked, 'bieu.odt')).toBe('encrypted');
    const laughs = Buffer.from(
      zipOf({
        mimetype: new TextEncoder().encode('application/vnd.oasis.opendocument.text'),
        'content.xml': new TextEncoder().encode(
          '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><x>&b;</x>',
        ),
      }),
    );
    expect(await rejection(laughs, 'bieu.odt')).toBe('corrupt_file');
    const broken = odtPackage('<text:p>x</text:span>');
    expect(await rejection(broken, 'bieu.odt')).toBe('corrupt_file');
  });
});

async function workbook(rows: (string | null)[][], merges: string[] = []): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Sheet1');
  rows.forEach((row, r) => {
    row.forEach((value, c) => {
      if (value !== null) sheet.getCell(r + 1, c + 1).value = value;
    });
  });
  for (const m of merges) sheet.mergeCells(m);
  book.addWorksheet('Danh mục').state = 'hidden';
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe('the Excel reader', () => {
  const header = [
    ['UBND THÀNH PHỐ HÀ NỘI', null, null, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'],
    ['SỞ TƯ PHÁP', null, null, 'Độc lập - Tự do - Hạnh phúc'],
    [],
  ];

  it('reads a sheet with one initiative per row, its title right above the header row', async () => {
    const bytes = await workbook(
      [
        ...header,
        ['BIỂU ĐĂNG KÝ SÁNG KIẾN CẢI CÁCH HÀNH CHÍNH NĂM 2021'],
        ['STT', 'Tên sáng kiến', 'Mô tả tóm tắt', 'Thời gian thực hiện', 'Đơn vị chủ trì'],
        [
          '1',
          'Số hóa hồ sơ lý lịch tư pháp',
          'Quét và lưu hồ sơ.\nTra cứu trực tuyến.',
          'Tháng 8/2021 - tháng 11/2021',
          'Văn phòng Sở',
        ],
        ['2', 'Một cửa điện tử', 'Tiếp nhận hồ sơ qua mạng.', 'Quý III/2021', 'Phòng Hành chính tư pháp'],
      ],
      ['A4:E4'],
    );
    const form = await read(bytes, 'dang-ky.xlsx');
    expect(form).toMatchObject({ kind: 'registration', agency_code: 'so-tu-phap', year: 2021 });
    expect(form.initiatives.map((i) => [i.title, i.summary, i.start, i.end, i.lead_unit])).toEqual([
      [
        'Số hóa hồ sơ lý lịch tư pháp',
        'Quét và lưu hồ sơ.\nTra cứu trực tuyến.',
        '2021-08',
        '2021-11',
        'Văn phòng Sở',
      ],
      ['Một cửa điện tử', 'Tiếp nhận hồ sơ qua mạng.', '2021-07', '2021-09', 'Phòng Hành chính tư pháp'],
    ]);
  });

  it('finds the title between the header rows and the table when no empty row sets them apart', async () => {
    const bytes = await workbook([
      ['UBND THÀNH PHỐ HÀ NỘI', null, null, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'],
      ['SỞ TƯ PHÁP', null, null, 'Độc lập - Tự do - Hạnh phúc'],
      ['BIỂU ĐĂNG KÝ SÁNG KIẾN CẢI CÁCH HÀNH CHÍNH NĂM 2021'],
      ['STT', 'Tên sáng kiến', 'Mô tả tóm tắt', 'Thời gian thực hiện', 'Đơn vị chủ trì'],
      ['1', 'Số hóa hồ sơ lý lịch tư pháp', 'Quét và lưu hồ sơ.', 'Năm 2021', 'Văn phòng Sở'],
    ]);
    const form = await read(bytes, 'dang-ky.xlsx');
    expect(form).toMatchObject({ kind: 'registration', agency_code: 'so-tu-phap', year: 2021 });
    expect(form.initiatives.map((i) => i.title)).toEqual(['Số hóa hồ sơ lý lịch tư pháp']);
  });

  it('reads a label/value sheet, its labels down a column', async () => {
    const bytes = await workbook([
      ...header,
      ['PHIẾU ĐĂNG KÝ SÁNG KIẾN NĂM 2021'],
      [],
      ['Tên sáng kiến', 'Số hóa hồ sơ lý lịch tư pháp'],
      ['Sự cần thiết', 'Hồ sơ giấy nhiều.'],
      ['Thời gian thực hiện', 'Năm 2021'],
    ]);
    const form = await read(bytes, 'dang-ky.xlsx');
    expect(form.initiatives).toMatchObject([
      {
        title: 'Số hóa hồ sơ lý lịch tư pháp',
        necessity: 'Hồ sơ giấy nhiều.',
        start: '2021-01',
        end: '2021-12',
      },
    ]);
  });

  it('says a workbook that holds no form is a spreadsheet that is not one', async () => {
    const form = await read(
      await workbook([
        ['Kinh phí', 'Số tiền'],
        ['Mua máy quét', '12.000.000'],
      ]),
      'kp.xlsx',
    );
    expect(form).toMatchObject({ kind: 'not_a_form' });
    expect(form.warnings).toContain('spreadsheet_not_a_form');
  });

  it('refuses an Excel 97-2003 workbook and a macro-enabled one, each with its own advice', async () => {
    const xls = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(504),
      Buffer.from('Workbook', 'utf16le'),
    ]);
    expect(await rejection(xls, 'bieu.xls')).toBe('legacy_spreadsheet');
    expect(await rejection(await workbook([['x']]), 'bieu.xlsm')).toBe('macro_enabled');
  });
});

describe('archives reaching the parser', () => {
  it('refuses a .rar or .7z with the advice to unpack it, and a zip of files the intake did not open', async () => {
    expect(await rejection(Buffer.from('Rar!\x1a\x07\x01\x00rest', 'latin1'), 'ho-so.rar')).toBe(
      'archive_format',
    );
    expect(await rejection(Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4]), 'ho-so.7z')).toBe(
      'archive_format',
    );
    const zip = zipOf({ 'bieu.docx': readFileSync(fixture('forms', 'dk-so-tu-phap.docx')) });
    expect(await rejection(zip, 'ho-so.zip')).toBe('archive_refused');
  });
});
