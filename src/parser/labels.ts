import type { WrittenField } from '../domain/initiative-fields.js';
import { fold } from '../domain/text.js';

// Field labels as agencies write them: reworded, abbreviated, in capitals, without diacritics. The vocabulary
// below is data: one list of phrases per field, written folded (no diacritics, lower case). A label matches a
// phrase when it starts with the phrase's words; a phrase ending in "$" must be the whole label. The longest
// matching phrase wins, so "hieu qua du kien" (expected results) beats "hieu qua" (a report's outcome) and the
// order of the lists does not matter. A phrase joins a list only when no template uses it beside that field for
// something else ("Mục tiêu" alone, "Thực trạng", "Cơ sở pháp lý", "Cách thức thực hiện" are left out: a form
// that has them next to the field would see them merged into it). Sources: the Hanoi 2021 template
// (1980/SNV-CCHC), other provinces' registration templates, the initiative-description template of Decree
// 13/2012 (Mô tả bản chất của sáng kiến, Tình trạng giải pháp đã biết, Hiệu quả, lợi ích thu được...).

/** What a label names: a field the form writes (src/domain/initiative-fields.ts), the row number, or a result's. */
export type FieldKey = WrittenField | 'number' | 'result_status' | 'outcome';

/**
 * The fields that describe an initiative beyond its title: labels of them mark an item as a registration, and an
 * item with none of them filled is doubtful.
 */
export const DESCRIBING_FIELDS: readonly WrittenField[] = [
  'summary',
  'necessity',
  'expected_results',
  'timeline',
  'lead_unit',
];

const ITEM = [
  'sang kien',
  'giai phap',
  'y tuong',
  'de xuat',
  'mo hinh',
  'nhiem vu',
  'cong trinh',
  'de an',
  'de tai',
];

export const LABEL_VOCABULARY: Readonly<Record<FieldKey, readonly string[]>> = {
  number: ['stt$', 'tt$', 'so tt$', 'so thu tu$', 's t t$'],
  title: [
    ...ITEM.flatMap((w) => [`ten ${w}`, `ten cua ${w}`, `ten goi ${w}`, `ten cac ${w}`]),
    'ten goi$',
    'ten$',
    'ten cai cach',
    'ten mo hinh',
    'tieu de',
    'sang kien$',
    'giai phap$',
    'y tuong$',
    'sang kien giai phap$',
    'sang kien giai phap y tuong$',
    'sang kien giai phap y tuong moi$',
    'sang kien moi$',
    'giai phap moi$',
    'y tuong moi$',
    'ten sang kien cai cach hanh chinh',
  ],
  summary: [
    'mo ta',
    'tom tat',
    'noi dung tom tat',
    'noi dung chinh',
    'noi dung chu yeu',
    'noi dung co ban',
    'noi dung thuc hien',
    'noi dung sang kien',
    'noi dung giai phap',
    'noi dung y tuong',
    'noi dung cua sang kien',
    'noi dung cua giai phap',
    'cac noi dung chinh',
    'gioi thieu',
    'mo ta ban chat',
    'ban chat cua sang kien',
    'khai quat noi dung',
  ],
  necessity: [
    'su can thiet',
    'tinh can thiet',
    'can thiet',
    'su cap thiet',
    'tinh cap thiet',
    'cap thiet',
    'ly do',
    'co so de xuat',
    'co so thuc tien',
    'tinh trang giai phap da biet',
    'muc dich su can thiet',
    'muc dich va su can thiet',
    'muc dich y nghia',
    'van de can giai quyet',
    'vi sao',
  ],
  expected_results: [
    'du kien ket qua',
    'ket qua du kien',
    'ket qua dat duoc',
    'ket qua mong doi',
    'ket qua mong muon',
    'ket qua can dat',
    'ket qua huong toi',
    'muc tieu ket qua',
    'muc tieu va ket qua',
    'hieu qua du kien',
    'du kien hieu qua',
    'ket qua hieu qua du kien',
    'ket qua va hieu qua du kien',
    'hieu qua loi ich du kien',
    'hieu qua loi ich thu duoc',
    'hieu qua kinh te xa hoi du kien',
    'ket qua$',
  ],
  products: ['san pham'],
  beneficiaries: ['doi tuong thu huong', 'doi tuong huong loi', 'doi tuong duoc huong'],
  benefits: ['loi ich'],
  timeline: [
    'thoi gian',
    'tien do',
    'thoi han',
    'lo trinh',
    'tien do thuc hien',
    'lo trinh thuc hien',
    'thoi han hoan thanh',
    'thoi gian thuc hien',
    'thoi gian trien khai',
    'thoi gian hoan thanh',
    'thoi gian du kien',
    'du kien thoi gian',
    'thoi diem ap dung',
    'thoi diem thuc hien',
    'thoi diem trien khai',
    'moc thoi gian',
  ],
  lead_unit: [
    ...['don vi', 'co quan', 'bo phan', 'phong', 'co quan don vi'].flatMap((u) => [
      `${u} chu tri`,
      `${u} thuc hien`,
      `${u} phu trach`,
      `${u} dau moi`,
      `${u} trien khai`,
      `${u} chiu trach nhiem`,
    ]),
    'chu tri',
    'chu tri thuc hien',
    'nguoi chiu trach nhiem',
    'nguoi phu trach',
  ],
  notes: ['ghi chu', 'ghi chu khac', 'luu y'],
  result_status: [
    'ket qua thuc hien',
    'ket qua trien khai',
    'tinh trang',
    'tinh trang thuc hien',
    'tinh hinh thuc hien',
    'tinh hinh trien khai',
    'muc do hoan thanh',
    'muc do thuc hien',
    'trang thai',
    'ket qua trien khai thuc hien',
  ],
  outcome: ['hieu qua', 'hieu qua dat duoc', 'hieu qua mang lai', 'ket qua cu the', 'hieu qua thuc te'],
};

