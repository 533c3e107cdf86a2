import { describe, expect, it } from 'vitest';
import { indexRegistry, resolveAgency } from '../../src/parser/header.js';
import { matchLabel, splitLabelLine } from '../../src/parser/labels.js';
import { encodeTcvn3 } from '../../src/parser/legacy-encoding.js';
import { type ParseOptions, parseForm } from '../../src/parser/parse-form.js';
import { type BlockSpec, buildDocx, header } from '../helpers/form-builder.js';
import {
  generatedCorpus,
  LABEL_VARIANTS,
  SECTION_STYLES,
  sectionLines,
  sideBySide,
} from '../helpers/form-variants.js';
import { collapse, parserOptions, registry2021 } from '../helpers/parser.js';

// Layouts and wordings the sample folder does not have, generated with their ground truth (seeded, so a
// failure names the form to rebuild), and what the parser says when it is unsure.

async function parse(blocks: BlockSpec[], options: ParseOptions = parserOptions) {
  const outcome = await parseForm(await buildDocx(blocks), 'bieu.docx', options);
  if (!outcome.ok) throw new Error(`${outcome.error.code}: ${outcome.error.message}`);
  return outcome.form;
}

describe('generated forms of every layout class', () => {
  for (const form of generatedCorpus()) {
    it(`reads ${form.name} as its ground truth, sure of every field`, async () => {
      const got = await parse(form.blocks);
      expect(collapse({ kind: got.kind, agency_code: got.agency_code, year: got.year })).toEqual({
        kind: form.truth.kind,
        agency_code: form.truth.agency_code,
        year: form.truth.year,
      });
      expect(collapse(got.initiatives)).toMatchObject(collapse(form.truth.initiatives));
      expect(got.initiatives).toHaveLength(form.truth.initiatives.length);
      expect(collapse(got.results)).toEqual(collapse(form.truth.results));
      expect(got.uncertain).toEqual([]);
    });
  }
});

describe('initiatives side by side', () => {
  it('keeps each column its own initiative, with an STT column and without', async () => {
    for (const seed of [21, 22]) {
      const form = sideBySide(seed);
      const got = await parse(form.blocks);
      expect(got.initiatives.map((i) => i.title)).toEqual(form.truth.initiatives.map((i) => i.title));
      expect(got.initiatives.map((i) => i.timeline)).toEqual(form.truth.initiatives.map((i) => i.timeline));
    }
  });

  it('takes the titles from the column headings when no row names them, and flags them', async () => {
    const got = await parse([
      ...header(['SỞ Y TẾ'], 'BIỂU ĐĂNG KÝ SÁNG KIẾN NĂM 2022'),
      {
        table: [
          [
            'Nội dung',
            'Sáng kiến 1: Bệnh án điện tử',
            'Sáng kiến 2: Thanh toán viện phí không dùng tiền mặt',
          ],
          ['Mô tả tóm tắt', 'Bỏ bệnh án giấy.', 'Thanh toán bằng mã QR.'],
          ['Sự cần thiết', 'Hồ sơ giấy thất lạc.', 'Người bệnh xếp hàng lâu.'],
          ['Tiến độ thực hiện', 'Năm 2022', 'Quý IV/2022'],
        ],
      },
    ]);
    expect(got.initiatives.map((i) => [i.title, i.start, i.end])).toEqual([
      ['Bệnh án điện tử', '2022-01', '2022-12'],
      ['Thanh toán viện phí không dùng tiền mặt', '2022-10', '2022-12'],
    ]);
    expect(got.uncertain).toEqual(['initiatives[0].title', 'initiatives[1].title']);
  });
});

