import type { BlockSpec, CellSpec } from './form-builder.js';
import { header } from './form-builder.js';

// Generated forms, each with its ground truth: the layouts and wordings agencies use that the sample folder
// lacks (initiatives side by side, section lines of every style, results tables with extra or reordered
// columns, label variants). A seed picks the agency, the items, the wording and the layout, so a failing form
// can be built again from its seed alone.

interface GeneratedInitiative {
  title: string;
  summary: string;
  necessity: string;
  expected_results: string;
  timeline: string;
  start: string | null;
  end: string | null;
  lead_unit: string | null;
  notes: string | null;
}

interface GeneratedResult {
  title: string;
  status: 'completed' | 'in_progress' | 'not_started' | 'unknown';
  outcome: string;
}

export interface GeneratedForm {
  name: string;
  blocks: BlockSpec[];
  truth: {
    kind: 'registration' | 'results_report';
    agency_code: string;
    year: number;
    initiatives: GeneratedInitiative[];
    results: GeneratedResult[];
  };
}

/** A small deterministic generator (mulberry32): the same seed gives the same form. */
export function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const shuffle = <T>(xs: readonly T[]): T[] => {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  };
  return { next, pick, shuffle };
}
type Rng = ReturnType<typeof random>;

const AGENCIES = [
  { code: 'so-y-te', lines: ['UBND THÀNH PHỐ HÀ NỘI', 'SỞ Y TẾ'] },
  { code: 'so-xay-dung', lines: ['UBND THÀNH PHỐ HÀ NỘI', 'SỞ XÂY DỰNG'] },
  { code: 'huyen-dong-anh', lines: ['ỦY BAN NHÂN DÂN', 'HUYỆN ĐÔNG ANH'] },
  { code: 'quan-hoan-kiem', lines: ['UBND QUẬN HOÀN KIẾM'] },
  { code: 'huyen-soc-son', lines: ['UY BAN NHAN DAN', 'HUYEN SOC SON'] },
];

const TIMELINES: [string, string | null, string | null][] = [
  ['Tháng 8/2022 - tháng 11/2022', '2022-08', '2022-11'],
  ['Quý III/2022', '2022-07', '2022-09'],
  ['Quý III - Quý IV/2022', '2022-07', '2022-12'],
  ['Từ 01/8/2022 đến 30/11/2022', '2022-08', '2022-11'],
  ['Năm 2022', '2022-01', '2022-12'],
  ['Tháng 9 - 12/2022', '2022-09', '2022-12'],
  ['6 tháng cuối năm 2022', '2022-07', '2022-12'],
  ['Từ tháng 8/2022', '2022-08', null],
];

const ITEMS = [
  {
    title: 'Đặt lịch hẹn nộp hồ sơ qua Zalo',
    summary: 'Người dân chọn giờ nộp hồ sơ trên Zalo của Bộ phận một cửa.',
    necessity: 'Người dân phải chờ lâu vào đầu giờ sáng.',
    expected_results: 'Giảm 50% thời gian chờ tại Bộ phận một cửa.',
  },
  {
    title: 'Trả kết quả hồ sơ đất đai tại nhà',
    summary: 'Bưu điện trả Giấy chứng nhận đến tận nhà người dân.',
    necessity: 'Nhiều người dân ở xa trụ sở, phải đi lại nhiều lần.',
    expected_results: 'Người dân không phải đến nhận kết quả trực tiếp.',
  },
  {
    title: 'Số hóa hồ sơ hộ tịch từ năm 1990',
    summary: 'Quét và nhập liệu sổ hộ tịch giấy vào cơ sở dữ liệu.',
    necessity: 'Sổ giấy đã cũ, tra cứu mất nhiều thời gian.',
    expected_results: 'Tra cứu hộ tịch trong vòng 5 phút.',
  },
  {
    title: 'Tổ công nghệ số hỗ trợ dịch vụ công trực tuyến',
    summary: 'Mỗi khu dân cư có một tổ hướng dẫn người dân nộp hồ sơ qua mạng.',
    necessity: 'Tỷ lệ hồ sơ trực tuyến còn thấp.',
    expected_results: '- Sản phẩm: tổ công nghệ số ở mọi khu dân cư.\n- Lợi ích: tăng hồ sơ trực tuyến.',
  },
  {
    title: 'Phiếu khảo sát mức độ hài lòng bằng mã QR',
    summary: 'Người dân quét mã QR để đánh giá cán bộ sau khi nhận kết quả.',
    necessity: 'Phiếu giấy ít người điền, khó tổng hợp.',
    expected_results: 'Có số liệu hài lòng theo từng tháng.',
  },
];

