import { fold } from '../domain/text.js';

// Field labels as agencies write them: reworded, abbreviated, in capitals, without diacritics. Matching is on
// the folded label (no diacritics, lower case), by the words it starts with, so "Tên sáng kiến, giải pháp, ý
// tưởng mới", "TÊN SÁNG KIẾN" and "Ten sang kien" are one label.

export type FieldKey =
  | 'title'
  | 'summary'
  | 'necessity'
  | 'expected_results'
  | 'products'
  | 'beneficiaries'
  | 'benefits'
  | 'timeline'
  | 'lead_unit'
  | 'notes'
  | 'number'
  | 'result_status'
  | 'outcome';

const SYNONYMS: [FieldKey, RegExp][] = [
  ['number', /^(stt|tt|so tt|so thu tu)$/],
  [
    'title',
    /^ten (cua |goi )?(cac )?(sang kien|giai phap|y tuong|de xuat|mo hinh|nhiem vu|cong trinh|de an)/,
  ],
  ['title', /^(sang kien|giai phap|y tuong)( giai phap| y tuong| moi)*$/],
  [
    'summary',
    /^(mo ta|tom tat|noi dung (tom tat|chinh|chu yeu|sang kien|giai phap|y tuong|thuc hien|co ban)|gioi thieu)/,
  ],
  ['necessity', /^((su|tinh) )?(can thiet|cap thiet)|^ly do|^co so (de xuat|thuc tien)/],
  ['result_status', /^(ket qua (thuc hien|trien khai)|tinh trang|muc do hoan thanh|tien do thuc hien)/],
  ['outcome', /^hieu qua(?! du kien)/],
  [
    'expected_results',
    /^(du kien ket qua|ket qua du kien|ket qua (dat duoc|mong doi|can dat)|muc tieu( va)? ket qua|hieu qua du kien|du kien hieu qua)|^ket qua$/,
  ],
  ['products', /^san pham/],
  ['beneficiaries', /^doi tuong (thu huong|huong loi|duoc huong)/],
  ['benefits', /^loi ich/],
  ['timeline', /^(thoi gian|tien do|thoi han|lo trinh)/],
  ['lead_unit', /^((don vi|co quan|bo phan|phong) (chu tri|thuc hien|phu trach|dau moi)|chu tri)/],
  ['notes', /^ghi chu/],
];

/** Leading numbering a label may carry: "1.", "2)", "a.", "I.", "IV -", "(3)", "-". */
const NUMBERING = /^\s*(?:\(?(?:\d{1,2}|[ivx]{1,4}|[a-zđ])[.)/:-]|\(\d{1,2}\)|[-+•*])\s*/i;

export function stripNumbering(s: string): { rest: string; numbered: boolean } {
  const m = NUMBERING.exec(s);
  return m ? { rest: s.slice(m[0].length), numbered: true } : { rest: s, numbered: false };
}

/** The field a label names, or null. `text` is the label alone (no value). */
export function labelOf(text: string): FieldKey | null {
  const folded = fold(stripNumbering(text).rest.replace(/\(.*?\)/g, ' '));
  if (folded === '' || folded.split(' ').length > 16) return null;
  for (const [key, re] of SYNONYMS) if (re.test(folded)) return key;
  return null;
}

/** "Label: value" or "Label…" alone on a line: the field and what follows the colon (maybe empty). */
export function splitLabelLine(line: string): { key: FieldKey; value: string; numbered: boolean } | null {
  const { rest, numbered } = stripNumbering(line);
  const colon = rest.search(/[:：]/);
  if (colon >= 0) {
    const key = labelOf(rest.slice(0, colon));
    if (key) return { key, value: rest.slice(colon + 1).trim(), numbered };
    return null;
  }
  // A label without a colon must stand alone on its line, and be short, to be told from a sentence.
  const key = labelOf(rest);
  if (key && rest.split(/\s+/).length <= 16 && !/[.;]$/.test(rest)) return { key, value: '', numbered };
  return null;
}
