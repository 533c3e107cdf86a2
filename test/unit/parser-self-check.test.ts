import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Block, Cell, Table } from '../../src/parser/blocks.js';
import type { ParsedInitiative } from '../../src/parser/form-types.js';
import { normalizeBlocks } from '../../src/parser/normalize-blocks.js';
import { parseForm } from '../../src/parser/parse-form.js';
import { reconcile } from '../../src/parser/reconcile.js';
import { unaccountedOf } from '../../src/registry/views/console-queries.js';
import { ConsoleViews } from '../../src/web/views.js';
import { buildDocx } from '../helpers/form-builder.js';
import { generatedCorpus } from '../helpers/form-variants.js';
import { parserOptions } from '../helpers/parser.js';
import { fixture, projectDir } from '../helpers/paths.js';
import { p, rawDocx, table } from '../helpers/raw-docx.js';
import { score, unseenCorpus } from '../helpers/unseen-layouts.js';

// The parser checks its own reading against the document: what it cannot account for, it flags.

let nextId = 0;
const row = (...texts: string[]): Cell[] =>
  texts.map((t) => ({ lines: t === '' ? [] : t.split('\n'), merged: false, id: nextId++ }));
const tbl = (...rows: Cell[][]): Table => ({ type: 'table', rows });
const para = (...lines: string[]): Block => ({ type: 'paragraph', lines });

const initiative = (fields: Partial<ParsedInitiative>): ParsedInitiative => ({
  title: '',
  summary: null,
  necessity: null,
  expected_results: null,
  products: null,
  beneficiaries: null,
  benefits: null,
  timeline: null,
  start: null,
  end: null,
  lead_unit: null,
  notes: null,
  ...fields,
});

const HEADER = row('STT', 'Tên sáng kiến', 'Mô tả tóm tắt', 'Sự cần thiết', 'Thời gian thực hiện');

describe('reconciling a reading with its document (pure)', () => {
  const doc = [
    tbl(HEADER, row('1', 'Một cửa số', 'Nộp hồ sơ qua mạng.', 'Người dân chờ lâu.', 'Năm 2022')),
    para('Nơi nhận:', '- Lưu: VT.'),
  ];
  const right = initiative({
    title: 'Một cửa số',
    summary: 'Nộp hồ sơ qua mạng.',
    necessity: 'Người dân chờ lâu.',
    timeline: 'Năm 2022',
  });

  it('finds nothing to say of a reading that accounts for every line', () => {
    const r = reconcile(doc, { initiatives: [right], results: [] });
    expect(r.uncertain).toEqual([]);
    expect(r.unaccounted).toEqual([]);
    expect(r.sources.find((s) => s.path === 'initiatives[0].necessity')?.refs).toEqual([
      { block: 0, row: 1, col: 3, line: 0 },
    ]);
  });

  it('flags text no field took, at the field its column names', () => {
    const r = reconcile(doc, { initiatives: [{ ...right, necessity: null }], results: [] });
    expect(r.uncertain).toEqual(['initiatives[0].necessity']);
    expect(r.unaccounted.map((u) => u.text)).toEqual(['Người dân chờ lâu.']);
  });

  it('flags two columns poured into one field, and the field left without its text', () => {
    const poured = { ...right, summary: 'Nộp hồ sơ qua mạng.\nNgười dân chờ lâu.', necessity: null };
    const r = reconcile(doc, { initiatives: [poured], results: [] });
    expect(r.uncertain).toEqual(['initiatives[0].necessity', 'initiatives[0].summary']);
  });

  it('flags a value that is a label, or a heading', () => {
    const r = reconcile([tbl(HEADER, row('', 'Tên sáng kiến, giải pháp', 'Mô tả tóm tắt', '', ''))], {
      initiatives: [initiative({ title: 'Tên sáng kiến, giải pháp', summary: 'Mô tả tóm tắt' })],
      results: [],
    });
    expect(r.uncertain).toEqual(['initiatives[0].summary', 'initiatives[0].title']);
  });

  it('flags one line claimed by two fields', () => {
    const twice = { ...right, necessity: 'Nộp hồ sơ qua mạng.' };
    const r = reconcile(doc, { initiatives: [twice], results: [] });
    expect(r.uncertain).toContain('initiatives[0].summary');
    expect(r.uncertain).toContain('initiatives[0].necessity');
  });

  it('flags a value that runs on into the next section of the document', () => {
    const prose = [
      para('1. Tên sáng kiến: Một cửa số', '2. Đơn vị chủ trì: Văn phòng', 'II. TỔ CHỨC THỰC HIỆN'),
    ];
    const r = reconcile(prose, {
      initiatives: [initiative({ title: 'Một cửa số', lead_unit: 'Văn phòng\nII. TỔ CHỨC THỰC HIỆN' })],
      results: [],
    });
    expect(r.uncertain).toEqual(['initiatives[0].lead_unit']);
  });

  it('flags an item lacking most of what its siblings have, and a total row read as an item', () => {
    const full = (t: string) =>
      initiative({
        title: t,
        summary: `Mô tả ${t}`,
        necessity: `Người dân chờ lâu ở ${t}`,
        timeline: 'Năm 2022',
      });
    const doc2 = [
      tbl(
        HEADER,
        row('1', 'A', 'Mô tả A', 'Người dân chờ lâu ở A', 'Năm 2022'),
        row('2', 'B', 'Mô tả B', 'Người dân chờ lâu ở B', 'Năm 2022'),
        row('', 'Tổng cộng', '2 sáng kiến', '', ''),
      ),
    ];
    const r = reconcile(doc2, {
      initiatives: [full('A'), full('B'), initiative({ title: 'Tổng cộng', summary: '2 sáng kiến' })],
      results: [],
    });
    expect(r.uncertain.filter((p) => !p.startsWith('initiatives[2]'))).toEqual([]);
    expect(r.uncertain).toContain('initiatives[2]');
  });

  it('takes labels, numbering, group headings, fields the office does not collect and closing lines as furniture', () => {
    const r = reconcile(
      [
        tbl(
          HEADER,
          row('(1)', '(2)', '(3)', '(4)', '(5)'),
          [{ lines: ['I. LĨNH VỰC HỘ TỊCH'], merged: false, id: 900 }, ...row('', '', '', '')],
          row('1', 'Một cửa số', 'Nộp hồ sơ qua mạng.', 'Người dân chờ lâu.', 'Năm 2022'),
        ),
        para('Lĩnh vực áp dụng: Hộ tịch', 'Nơi nhận:', 'Sở Nội vụ'),
      ],
      { initiatives: [right], results: [] },
    );
    expect(r.uncertain).toEqual([]);
  });
});