const LEADS = ['Văn phòng HĐND và UBND', 'Phòng Tư pháp', 'Phòng Tài nguyên và Môi trường', 'Văn phòng Sở'];
const NOTES = ['Không', 'Phối hợp với Bưu điện', 'Đã thí điểm tại 2 đơn vị'];

/** Label variants a parser must read strictly (no doubt): reworded, in capitals, without diacritics. */
export const LABEL_VARIANTS = {
  title: [
    'Tên sáng kiến',
    'TÊN SÁNG KIẾN, GIẢI PHÁP',
    'Ten sang kien',
    'Tên giải pháp',
    'Tên ý tưởng mới',
    'Tên mô hình',
  ],
  summary: [
    'Mô tả tóm tắt',
    'Nội dung tóm tắt',
    'NỘI DUNG CHÍNH',
    'Tóm tắt nội dung',
    'Mo ta tom tat noi dung',
    'Nội dung của sáng kiến',
    'Mô tả bản chất của sáng kiến',
  ],
  necessity: [
    'Sự cần thiết',
    'Tính cấp thiết',
    'Lý do đề xuất',
    'Cơ sở đề xuất',
    'SU CAN THIET',
    'Tình trạng giải pháp đã biết',
  ],
  expected_results: [
    'Dự kiến kết quả đạt được',
    'Kết quả dự kiến',
    'Hiệu quả dự kiến',
    'Kết quả mong đợi',
    'MỤC TIÊU, KẾT QUẢ',
  ],
  timeline: [
    'Thời gian thực hiện',
    'Tiến độ thực hiện',
    'Lộ trình thực hiện',
    'Thời hạn hoàn thành',
    'THỜI GIAN TRIỂN KHAI',
    'Thoi gian thuc hien',
  ],
  lead_unit: [
    'Đơn vị chủ trì',
    'Cơ quan chủ trì',
    'Đơn vị thực hiện',
    'Cơ quan, đơn vị chủ trì',
    'Bộ phận thực hiện',
  ],
  notes: ['Ghi chú', 'GHI CHÚ'],
} as const;
type LabelField = keyof typeof LABEL_VARIANTS;

const ROMAN = ['I', 'II', 'III', 'IV', 'V'];
const ORDINAL = ['nhất', 'hai', 'ba', 'tư', 'năm'];

/** The section line styles that open the n-th item (n from 1). */
export const SECTION_STYLES: ((n: number) => string)[] = [
  (n) => `Sáng kiến ${n}`,
  (n) => `${ROMAN[n - 1]}. SÁNG KIẾN ${n}`,
  (n) => `SÁNG KIẾN SỐ ${n}`,
  (n) => `Giải pháp thứ ${ORDINAL[n - 1]}`,
  (n) => `Ý tưởng ${n}`,
  (n) => `Sáng kiến thứ ${ORDINAL[n - 1]}:`,
];

function initiatives(rng: Rng, count: number, withLead: boolean, withNotes: boolean): GeneratedInitiative[] {
  return rng
    .shuffle(ITEMS)
    .slice(0, count)
    .map((it) => {
      const [timeline, start, end] = rng.pick(TIMELINES);
      return {
        ...it,
        timeline,
        start,
        end,
        lead_unit: withLead ? rng.pick(LEADS) : null,
        notes: withNotes ? rng.pick(NOTES) : null,
      };
    });
}

function labels(rng: Rng): Record<LabelField, string> {
  return Object.fromEntries(
    Object.entries(LABEL_VARIANTS).map(([k, list]) => [k, rng.pick(list as readonly string[])]),
  ) as Record<LabelField, string>;
}

function fieldsOf(i: GeneratedInitiative): LabelField[] {
  const f: LabelField[] = ['title', 'summary', 'necessity', 'expected_results', 'timeline'];
  if (i.lead_unit !== null) f.push('lead_unit');
  if (i.notes !== null) f.push('notes');
  return f;
}