describe('section lines', () => {
  it.each(SECTION_STYLES.map((style) => [style(2)]))(
    '"%s" after a last field opens the next initiative and is not part of the field',
    async (line) => {
      const got = await parse([
        ...header(['SỞ Y TẾ'], 'BIỂU ĐĂNG KÝ SÁNG KIẾN NĂM 2022'),
        { p: ['Tên sáng kiến: Một'] },
        { p: ['Mô tả tóm tắt: Ngắn.'] },
        { p: ['Thời gian thực hiện:'] },
        { p: ['Quý III/2022'] },
        { p: [line] },
        { p: ['Tên sáng kiến: Hai'] },
        { p: ['Mô tả tóm tắt: Dài.'] },
      ]);
      expect(got.initiatives.map((i) => [i.title, i.timeline])).toEqual([
        ['Một', 'Quý III/2022'],
        ['Hai', null],
      ]);
    },
  );

  it.each([
    ['SÁNG KIẾN 2. ĐẶT LỊCH KHÁM TRỰC TUYẾN', 'ĐẶT LỊCH KHÁM TRỰC TUYẾN', []],
    ['Sáng kiến 2 - Đặt lịch khám trực tuyến', 'Đặt lịch khám trực tuyến', []],
    ['Giải pháp thứ hai: Đặt lịch khám trực tuyến', 'Đặt lịch khám trực tuyến', []],
  ])('takes the title a section line carries: "%s"', async (line, title, uncertain) => {
    const got = await parse([
      ...header(['SỞ Y TẾ'], 'BIỂU ĐĂNG KÝ SÁNG KIẾN NĂM 2022'),
      { p: ['Tên sáng kiến: Một'] },
      { p: ['Mô tả tóm tắt: Ngắn.'] },
      { p: [line] },
      { p: ['Mô tả tóm tắt: Dài.'] },
    ]);
    expect(got.initiatives.map((i) => [i.title, i.summary])).toEqual([
      ['Một', 'Ngắn.'],
      [title, 'Dài.'],
    ]);
    expect(got.uncertain).toEqual(uncertain);
  });

  it('takes the line after a bare section line as the title when it has no label, and flags it', async () => {
    const got = await parse([
      ...header(['SỞ Y TẾ'], 'BIỂU ĐĂNG KÝ SÁNG KIẾN NĂM 2022'),
      { p: ['SÁNG KIẾN THỨ NHẤT'] },
      { p: ['Bệnh án điện tử'] },
      { p: ['1. Mô tả tóm tắt: Bỏ bệnh án giấy.'] },
      { p: ['SÁNG KIẾN THỨ HAI'] },
      { p: ['Đặt lịch khám trực tuyến'] },
      { p: ['1. Mô tả tóm tắt: Qua Zalo.'] },
    ]);
    expect(got.initiatives.map((i) => [i.title, i.summary])).toEqual([
      ['Bệnh án điện tử', 'Bỏ bệnh án giấy.'],
      ['Đặt lịch khám trực tuyến', 'Qua Zalo.'],
    ]);
    expect(got.uncertain).toEqual(['initiatives[0].title', 'initiatives[1].title']);
  });

  it('ends a value cell at a section line inside it and reads on', async () => {
    const got = await parse([
      ...header(['SỞ Y TẾ'], 'BIỂU ĐĂNG KÝ SÁNG KIẾN NĂM 2022'),
      {
        table: [
          ['Tên sáng kiến', 'Một'],
          ['Mô tả tóm tắt', 'Ngắn.'],
          ['Ghi chú', 'Không\nSÁNG KIẾN SỐ 2\nTên sáng kiến: Hai\nMô tả tóm tắt: Dài.'],
        ],
      },
    ]);
    expect(got.initiatives.map((i) => [i.title, i.summary, i.notes])).toEqual([
      ['Một', 'Ngắn.', 'Không'],
      ['Hai', 'Dài.', null],
    ]);
  });

  it('reads a form set as prose inside a one-cell frame', async () => {
    const every = sectionLines(3);
    const got = await parse([
      ...header(['SỞ Y TẾ'], 'BIỂU ĐĂNG KÝ SÁNG KIẾN NĂM 2022'),
      {
        table: [
          [
            {
              lines: [
                ['Sáng kiến 1'],
                ['1. Tên sáng kiến: Một'],
                ['2. Mô tả tóm tắt: Ngắn.'],
                ['Sáng kiến 2'],
                ['1. Tên sáng kiến: Hai'],
                ['2. Mô tả tóm tắt: Dài.'],
              ],
            },
          ],
        ],
      },
    ]);
    expect(every.blocks.length).toBeGreaterThan(0);
    expect(got.initiatives.map((i) => [i.title, i.summary])).toEqual([
      ['Một', 'Ngắn.'],
      ['Hai', 'Dài.'],
    ]);
  });
});