describe('a titled form whose items no layout reads', () => {
  it('is that form, its items left to a person, never taken for a letter', async () => {
    const bytes = rawDocx(
      table([['UBND THÀNH PHỐ HÀ NỘI\n\nSỞ Y TẾ', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM']]) +
        p('BIỂU ĐĂNG KÝ SÁNG KIẾN NĂM 2022') +
        table([
          ['1', 'Bệnh án điện tử', 'Bỏ bệnh án giấy.', 'Năm 2022'],
          ['2', 'Đặt lịch khám qua Zalo', 'Người bệnh đặt giờ khám.', 'Quý III/2022'],
        ]),
    );
    const outcome = await parseForm(bytes, 'bieu.docx', parserOptions);
    if (!outcome.ok) throw new Error(outcome.error.message);
    expect(outcome.form).toMatchObject({ kind: 'registration', agency_code: 'so-y-te' });
    expect(outcome.form.uncertain).toContain('initiatives');
  });
});

describe("Word's structures normalised before reading", () => {
  it('unwraps a one-cell frame around tables, and joins a table cut in two under a repeated header', () => {
    const inner = tbl(HEADER, row('1', 'A', 'b', 'c', 'd'));
    const frame: Table = tbl([{ lines: ['x'], merged: false, id: 500, inner: [para('Sáng kiến 1'), inner] }]);
    expect(normalizeBlocks([frame]).map((b) => b.type)).toEqual(['paragraph', 'table']);
    const joined = normalizeBlocks([
      tbl(HEADER, row('1', 'A', 'b', 'c', 'd')),
      para(''),
      tbl(
        row('STT', 'Tên sáng kiến', 'Mô tả tóm tắt', 'Sự cần thiết', 'Thời gian thực hiện'),
        row('2', 'B', 'e', 'f', 'g'),
      ),
    ]);
    expect(joined).toHaveLength(1);
    expect((joined[0] as Table).rows.map((r) => r[1]?.lines[0])).toEqual(['Tên sáng kiến', 'A', 'B']);
  });

  it('reads a table inside a cell as labels and values', () => {
    const nested = tbl(row('Sản phẩm', 'Phần mềm'), row('Lợi ích', 'Nhanh hơn'));
    const outer = tbl([
      ...row('Dự kiến kết quả'),
      { lines: ['Phần mềm | x'], merged: false, id: 700, inner: [nested] },
    ]);
    const [t] = normalizeBlocks([outer]) as Table[];
    expect(t?.rows[0]?.[1]?.lines).toEqual(['Sản phẩm: Phần mềm', 'Lợi ích: Nhanh hơn']);
  });
});

describe('forms in shapes the sample folder does not have', () => {
  const corpus = unseenCorpus();

  it('reads them right, covers every wrong field with a doubt, and flags few right ones', async () => {
    let fields = 0;
    let right = 0;
    let rightFlagged = 0;
    const silent: string[] = [];
    for (const form of corpus) {
      const outcome = await parseForm(form.bytes, `${form.name}.docx`, parserOptions);
      expect(outcome.ok, form.name).toBe(true);
      if (!outcome.ok) continue;
      const s = score(outcome.form, form.truth);
      fields += s.fields;
      right += s.right;
      rightFlagged += s.rightFlagged.length;
      silent.push(...s.silent.map((p) => `${form.name}: ${p}`));
    }
    expect(silent).toEqual([]);
    expect(right / fields).toBeGreaterThanOrEqual(0.97);
    expect(rightFlagged / right).toBeLessThanOrEqual(0.05);
  });

  it('gives an unfilled content control as an empty value, and reads a package whose main part has another name', async () => {
    const [controls] = corpus.filter((f) => f.name.startsWith('content-controls'));
    const [other] = corpus.filter((f) => f.name.startsWith('other-producer'));
    for (const form of [controls, other]) {
      const outcome = await parseForm(form?.bytes ?? Buffer.alloc(0), 'f.docx', parserOptions);
      if (!outcome.ok) throw new Error(outcome.error.message);
      expect(outcome.form.uncertain).toEqual([]);
      expect(JSON.stringify(outcome.form)).not.toMatch(/Click or tap|\u00AD|\u2011/);
    }
  });
});

describe('every reading accounts for its form or says what it could not', () => {
  const files = [
    ...readdirSync(fixture('forms'))
      .filter((f) => /\.(docx|doc|pdf)$/.test(f))
      .map((f) => ['forms', f]),
    ...readdirSync(fixture('forms', 'libreoffice'))
      .filter((f) => /\.(docx|doc|pdf)$/.test(f))
      .map((f) => ['forms', 'libreoffice', f]),
  ];

  it('lists each unaccounted line under a path that is flagged, on every fixture and variant', async () => {
    const readings = [
      ...(await Promise.all(files.map(async (f) => [f.join('/'), readFileSync(fixture(...f))] as const))),
      ...(await Promise.all(
        generatedCorpus().map(async (g) => [g.name, await buildDocx(g.blocks)] as const),
      )),
      ...unseenCorpus([7]).map((u) => [u.name, u.bytes] as const),
    ];
    for (const [name, bytes] of readings) {
      const outcome = await parseForm(
        bytes,
        name.endsWith('.pdf') || name.endsWith('.doc') ? name : `${name}.docx`,
        {
          ...parserOptions,
          explain: true,
        },
      );
      if (!outcome.ok) continue;
      const { form, explanation } = outcome;
      for (const u of form.unaccounted ?? []) expect(form.uncertain, `${name}: ${u.text}`).toContain(u.path);
      // Where each field came from is known for every field read.
      const explained = new Set(explanation?.fields.map((f) => f.path));
      form.initiatives.forEach((it, i) => {
        if (it.title) expect(explained.has(`initiatives[${i}].title`), `${name} ${i}`).toBe(true);
      });
    }
    // Every fixture and variant is read twice (once with its explanation): seconds of work on a busy machine.
  }, 60_000);
});

describe('the staff console shows what the reading left out', () => {
  it('lists the unaccounted text beside the fields, in words, where it stands and at which field, escaped', async () => {
    const [form] = unseenCorpus([1]).filter((f) => f.name.startsWith('unknown-column'));
    const outcome = await parseForm(form?.bytes ?? Buffer.alloc(0), 'f.docx', parserOptions);
    if (!outcome.ok) throw new Error(outcome.error.message);
    const stored = JSON.parse(JSON.stringify(outcome.form));
    stored.unaccounted.push({ text: '<script>alert(1)</script>', at: 'paragraph 9', path: 'initiatives' });
    const unaccounted = unaccountedOf(stored);
    expect(unaccounted[0]?.at).toBe('Bảng 2, hàng 2, ô 4');
    expect(unaccounted[0]?.field).toMatch(/^Sáng kiến 1 – Sự cần thiết/);
    const html = new ConsoleViews(join(projectDir, 'templates', 'web'), 'Asia/Ho_Chi_Minh').page(
      'submission',
      {
        message: { id: 'm1', subject: 'Đăng ký' },
        files: [
          {
            id: 'f1',
            filename: 'bieu.docx',
            unaccounted,
            initiatives: [],
            results: [],
            document: { shown: false },
          },
        ],
      },
    );
    expect(html).toContain('không xếp được vào mục nào');
    expect(html).toContain('Bảng 2, hàng 2, ô 4');
    expect(html).toContain(unaccounted[0]?.text);
    expect(html).toContain('Danh sách sáng kiến');
    expect(html).not.toContain('<script>alert(1)');
  });
});
