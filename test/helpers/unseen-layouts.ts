import { random } from './form-variants.js';
import {
  commented,
  contentControl,
  formField,
  p,
  para,
  type RawCell,
  rawDocx,
  run,
  table,
  tracked,
} from './raw-docx.js';

// Forms in shapes the sample folder does not have, written as Word XML with their ground truth: the check of
// the parser's own reading is measured on them (every wrong field must be flagged, few right ones may be).
// Framed and nested tables, a table cut in two with its header repeated, group and total rows, a header
// merged over two rows, content controls, legacy form fields, tracked changes and comments, another
// producer's package. A seed picks the agency and the items.

interface UnseenTruthItem {
  title: string;
  summary?: string;
  necessity?: string;
  expected_results?: string;
  products?: string;
  beneficiaries?: string;
  benefits?: string;
  timeline?: string;
  lead_unit?: string;
  notes?: string;
}

interface UnseenResult {
  title: string;
  status: 'completed' | 'in_progress' | 'not_started';
  outcome: string;
}

export interface UnseenForm {
  name: string;
  bytes: Buffer;
  truth: {
    kind: 'registration' | 'results_report';
    agency_code: string;
    initiatives: UnseenTruthItem[];
    results: UnseenResult[];
  };
}

const AGENCIES = [
  { code: 'so-cong-thuong', lines: ['UBND THÀNH PHỐ HÀ NỘI', 'SỞ CÔNG THƯƠNG'] },
  { code: 'huyen-me-linh', lines: ['ỦY BAN NHÂN DÂN', 'HUYỆN MÊ LINH'] },
  { code: 'quan-ba-dinh', lines: ['UBND QUẬN BA ĐÌNH'] },
  { code: 'so-noi-vu', lines: ['UBND THÀNH PHỐ HÀ NỘI', 'SỞ NỘI VỤ'] },
];

const ITEMS: Required<Omit<UnseenTruthItem, 'products' | 'beneficiaries' | 'benefits'>>[] = [
  {
    title: 'Chữ ký số cho cán bộ một cửa cấp xã',
    summary: 'Cấp chữ ký số cho công chức Bộ phận một cửa để ký điện tử kết quả giải quyết.',
    necessity: 'Kết quả giấy phải chờ lãnh đạo ký tay, kéo dài thời gian trả kết quả.',
    expected_results: 'Trả kết quả điện tử cho 80% hồ sơ trong năm 2022.',
    timeline: 'Quý II - Quý IV/2022',
    lead_unit: 'Văn phòng HĐND và UBND',
    notes: 'Không',
  },
  {
    title: 'Bản đồ số các điểm tiếp nhận hồ sơ',
    summary: 'Công khai vị trí, giờ làm việc của các điểm tiếp nhận trên bản đồ trực tuyến.',
    necessity: 'Người dân không biết nơi nộp hồ sơ gần nhất.',
    expected_results: 'Người dân tìm được điểm nộp hồ sơ trong 1 phút.',
    timeline: 'Tháng 6/2022 - tháng 9/2022',
    lead_unit: 'Phòng Văn hóa và Thông tin',
    notes: 'Phối hợp với Viettel',
  },
  {
    title: 'Nhắc hạn giấy phép qua tin nhắn',
    summary: 'Gửi tin nhắn cho doanh nghiệp 30 ngày trước khi giấy phép hết hạn.',
    necessity: 'Nhiều doanh nghiệp quên gia hạn và bị xử phạt.',
    expected_results: 'Giảm 70% trường hợp giấy phép quá hạn.',
    timeline: 'Năm 2022',
    lead_unit: 'Phòng Kinh tế',
    notes: 'Đã thí điểm tại 1 phường',
  },
  {
    title: 'Hộp thư góp ý điện tử về thủ tục hành chính',
    summary: 'Người dân gửi góp ý về thủ tục qua cổng thông tin, được trả lời trong 5 ngày.',
    necessity: 'Hộp thư giấy ít người dùng, khó theo dõi việc trả lời.',
    expected_results: 'Mọi góp ý được trả lời đúng hạn và công khai.',
    timeline: 'Từ tháng 7/2022',
    lead_unit: 'Văn phòng Sở',
    notes: 'Không',
  },
];