describe('tables read as the structure says', () => {
  const title = header(['SỞ Y TẾ'], 'PHIẾU ĐĂNG KÝ SÁNG KIẾN NĂM 2022');

  it('reads "label: value" set in the cells of a numbered table, and passes over fields it does not know', async () => {
    const got = await parse([
      ...title,
      {
        table: [
          ['1.', 'Tên sáng kiến: Bệnh án điện tử'],
          ['2.', 'Mô tả tóm tắt: Bỏ bệnh án giấy.'],
          ['3.', 'Thời gian thực hiện: Năm 2022'],
        ],
      },
      {
        table: [
          ['Tên sáng kiến', 'Đặt lịch khám'],
          ['Lĩnh vực áp dụng', 'Khám chữa bệnh'],
          ['Mô tả tóm tắt', 'Đặt lịch qua Zalo.'],
        ],
      },
    ]);
    expect(got.kind).toBe('registration');
    expect(got.initiatives.map((i) => [i.title, i.summary, i.timeline])).toEqual([
      ['Bệnh án điện tử', 'Bỏ bệnh án giấy.', 'Năm 2022'],
      ['Đặt lịch khám', 'Đặt lịch qua Zalo.', null],
    ]);
    expect(got.uncertain).toEqual([]);
  });

  it('reads expected results split into sub-rows of a side-by-side table', async () => {
    const got = await parse([
      ...title,
      {
        table: [
          [{ lines: [['Nội dung']], span: 2 }, 'Sáng kiến 1', 'Sáng kiến 2'],
          [{ lines: [['Tên sáng kiến']], span: 2 }, 'Bệnh án điện tử', 'Đặt lịch khám'],
          [{ lines: [['Kết quả dự kiến']], vMerge: 'restart' }, 'Sản phẩm', 'Phần mềm', 'Trang đặt lịch'],
          [{ lines: [[]], vMerge: 'continue' }, 'Đối tượng thụ hưởng', 'Người bệnh', 'Người dân'],
          [{ lines: [[]], vMerge: 'continue' }, 'Lợi ích', 'Không giấy', 'Không chờ'],
          [{ lines: [['Thời gian thực hiện']], span: 2 }, 'Năm 2022', 'Quý IV/2022'],
        ],
      },
    ]);
    expect(
      got.initiatives.map((i) => [i.title, i.products, i.beneficiaries, i.benefits, i.expected_results]),
    ).toEqual([
      ['Bệnh án điện tử', 'Phần mềm', 'Người bệnh', 'Không giấy', 'Phần mềm\nNgười bệnh\nKhông giấy'],
      ['Đặt lịch khám', 'Trang đặt lịch', 'Người dân', 'Không chờ', 'Trang đặt lịch\nNgười dân\nKhông chờ'],
    ]);
  });

  it('reads an item written over several rows under one merged title as one item', async () => {
    const got = await parse([
      ...title,
      {
        table: [
          ['STT', 'Tên sáng kiến', 'Mô tả tóm tắt', 'Dự kiến kết quả', 'Thời gian thực hiện'],
          [
            { lines: [['1']], vMerge: 'restart' },
            { lines: [['Bệnh án điện tử']], vMerge: 'restart' },
            { lines: [['Bỏ bệnh án giấy.']], vMerge: 'restart' },
            '- Sản phẩm: phần mềm',
            { lines: [['Năm 2022']], vMerge: 'restart' },
          ],
          [
            { lines: [[]], vMerge: 'continue' },
            { lines: [[]], vMerge: 'continue' },
            { lines: [[]], vMerge: 'continue' },
            '- Lợi ích: không giấy',
            { lines: [[]], vMerge: 'continue' },
          ],
          ['2', 'Đặt lịch khám', 'Qua Zalo.', 'Không chờ', 'Quý IV/2022'],
        ],
      },
    ]);
    expect(got.initiatives.map((i) => [i.title, i.expected_results, i.products, i.benefits])).toEqual([
      ['Bệnh án điện tử', '- Sản phẩm: phần mềm\n- Lợi ích: không giấy', 'phần mềm', 'không giấy'],
      ['Đặt lịch khám', 'Không chờ', null, null],
    ]);
    expect(got.uncertain).toEqual([]);
  });

  it('keeps a header row split under a merged label in the header', async () => {
    const got = await parse([
      ...title,
      {
        table: [
          [
            { lines: [['STT']], vMerge: 'restart' },
            { lines: [['Tên sáng kiến']], vMerge: 'restart' },
            { lines: [['Mô tả tóm tắt']], vMerge: 'restart' },
            { lines: [['Thời gian thực hiện']], span: 2 },
          ],
          [
            { lines: [[]], vMerge: 'continue' },
            { lines: [[]], vMerge: 'continue' },
            { lines: [[]], vMerge: 'continue' },
            'Bắt đầu',
            'Kết thúc',
          ],
          ['1', 'Bệnh án điện tử', 'Bỏ bệnh án giấy.', 'Tháng 8/2022', 'Tháng 12/2022'],
        ],
      },
    ]);
    expect(got.initiatives.map((i) => [i.title, i.start, i.end])).toEqual([
      ['Bệnh án điện tử', '2022-08', '2022-12'],
    ]);
  });

  it('flags the items of a table labelled both along its first row and down its first column', async () => {
    const got = await parse([
      ...title,
      {
        table: [
          ['Tên sáng kiến', 'Mô tả tóm tắt', 'Sự cần thiết'],
          ['Mô tả tóm tắt', 'a', 'b'],
          ['Sự cần thiết', 'c', 'd'],
          ['Thời gian thực hiện', 'e', 'f'],
        ],
      },
    ]);
    expect(got.uncertain).toContain('initiatives');
  });
});