const TITLES = [
  'BIỂU ĐĂNG KÝ SÁNG KIẾN CẢI CÁCH HÀNH CHÍNH NĂM 2022',
  'PHIẾU ĐĂNG KÝ SÁNG KIẾN, GIẢI PHÁP NĂM 2022',
  'DANH MỤC SÁNG KIẾN CẢI CÁCH HÀNH CHÍNH NĂM 2022',
  'ĐĂNG KÝ SÁNG KIẾN, GIẢI PHÁP, Ý TƯỞNG MỚI VỀ CẢI CÁCH HÀNH CHÍNH NĂM 2022',
];
/** Rows of a key-value table that name fields the office does not collect: read past, never into a field. */
const UNKNOWN_ROWS: [string, string][] = [
  ['Lĩnh vực áp dụng', 'Hộ tịch'],
  ['Tác giả', 'Nguyễn Văn An'],
  ['Kinh phí thực hiện', 'Không phát sinh'],
];

/** One table: a label column, then one column per initiative ("Nội dung | Sáng kiến 1 | Sáng kiến 2"). */
export function sideBySide(seed: number): GeneratedForm {
  const rng = random(seed);
  const agency = rng.pick(AGENCIES);
  const items = initiatives(rng, 2 + Math.floor(rng.next() * 2), rng.next() < 0.7, rng.next() < 0.5);
  const l = labels(rng);
  const stt = rng.next() < 0.5;
  const headingStyle = rng.pick([
    (n: number) => `Sáng kiến ${n}`,
    (n: number) => `SÁNG KIẾN SỐ ${n}`,
    (n: number) => `Giải pháp ${n}`,
  ]);
  const rows: CellSpec[][] = [
    [
      ...(stt ? ['TT'] : []),
      rng.pick(['Nội dung', 'NỘI DUNG ĐĂNG KÝ', 'Tiêu chí']),
      ...items.map((_, i) => headingStyle(i + 1)),
    ],
  ];
  fieldsOf(items[0] as GeneratedInitiative).forEach((field, r) => {
    rows.push([
      ...(stt ? [String(r + 1)] : []),
      l[field],
      ...items.map((i) => String((i as unknown as Record<string, string>)[field] ?? '')),
    ]);
  });
  return {
    name: `side-by-side-${seed}`,
    blocks: [...header(agency.lines, rng.pick(TITLES)), { table: rows }],
    truth: { kind: 'registration', agency_code: agency.code, year: 2022, initiatives: items, results: [] },
  };
}

/** Key-value tables or numbered prose, each initiative opened by a section line of the seed's style. */
export function sectionLines(seed: number): GeneratedForm {
  const rng = random(seed);
  const agency = rng.pick(AGENCIES);
  const items = initiatives(rng, 2 + Math.floor(rng.next() * 2), rng.next() < 0.5, rng.next() < 0.6);
  const l = labels(rng);
  const style = SECTION_STYLES[seed % SECTION_STYLES.length] as (n: number) => string;
  const where = rng.pick(['paragraph', 'table-row', 'prose'] as const);
  const blocks: BlockSpec[] = [...header(agency.lines, rng.pick(TITLES))];
  if (where === 'table-row') {
    // One table for all: the section line is a row spanning both columns.
    const rows: CellSpec[][] = [];
    items.forEach((it, n) => {
      rows.push([{ lines: [[style(n + 1)]], span: 2 }]);
      for (const field of fieldsOf(it)) rows.push([l[field], String(it[field])]);
    });
    blocks.push({ table: rows });
  } else {
    items.forEach((it, n) => {
      blocks.push({ p: [style(n + 1)] });
      if (where === 'paragraph') {
        const rows: CellSpec[][] = fieldsOf(it).map((field) => [l[field], String(it[field])]);
        if (rng.next() < 0.5)
          rows.splice(1 + Math.floor(rng.next() * rows.length), 0, rng.pick(UNKNOWN_ROWS));
        blocks.push({ table: rows });
      } else {
        // Either "1. Label: value" or the label alone on its line, the value in the paragraphs below.
        const below = rng.next() < 0.5;
        fieldsOf(it).forEach((field, k) => {
          const [first, ...more] = String(it[field]).split('\n');
          if (below) {
            blocks.push({ p: [`${k + 1}. ${l[field]}`] });
            for (const line of [first, ...more]) blocks.push({ p: [line as string] });
          } else {
            blocks.push({ p: [`${k + 1}. ${l[field]}: ${first}`] });
            for (const line of more) blocks.push({ p: [line] });
          }
        });
      }
    });
  }
  return {
    name: `section-lines-${where}-${seed}`,
    blocks,
    truth: { kind: 'registration', agency_code: agency.code, year: 2022, initiatives: items, results: [] },
  };
}