interface Phrase {
  key: FieldKey;
  words: string[];
  whole: boolean;
}

const PHRASES: Phrase[] = Object.entries(LABEL_VOCABULARY)
  .flatMap(([key, list]) =>
    list.map((p) => ({
      key: key as FieldKey,
      words: p.replace(/\$$/, '').split(' '),
      whole: p.endsWith('$'),
    })),
  )
  // Longest first: the first phrase that matches is the most specific.
  .sort((a, b) => b.words.join(' ').length - a.words.join(' ').length);

/** The phrases by their first word, longest first: a label is compared only with those it could start. */
const BY_FIRST_WORD = new Map<string, Phrase[]>();
for (const p of PHRASES) {
  const first = p.words[0] ?? '';
  BY_FIRST_WORD.set(first, [...(BY_FIRST_WORD.get(first) ?? []), p]);
}

/** Leading numbering a label may carry: "1.", "2)", "a.", "I.", "IV -", "(3)", "-", "1.2.", "2.3 ". */
const NUMBERING =
  /^\s*(?:\d{1,2}(?:\.\d{1,2}){1,3}\.?\s|\(?(?:\d{1,2}|[ivx]{1,4})\s?[.)/:-]|\(?[a-zđ][.)/:-]|\(\d{1,2}\)|[-+•*])\s*/i;

export function stripNumbering(s: string): { rest: string; numbered: boolean } {
  const m = NUMBERING.exec(s);
  return m ? { rest: s.slice(m[0].length), numbered: true } : { rest: s, numbered: false };
}

export interface LabelMatch {
  key: FieldKey;
  /** True when the label only resembles a known one (a phrase found later in it, or a typo). */
  loose: boolean;
}

const startsWith = (words: string[], phrase: string[]) => phrase.every((w, i) => words[i] === w);

/** One letter added, dropped, changed or swapped with its neighbour. */
function nearWord(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1 || Math.min(a.length, b.length) < 4) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return (
    a.slice(i + 1) === b.slice(i + 1) ||
    a.slice(i) === b.slice(i + 1) ||
    a.slice(i + 1) === b.slice(i) ||
    (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2))
  );
}

/**
 * The field a label names. `text` is the label alone (no value). Strict matching reads the label's first words;
 * with `loose`, a label whose known phrase comes later ("Nêu rõ sự cần thiết") or is misspelt by one letter per
 * word ("Thoi gain thuc hien") is also read, and marked loose so the reading is flagged for a person.
 */
export function matchLabel(text: string, { loose = false } = {}): LabelMatch | null {
  const folded = fold(stripNumbering(text).rest.replace(/\(.*?\)/g, ' '));
  if (folded === '') return null;
  const words = folded.split(' ');
  if (words.length > 16) return null;
  for (const p of BY_FIRST_WORD.get(words[0] ?? '') ?? []) {
    if (startsWith(words, p.words) && (!p.whole || words.length === p.words.length))
      return { key: p.key, loose: false };
  }
  if (!loose || words.length > 12) return null;
  for (const p of PHRASES) {
    if (p.whole || p.words.length < 2) continue;
    if (p.words.every((w, i) => nearWord(words[i] ?? '', w))) return { key: p.key, loose: true };
  }
  // A known phrase later in the label: the longest that starts at any of its first words.
  let later: Phrase | null = null;
  for (let at = 1; at < Math.min(words.length, 6); at++) {
    for (const p of BY_FIRST_WORD.get(words[at] ?? '') ?? []) {
      if (p.whole || p.words.length < 2 || at + p.words.length > Math.min(words.length, 6)) continue;
      if (!p.words.every((w, i) => words[at + i] === w)) continue;
      if (!later || PHRASES.indexOf(p) < PHRASES.indexOf(later)) later = p;
    }
  }
  if (later) return { key: later.key, loose: true };
  return null;
}