describe('results tables', () => {
  it('finds the status by what its cells say when the header names no status', async () => {
    const got = await parse([
      ...header(['SỞ Y TẾ'], 'BÁO CÁO KẾT QUẢ THỰC HIỆN SÁNG KIẾN NĂM 2022'),
      {
        table: [
          ['TT', 'Tên sáng kiến', 'Thời gian hoàn thành', 'Đánh giá', 'Hiệu quả đạt được', 'Đơn vị báo cáo'],
          ['1', 'Bệnh án điện tử', 'Tháng 10/2022', 'Đã hoàn thành', 'Bỏ bệnh án giấy', 'Bệnh viện Đống Đa'],
          ['2', 'Đặt lịch khám', 'Tháng 12/2022', 'Đang triển khai', '30% lượt khám', 'Bệnh viện Thanh Nhàn'],
        ],
      },
    ]);
    expect(got.kind).toBe('results_report');
    expect(got.results).toEqual([
      { title: 'Bệnh án điện tử', status: 'completed', outcome: 'Bỏ bệnh án giấy' },
      { title: 'Đặt lịch khám', status: 'in_progress', outcome: '30% lượt khám' },
    ]);
  });
});

describe('results reports in key-value tables', () => {
  it('reads what was achieved as the outcome', async () => {
    const got = await parse([
      ...header(['SỞ Y TẾ'], 'BÁO CÁO KẾT QUẢ THỰC HIỆN SÁNG KIẾN NĂM 2022'),
      {
        table: [
          ['Tên sáng kiến', 'Bệnh án điện tử'],
          ['Tình hình thực hiện', 'Đang triển khai'],
          ['Kết quả đạt được', 'Bỏ bệnh án giấy ở 3 khoa.'],
        ],
      },
    ]);
    expect(got.results).toEqual([
      { title: 'Bệnh án điện tử', status: 'in_progress', outcome: 'Bỏ bệnh án giấy ở 3 khoa.' },
    ]);
  });
});