const header = (agency: string[], title: string) =>
  table([[agency.join('\n\n'), 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\nĐộc lập - Tự do - Hạnh phúc']]) +
  p('Hà Nội, ngày 15 tháng 3 năm 2022') +
  p(title);

const TITLE = 'BIỂU ĐĂNG KÝ SÁNG KIẾN CẢI CÁCH HÀNH CHÍNH NĂM 2022';
const SIGNATURE = table([['Nơi nhận:\n\n- Sở Nội vụ;\n\n- Lưu: VT.', 'TM. ỦY BAN NHÂN DÂN\n\nCHỦ TỊCH']]);

type Item = (typeof ITEMS)[number];

function pick(seed: number, count: number) {
  const rng = random(seed);
  return { agency: rng.pick(AGENCIES), items: rng.shuffle(ITEMS).slice(0, count) };
}

const kvRows = (it: Item, value: (v: string) => RawCell | string = (v) => v): (string | RawCell)[][] => [
  ['Tên sáng kiến', value(it.title)],
  ['Mô tả tóm tắt', value(it.summary)],
  ['Sự cần thiết', value(it.necessity)],
  ['Dự kiến kết quả', value(it.expected_results)],
  ['Thời gian thực hiện', value(it.timeline)],
  ['Đơn vị chủ trì', value(it.lead_unit)],
  ['Ghi chú', value(it.notes)],
];

const ROW_HEADER = [
  'STT',
  'Tên sáng kiến',
  'Mô tả tóm tắt',
  'Sự cần thiết',
  'Dự kiến kết quả',
  'Thời gian thực hiện',
  'Đơn vị chủ trì',
];
const itemRow = (it: Item, n: number) => [
  String(n),
  it.title,
  it.summary,
  it.necessity,
  it.expected_results,
  it.timeline,
  it.lead_unit,
];
const truthOf = (it: Item, notes = true): UnseenTruthItem => {
  const { notes: n, ...rest } = it;
  return notes ? { ...rest, notes: n } : rest;
};

const registration = (
  name: string,
  code: string,
  bytes: Buffer,
  initiatives: UnseenTruthItem[],
): UnseenForm => ({
  name,
  bytes,
  truth: { kind: 'registration', agency_code: code, initiatives, results: [] },
});

/** The whole form inside a one-cell frame table, its initiatives as tables inside that cell. */
function framed(seed: number): UnseenForm {
  const { agency, items } = pick(seed, 2);
  const inner = items.map((it, i) => p(`Sáng kiến ${i + 1}`) + table(kvRows(it))).join('');
  const body = header(agency.lines, TITLE) + table([[{ xml: inner }]]) + SIGNATURE;
  return registration(
    `framed-${seed}`,
    agency.code,
    rawDocx(body),
    items.map((it) => truthOf(it)),
  );
}

/** A table of initiatives whose expected-results cells hold a table of products, beneficiaries and benefits. */
function nestedExpected(seed: number): UnseenForm {
  const { agency, items } = pick(seed, 3);
  const parts = (it: Item) => ({
    products: `Sản phẩm của ${it.title.toLowerCase()}`,
    beneficiaries: 'Người dân, doanh nghiệp',
    benefits: it.expected_results,
  });
  const rows = items.map((it, i) => {
    const x = parts(it);
    const nested = table([
      ['Sản phẩm', x.products],
      ['Đối tượng thụ hưởng', x.beneficiaries],
      ['Lợi ích thu được', x.benefits],
    ]);
    return [
      String(i + 1),
      it.title,
      it.summary,
      it.necessity,
      { xml: `${nested}<w:p/>` },
      it.timeline,
      it.lead_unit,
    ];
  });
  const body = header(agency.lines, TITLE) + table([ROW_HEADER, ...rows]) + SIGNATURE;
  return registration(
    `nested-expected-${seed}`,
    agency.code,
    rawDocx(body),
    items.map((it) => {
      const { expected_results: _e, ...rest } = truthOf(it, false);
      return { ...rest, ...parts(it) };
    }),
  );
}

/** A table cut in two with its header repeated on top of the second part, and a header row typed again inside. */
function interrupted(seed: number): UnseenForm {
  const { agency, items } = pick(seed, 4);
  const rows = items.map(itemRow);
  const first = table([ROW_HEADER, rows[0] ?? [], ROW_HEADER, rows[1] ?? []]);
  const second = table([ROW_HEADER, rows[2] ?? [], rows[3] ?? []]);
  const body = `${header(agency.lines, TITLE) + first}<w:p/>${second}${SIGNATURE}`;
  return registration(
    `interrupted-${seed}`,
    agency.code,
    rawDocx(body),
    items.map((it) => truthOf(it, false)),
  );
}

/** Rows grouped under headings (spanning the table, or in the title column alone) and a total row. */
function groupsAndTotal(seed: number): UnseenForm {
  const { agency, items } = pick(seed, 3);
  const rows = items.map(itemRow);
  const body =
    header(agency.lines, TITLE) +
    table([
      ROW_HEADER,
      [{ xml: p('I. LĨNH VỰC HỘ TỊCH, CHỨNG THỰC'), span: 7 }],
      rows[0] ?? [],
      rows[1] ?? [],
      ['', 'II. LĨNH VỰC ĐẤT ĐAI', '', '', '', '', ''],
      rows[2] ?? [],
      [{ xml: p('Tổng cộng'), span: 2 }, '3 sáng kiến', '', '', '', ''],
    ]) +
    SIGNATURE;
  return registration(
    `groups-total-${seed}`,
    agency.code,
    rawDocx(body),
    items.map((it) => truthOf(it, false)),
  );
}

/** A header merged over two rows ("Nội dung" over "Mô tả tóm tắt | Sự cần thiết"), then a numbering row. */
function twoRowHeader(seed: number): UnseenForm {
  const { agency, items } = pick(seed, 2);
  const top = (t: string): RawCell => ({ xml: p(t), vMerge: 'restart' });
  const cont: RawCell = { xml: '<w:p/>', vMerge: 'continue' };
  const body =
    header(agency.lines, TITLE) +
    table([
      [
        top('STT'),
        top('Tên sáng kiến'),
        { xml: p('Nội dung sáng kiến'), span: 2 },
        top('Dự kiến kết quả'),
        top('Thời gian thực hiện'),
        top('Đơn vị chủ trì'),
      ],
      [cont, cont, 'Mô tả tóm tắt', 'Sự cần thiết', cont, cont, cont],
      ['(1)', '(2)', '(3)', '(4)', '(5)', '(6)', '(7)'],
      ...items.map(itemRow),
    ]) +
    SIGNATURE;
  return registration(
    `two-row-header-${seed}`,
    agency.code,
    rawDocx(body),
    items.map((it) => truthOf(it, false)),
  );
}

/** Label/value tables whose values sit in content controls; the notes control left unfilled (its prompt shown). */
function contentControls(seed: number): UnseenForm {
  const { agency, items } = pick(seed, 2);
  const value = (v: string): RawCell => ({ xml: para(contentControl(v)) });
  const tables = items.map((it, i) => {
    const rows = kvRows(it, value);
    rows[6] = ['Ghi chú', { xml: para(contentControl(null)) }];
    return p(`Sáng kiến ${i + 1}`) + table(rows);
  });
  const body = header(agency.lines, TITLE) + tables.join('') + SIGNATURE;
  return registration(
    `content-controls-${seed}`,
    agency.code,
    rawDocx(body),
    items.map((it) => ({ ...truthOf(it), notes: '' })),
  );
}

/** Values typed into legacy text form fields. */
function formFields(seed: number): UnseenForm {
  const { agency, items } = pick(seed, 2);
  const value = (v: string): RawCell => ({ xml: para(formField(v)) });
  const body =
    header(agency.lines, TITLE) + items.map((it) => table(kvRows(it, value))).join('<w:p/>') + SIGNATURE;
  return registration(
    `form-fields-${seed}`,
    agency.code,
    rawDocx(body),
    items.map((it) => truthOf(it)),
  );
}

/** Numbered prose with tracked changes (read as accepted) and comments on the values. */
function trackedAndComments(seed: number): UnseenForm {
  const { agency, items } = pick(seed, 2);
  const lines = items.flatMap((it, i) => {
    const cut = it.summary.lastIndexOf(' ');
    return [
      p(`${['I', 'II'][i]}. SÁNG KIẾN ${i + 1}`),
      para(run('1. Tên sáng kiến: ') + commented(it.title, i + 1)),
      para(run('2. Mô tả tóm tắt: ') + tracked(it.summary.slice(0, cut), it.summary.slice(cut), ' (bản cũ)')),
      p(`3. Sự cần thiết: ${it.necessity}`),
      p(`4. Dự kiến kết quả: ${it.expected_results}`),
      para(run('5. Thời gian thực hiện: ') + tracked(it.timeline, '', 'Năm 2021')),
      p(`6. Đơn vị chủ trì: ${it.lead_unit}`),
    ];
  });
  const body = header(agency.lines, TITLE) + lines.join('') + SIGNATURE;
  return registration(
    `tracked-comments-${seed}`,
    agency.code,
    rawDocx(body, { comments: ['Đề nghị rà soát lại tên', 'Đã sửa theo góp ý'] }),
    items.map((it) => truthOf(it, false)),
  );
}

/** Another producer: the main part under another name, special characters Word writes (soft and non-breaking
 * hyphens, no-break spaces, tabs) in the values. */
function otherProducer(seed: number): UnseenForm {
  const { agency, items } = pick(seed, 2);
  const odd = (s: string) => s.replace(' ', '\u00A0').replace('ký', 'k\u00ADý');
  const rows = items.map((it, i) => [
    String(i + 1),
    odd(it.title),
    it.summary,
    it.necessity,
    it.expected_results,
    it.timeline.replace(' - ', ' \u2011 '),
    it.lead_unit,
  ]);
  const body = header(agency.lines, TITLE) + table([ROW_HEADER, ...rows]) + SIGNATURE;
  return registration(
    `other-producer-${seed}`,
    agency.code,
    rawDocx(body, { mainPart: 'word/main.xml' }),
    items.map((it) => truthOf(it, false)),
  );
}

const STATUSES = [
  ['Đã hoàn thành', 'completed'],
  ['Đang triển khai', 'in_progress'],
  ['Chưa thực hiện', 'not_started'],
] as const;

/** A results report whose table has a group heading and a total row. */
function resultsWithTotals(seed: number): UnseenForm {
  const { agency, items } = pick(seed, 3);
  const results = items.map((it, i) => {
    const [said, status] = STATUSES[i % 3] as (typeof STATUSES)[number];
    return { said, truth: { title: it.title, status, outcome: it.expected_results } };
  });
  const body =
    header(agency.lines, 'BÁO CÁO KẾT QUẢ THỰC HIỆN SÁNG KIẾN CẢI CÁCH HÀNH CHÍNH NĂM 2022') +
    table([
      ['STT', 'Tên sáng kiến', 'Kết quả thực hiện', 'Hiệu quả đạt được'],
      [{ xml: p('I. CÁC SÁNG KIẾN ĐÃ ĐĂNG KÝ'), span: 4 }],
      ...results.map((r, i) => [String(i + 1), r.truth.title, r.said, r.truth.outcome]),
      ['', 'Tổng số', `${results.length} sáng kiến`, ''],
    ]) +
    SIGNATURE;
  return {
    name: `results-totals-${seed}`,
    bytes: rawDocx(body),
    truth: {
      kind: 'results_report',
      agency_code: agency.code,
      initiatives: [],
      results: results.map((r) => r.truth),
    },
  };
}

/** A column headed in words the vocabulary does not know ("Thực trạng, nguyên nhân"): its text is read as
 * nothing, and the check must say so. */
function unknownColumn(seed: number): UnseenForm {
  const { agency, items } = pick(seed, 2);
  const head = [...ROW_HEADER];
  head[3] = 'Thực trạng, nguyên nhân';
  const body = header(agency.lines, TITLE) + table([head, ...items.map(itemRow)]) + SIGNATURE;
  return registration(
    `unknown-column-${seed}`,
    agency.code,
    rawDocx(body),
    items.map((it) => truthOf(it, false)),
  );
}

/** Numbered prose followed by another section of the document, which runs on into the last value. */
function laterSection(seed: number): UnseenForm {
  const { agency, items } = pick(seed, 2);
  const lines = items.flatMap((it, i) => [
    p(`Sáng kiến ${i + 1}: ${it.title}`),
    p(`- Mô tả tóm tắt: ${it.summary}`),
    p(`- Sự cần thiết: ${it.necessity}`),
    p(`- Dự kiến kết quả: ${it.expected_results}`),
    p(`- Thời gian thực hiện: ${it.timeline}`),
    p(`- Đơn vị chủ trì: ${it.lead_unit}`),
  ]);
  const body =
    header(agency.lines, TITLE) +
    lines.join('') +
    p('III. TỔ CHỨC THỰC HIỆN') +
    p('Giao các phòng, ban chuyên môn theo dõi, đôn đốc việc triển khai các sáng kiến.') +
    SIGNATURE;
  return registration(
    `later-section-${seed}`,
    agency.code,
    rawDocx(body),
    items.map((it) => truthOf(it, false)),
  );
}

/** A header that names most fields in words of its own, the titles' column among them ("Sáng kiến đăng ký"). */
function ownWords(seed: number): UnseenForm {
  const { agency, items } = pick(seed, 2);
  const head = [
    'TT',
    'Sáng kiến đăng ký',
    'Nội dung chủ yếu',
    'Vì sao cần làm',
    'Kết quả hướng tới',
    'Thời gian',
    'Người phụ trách',
  ];
  const body = header(agency.lines, TITLE) + table([head, ...items.map(itemRow)]) + SIGNATURE;
  return registration(
    `own-words-${seed}`,
    agency.code,
    rawDocx(body),
    items.map((it) => truthOf(it, false)),
  );
}

const SHAPES = [
  ownWords,
  unknownColumn,
  laterSection,
  framed,
  nestedExpected,
  interrupted,
  groupsAndTotal,
  twoRowHeader,
  contentControls,
  formFields,
  trackedAndComments,
  otherProducer,
  resultsWithTotals,
];

/** Every shape, each with a few seeds. */
export function unseenCorpus(seeds: readonly number[] = [1, 2, 3]): UnseenForm[] {
  return SHAPES.flatMap((shape) => seeds.map((s) => shape(s)));
}

export interface Score {
  fields: number;
  right: number;
  rightFlagged: string[];
  wrongFlagged: string[];
  /** Wrong and not flagged: what the check must never let through. */
  silent: string[];
}

const flat = (s: unknown) => (typeof s === 'string' ? s.replace(/\s+/g, ' ').trim() : s);

/** Each field of the ground truth, right or wrong, flagged or not: a path is covered by itself or a parent. */
export function score(
  got: {
    kind: string;
    agency_code: string | null;
    initiatives: object[];
    results: object[];
    uncertain: string[];
  },
  truth: UnseenForm['truth'],
): Score {
  const out: Score = { fields: 0, right: 0, rightFlagged: [], wrongFlagged: [], silent: [] };
  const covered = (path: string) =>
    got.uncertain.some((u) => path === u || path.startsWith(`${u}.`) || path.startsWith(`${u}[`));
  const check = (path: string, ok: boolean) => {
    out.fields++;
    if (ok) out.right++;
    if (ok && covered(path)) out.rightFlagged.push(path);
    if (!ok) (covered(path) ? out.wrongFlagged : out.silent).push(path);
  };
  check('kind', got.kind === truth.kind);
  check('agency_code', got.agency_code === truth.agency_code);
  const list = truth.kind === 'registration' ? 'initiatives' : 'results';
  const items: object[] = truth.kind === 'registration' ? truth.initiatives : truth.results;
  const read = (list === 'initiatives' ? got.initiatives : got.results) as Record<string, unknown>[];
  items.forEach((item, i) => {
    for (const [field, value] of Object.entries(item)) {
      check(`${list}[${i}].${field}`, flat(read[i]?.[field]) === flat(value));
    }
  });
  // Items read that the form does not have (a group heading, a total row read as an item).
  for (let i = items.length; i < read.length; i++) check(`${list}[${i}]`, false);
  return out;
}