/** A row table whose columns come in another order, under reworded headers. */
function reorderedRows(seed: number): GeneratedForm {
  const rng = random(seed);
  const agency = rng.pick(AGENCIES);
  const items = initiatives(rng, 1 + Math.floor(rng.next() * 3), true, rng.next() < 0.5);
  const l = labels(rng);
  const [first, ...rest] = fieldsOf(items[0] as GeneratedInitiative);
  const order = [first as LabelField, ...rng.shuffle(rest)];
  const rows: CellSpec[][] = [['STT', ...order.map((f) => l[f])]];
  items.forEach((it, n) => {
    rows.push([String(n + 1), ...order.map((f) => String(it[f]))]);
  });
  return {
    name: `reordered-rows-${seed}`,
    blocks: [...header(agency.lines, rng.pick(TITLES)), { table: rows }],
    truth: { kind: 'registration', agency_code: agency.code, year: 2022, initiatives: items, results: [] },
  };
}

const STATUSES: [string, GeneratedResult['status']][] = [
  ['Đã hoàn thành', 'completed'],
  ['Hoàn thành', 'completed'],
  ['Đang triển khai', 'in_progress'],
  ['Đang thực hiện', 'in_progress'],
  ['Chưa thực hiện', 'not_started'],
];

/** A results table with columns the sample lacks (a completion date, the reporting unit) and another order. */
function resultsWithExtraColumns(seed: number): GeneratedForm {
  const rng = random(seed);
  const agency = rng.pick(AGENCIES);
  const items = initiatives(rng, 1 + Math.floor(rng.next() * 3), false, false);
  const results = items.map((it) => {
    const [text, status] = rng.pick(STATUSES);
    return { title: it.title, status, outcome: it.expected_results, text, date: it.timeline };
  });
  type Col = { head: string; cell: (r: (typeof results)[number], n: number) => string };
  const status: Col = {
    head: rng.pick(['Kết quả thực hiện', 'Tiến độ thực hiện', 'Tình hình thực hiện', 'Kết quả']),
    cell: (r) => r.text,
  };
  const outcome: Col = { head: rng.pick(['Hiệu quả đạt được', 'Hiệu quả mang lại']), cell: (r) => r.outcome };
  const extras: Col[] = rng
    .shuffle<Col>([
      { head: 'Thời gian hoàn thành', cell: (r) => r.date },
      { head: rng.pick(['Đơn vị báo cáo', 'Đơn vị thực hiện']), cell: () => rng.pick(LEADS) },
      { head: 'Ghi chú', cell: () => '' },
    ])
    .slice(0, 1 + Math.floor(rng.next() * 3));
  const middle = rng.shuffle([status, outcome, ...extras]);
  // The status before the outcome, as reports write them; extra columns anywhere around them.
  const si = middle.indexOf(status);
  const oi = middle.indexOf(outcome);
  if (si > oi) [middle[si], middle[oi]] = [outcome, status];
  const columns: Col[] = [
    { head: 'STT', cell: (_, n) => String(n + 1) },
    { head: 'Tên sáng kiến', cell: (r) => r.title },
    ...middle,
  ];
  const rows: CellSpec[][] = [columns.map((c) => c.head)];
  results.forEach((r, n) => {
    rows.push(columns.map((c) => c.cell(r, n)));
  });
  return {
    name: `results-extra-columns-${seed}`,
    blocks: [
      ...header(agency.lines, 'BÁO CÁO KẾT QUẢ THỰC HIỆN SÁNG KIẾN CẢI CÁCH HÀNH CHÍNH NĂM 2022'),
      { table: rows },
    ],
    truth: {
      kind: 'results_report',
      agency_code: agency.code,
      year: 2022,
      initiatives: [],
      results: results.map(({ title, status: s, outcome: o }) => ({ title, status: s, outcome: o })),
    },
  };
}

/** The corpus the tests read: every class, several seeds each. */
export function generatedCorpus(): GeneratedForm[] {
  const seeds = Array.from({ length: 18 }, (_, i) => i + 1);
  return [
    ...seeds.slice(0, 8).map(sideBySide),
    ...seeds.map(sectionLines),
    ...seeds.slice(0, 8).map(reorderedRows),
    ...seeds.slice(0, 10).map(resultsWithExtraColumns),
  ];
}