describe('results reports in prose', () => {
  it('reads a status written under the timeline label as the status', async () => {
    const got = await parse([
      ...header(['SỞ Y TẾ'], 'BÁO CÁO KẾT QUẢ THỰC HIỆN SÁNG KIẾN NĂM 2022'),
      { p: ['Sáng kiến 1'] },
      { p: ['1. Tên sáng kiến: Bệnh án điện tử'] },
      { p: ['2. Thời gian hoàn thành: Tháng 10/2022'] },
      { p: ['3. Tiến độ thực hiện: Đã hoàn thành'] },
      { p: ['4. Hiệu quả đạt được: Bỏ bệnh án giấy.'] },
    ]);
    expect(got.kind).toBe('results_report');
    expect(got.results).toEqual([
      { title: 'Bệnh án điện tử', status: 'completed', outcome: 'Bỏ bệnh án giấy.' },
    ]);
  });
});

describe('a commune under its district', () => {
  const withCommune: ParseOptions = {
    ...parserOptions,
    registry: [
      ...parserOptions.registry,
      { code: 'xa-bat-trang', name: 'UBND xã Bát Tràng', kind: 'commune' },
    ],
  };
  const form = (lines: string[]) => [
    ...header(lines, 'BIỂU ĐĂNG KÝ SÁNG KIẾN NĂM 2022'),
    { p: ['Tên sáng kiến: Một cửa xã không giấy tờ'] },
    { p: ['Mô tả tóm tắt: Số hóa hồ sơ.'] },
  ];

  it('resolves to the commune when the registry has it', async () => {
    expect((await parse(form(['UBND HUYỆN GIA LÂM', 'UBND XÃ BÁT TRÀNG']), withCommune)).agency_code).toBe(
      'xa-bat-trang',
    );
    expect((await parse(form(['UBND HUYEN GIA LAM', 'UBND XA BAT TRANG']), withCommune)).agency_code).toBe(
      'xa-bat-trang',
    );
  });

  it('knows a commune by its name when the registry gives it another kind', async () => {
    const options: ParseOptions = {
      ...parserOptions,
      registry: [...parserOptions.registry, { code: 'xa-bat-trang', name: 'UBND xã Bát Tràng', kind: 'xa' }],
    };
    const got = await parse(form(['UBND HUYỆN GIA LÂM', 'UBND XÃ BÁT TRÀNG']), options);
    expect(got.agency_code).toBe('xa-bat-trang');
    expect(got.uncertain).toEqual([]);
  });

  it('resolves to the district when the registry has no such commune', async () => {
    const got = await parse(form(['UBND HUYỆN GIA LÂM', 'UBND XÃ BÁT TRÀNG']));
    expect(got.agency_code).toBe('huyen-gia-lam');
  });
});