/** "Label: value" or "Label…" alone on a line: the field and what follows the colon (maybe empty). */
export function splitLabelLine(
  line: string,
): { key: FieldKey; value: string; numbered: boolean; loose: boolean } | null {
  const { rest, numbered } = stripNumbering(line);
  // The first colon outside parentheses: "Tên sáng kiến (ghi rõ: tên gọi): …".
  const colon = firstColon(rest);
  if (colon >= 0) {
    const head = rest.slice(0, colon);
    // A numbered or short label before a colon may be read loosely; a long clause before a colon is a sentence.
    const m = matchLabel(head, { loose: numbered && head.split(/\s+/).length <= 10 });
    if (m) return { key: m.key, value: rest.slice(colon + 1).trim(), numbered, loose: m.loose };
    return null;
  }
  // A label without a colon must stand alone on its line, and be short, to be told from a sentence.
  const m = matchLabel(rest);
  if (m && rest.split(/\s+/).length <= 16 && !/[.;]$/.test(rest))
    return { key: m.key, value: '', numbered, loose: false };
  return null;
}

function firstColon(s: string): number {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if ((c === ':' || c === '：') && depth === 0) return i;
  }
  return -1;
}

// A heading over a group of rows or of another section of the document: numbered in capitals ("I. LĨNH VỰC ĐẤT
// ĐAI", "II. KIẾN NGHỊ, ĐỀ XUẤT", "PHẦN III. TỔ CHỨC THỰC HIỆN") or opening with a word that groups
// ("Lĩnh vực hộ tịch", "Nhóm 2: …", "Khối quận, huyện", "Mục II"). Item headings ("Sáng kiến 2") are apart.
const GROUP_WORDS = /^(?:linh vuc|nhom|khoi|cum)\b|^(?:phan|chuong|muc) (?:[ivx]{1,4}|\d{1,2})\b/;

/** "I. LĨNH VỰC ĐẤT ĐAI", "II. KIẾN NGHỊ", "Nhóm 2": a heading of a group of rows or of a later section. */
export function isSectionHeading(text: string): boolean {
  const { rest, numbered } = stripNumbering(text);
  const f = fold(rest);
  if (f === '' || f.split(' ').length > 14) return false;
  const letters = rest.replace(/[^\p{L}]/gu, '');
  const capitals = letters.length >= 6 && letters === letters.toLocaleUpperCase('vi');
  const roman = /^\s*(?:phần|phan|mục|muc)?\s*[IVX]{1,4}\s*[.)/:-]/i.test(text);
  return (capitals && (numbered || roman)) || GROUP_WORDS.test(f);
}

/** "Tổng cộng", "Tổng số: 5", "Cộng": the label of a row that counts the items, not an item. */
export function isTotalLabel(text: string): boolean {
  return /^(?:tong cong|tong so|tong|cong)\b/.test(fold(text));
}

// Fields agencies add that the office does not collect: with their values, accounted for as furniture.
const OTHER_FIELDS = [
  'linh vuc',
  'tac gia',
  'dong tac gia',
  'nhom tac gia',
  'kinh phi',
  'nguon kinh phi',
  'du tru kinh phi',
  'nguoi de xuat',
  'nguoi thuc hien',
  'nguoi lien he',
  'dia chi',
  'dien thoai',
  'so dien thoai',
  'email',
  'chuc vu',
  'pham vi ap dung',
  'dia ban ap dung',
  'doi tuong ap dung',
  'don vi phoi hop',
  'co quan phoi hop',
  'kha nang ap dung',
  'kha nang nhan rong',
  'co so phap ly',
  'can cu phap ly',
  'ngay hoan thanh',
  'ngay bao cao',
  'don vi bao cao',
  'thoi gian hoan thanh thuc te',
  'ma so',
].map((p) => p.split(' '));

/** "Lĩnh vực áp dụng", "Tác giả", "Kinh phí": the label of a field the office does not collect. */
export function isOtherFieldLabel(text: string): boolean {
  const words = fold(stripNumbering(text).rest.replace(/\(.*?\)/g, ' ')).split(' ');
  return words.length <= 10 && OTHER_FIELDS.some((p) => startsWith(words, p));
}