describe('headers written short', () => {
  const index = indexRegistry(registry2021);
  it.each([
    [['UBND TX SƠN TÂY'], 'tx-son-tay'],
    [['UBND Q. CẦU GIẤY'], 'quan-cau-giay'],
    [['UBND H. GIA LÂM'], 'huyen-gia-lam'],
    [['UBND THÀNH PHỐ HÀ NỘI', 'SỞ GD&ĐT'], 'so-giao-duc-dao-tao'],
    [['UBND TP HÀ NỘI', 'SỞ LĐTB&XH'], 'so-lao-dong-tbxh'],
    [['SỞ NN&PTNT'], 'so-nong-nghiep-ptnt'],
    [['SỞ TN&MT'], 'so-tai-nguyen-moi-truong'],
    [['SỞ GIAO THÔNG VẬN', 'TẢI'], 'so-giao-thong-van-tai'],
    [
      ['UBND THÀNH PHỐ HÀ NỘI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'SỞ TƯ PHÁP Độc lập - Tự do - Hạnh phúc'],
      'so-tu-phap',
    ],
  ])('finds %j', (lines, code) => {
    expect(resolveAgency(lines, index)).toMatchObject({ agency: { code }, loose: false });
  });

  it('takes a name a letter off only loosely', () => {
    expect(resolveAgency(['SỞ TÀI NGUYÊN VÀ MÔI TRỜNG'], index)).toMatchObject({
      agency: { code: 'so-tai-nguyen-moi-truong' },
      loose: true,
    });
  });
});

describe('label vocabulary', () => {
  it.each(Object.entries(LABEL_VARIANTS).flatMap(([key, list]) => list.map((label) => [label, key])))(
    'reads "%s" as %s',
    (label, key) => {
      expect(matchLabel(label)?.key).toBe(key);
    },
  );

  it('splits a label at the first colon outside its parentheses', () => {
    expect(splitLabelLine('1. Tên sáng kiến (ghi rõ: tên gọi): Bệnh án điện tử')).toMatchObject({
      key: 'title',
      value: 'Bệnh án điện tử',
    });
  });

  it('reads a label with its known words later, or misspelt, only loosely', () => {
    expect(matchLabel('Nêu rõ sự cần thiết')).toBeNull();
    expect(matchLabel('Nêu rõ sự cần thiết', { loose: true })).toEqual({ key: 'necessity', loose: true });
    expect(matchLabel('Thoi gain thuc hien', { loose: true })).toEqual({ key: 'timeline', loose: true });
    expect(matchLabel('Người dân chờ đợi lâu', { loose: true })).toBeNull();
  });
});

describe('uncertain fields', () => {
  const title = header(['SỞ Y TẾ'], 'BIỂU ĐĂNG KÝ SÁNG KIẾN NĂM 2022');

  it('names a loosely read label, an empty field and an initiative without a title, sorted', async () => {
    const got = await parse([
      ...title,
      {
        table: [
          [
            'STT',
            'Tên sáng kiến',
            'Mô tả tóm tắt',
            'Nêu rõ sự cần thiết',
            'Kết quả dự kiến',
            'Thời gian thực hiện',
          ],
          ['1', 'Bệnh án điện tử', 'Bỏ bệnh án giấy.', 'Hồ sơ thất lạc.', 'Không còn giấy.', ''],
          ['2', '', 'Thanh toán bằng mã QR.', 'Xếp hàng lâu.', 'Không xếp hàng.', 'Năm 2022'],
        ],
      },
    ]);
    expect(got.initiatives).toHaveLength(2);
    expect(got.uncertain).toEqual([
      'initiatives[0].necessity',
      'initiatives[0].timeline',
      'initiatives[1].necessity',
      'initiatives[1].title',
    ]);
  });

  it('names text recovered from a legacy encoding by its characters only', async () => {
    const got = await parse([
      ...title,
      { p: [encodeTcvn3('Tên sáng kiến: Bộ phận một cửa không giấy tờ')] },
      { p: ['Mô tả tóm tắt: Số hóa hồ sơ ngay khi tiếp nhận.'] },
    ]);
    expect(got.initiatives[0]?.title).toBe('Bộ phận một cửa không giấy tờ');
    expect(got.uncertain).toEqual(['initiatives[0].title']);
  });

  it('names the agency and the year when the header does not give them', async () => {
    const got = await parse([
      ...header(['CÔNG TY ABC'], 'BIỂU ĐĂNG KÝ SÁNG KIẾN'),
      { p: ['Tên sáng kiến: Một'] },
      { p: ['Mô tả tóm tắt: Ngắn.'] },
    ]);
    expect(got.uncertain).toEqual(expect.arrayContaining(['agency_code']));
  });
});
