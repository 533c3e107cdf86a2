export interface MonthRange {
  start: string | null;
  end: string | null;
}

const QUARTER: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4, '1': 1, '2': 2, '3': 3, '4': 4 };
type YM = [year: number, month: number];
interface Point {
  index: number;
  from: YM;
  to: YM;
}

const fmt = ([y, m]: YM) => `${y}-${String(m).padStart(2, '0')}`;
const okMonth = (m: number) => m >= 1 && m <= 12;

/** Lower case without diacritics, keeping digits, "/" and "-" (which fold() would drop). */
function simplify(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[–—]/g, '-')
    .replace(/\s+/g, ' ');
}

/**
 * Start and end months (YYYY-MM) of a timeline as Vietnamese forms write it: "Tháng 8/2021 - tháng 11/2021",
 * "Quý III/2021", "Quý III - Quý IV/2021", "Từ 01/8/2021 đến 30/11/2021", "Năm 2021", "08/2021-12/2021",
 * "Tháng 9 - 12/2021", "6 tháng cuối năm 2021", "Từ tháng 8/2021" (open end), "đến hết năm 2021".
 */
export function parseTimeline(text: string | null): MonthRange {
  if (!text) return { start: null, end: null };
  let s = simplify(text);
  const points: Point[] = [];
  // Each pattern takes its matches out of the text so a later, looser one cannot read them again.
  const take = (re: RegExp, make: (m: RegExpExecArray) => Omit<Point, 'index'>[]) => {
    for (const m of s.matchAll(re)) {
      const made = make(m as RegExpExecArray);
      if (made.length === 0) continue;
      made.forEach((p, k) => {
        points.push({ ...p, index: (m.index ?? 0) + k });
      });
      s = s.slice(0, m.index) + ' '.repeat(m[0].length) + s.slice((m.index ?? 0) + m[0].length);
    }
  };

  take(/6 thang (dau|cuoi) (?:nam )?(\d{4})/g, (m) => {
    const y = Number(m[2]);
    return [m[1] === 'dau' ? { from: [y, 1], to: [y, 6] } : { from: [y, 7], to: [y, 12] }];
  });
  // A date "01/8/2021" (one separator throughout: "8-11/2021" is two months, not a date).
  take(/\b(\d{1,2})([/.-])(\d{1,2})\2(\d{4})\b/g, (m) => {
    const mo = Number(m[3]);
    return okMonth(mo) ? [{ from: [Number(m[4]), mo], to: [Number(m[4]), mo] }] : [];
  });
  // "Quý III - Quý IV/2021": a quarter without a year takes the next year written.
  take(/quy (iv|iii|ii|i|[1-4])\b(?:\s*(?:\/|nam)\s*(\d{4}))?/g, (m) => {
    const q = QUARTER[m[1] as string] ?? 1;
    const y = m[2] ? Number(m[2]) : Number.NaN;
    return [{ from: [y, q * 3 - 2], to: [y, q * 3] }];
  });
  // "Tháng 9 - 12/2021": both months in the year written once.
  // Also "Tháng 8-11/2021", "Tháng 8 đến tháng 12 năm 2021", "T9, T10/2021".
  take(/(?:\bthang |\bt)(\d{1,2})\s*(?:-|den|,|va)\s*(?:thang |t)?(\d{1,2})\s*(?:\/|nam)\s*(\d{4})/g, (m) => {
    const [a, b, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return okMonth(a) && okMonth(b)
      ? [
          { from: [y, a], to: [y, a] },
          { from: [y, b], to: [y, b] },
        ]
      : [];
  });
  // "tháng 7 năm 2021" (with the word "tháng": "3 năm 2021-2023" is a duration).
  take(/\bthang (\d{1,2}) nam (\d{4})\b/g, (m) => {
    const mo = Number(m[1]);
    return okMonth(mo) ? [{ from: [Number(m[2]), mo], to: [Number(m[2]), mo] }] : [];
  });
  // "8/2021", "T8/2021", "tháng 8/2021".
  take(/(?:\bthang |\bt|\b)(\d{1,2})\s*\/\s*(\d{4})\b/g, (m) => {
    const mo = Number(m[1]);
    return okMonth(mo) ? [{ from: [Number(m[2]), mo], to: [Number(m[2]), mo] }] : [];
  });
  take(/(het )?(?:ca |trong )?(?:nam )?\b((?:19|20)\d{2})\b/g, (m) => {
    const y = Number(m[2]);
    return [m[1] ? { from: [y, 12], to: [y, 12] } : { from: [y, 1], to: [y, 12] }];
  });

  if (points.length === 0) return { start: null, end: null };
  points.sort((a, b) => a.index - b.index);
  points.forEach((p, i) => {
    if (Number.isNaN(p.from[0])) {
      const y = points.slice(i + 1).find((q) => !Number.isNaN(q.from[0]))?.from[0] ?? Number.NaN;
      p.from = [y, p.from[1]];
      p.to = [y, p.to[1]];
    }
  });
  const known = points.filter((p) => !Number.isNaN(p.from[0]));
  const first = known[0];
  const last = known[known.length - 1];
  if (!first || !last) return { start: null, end: null };
  const simple = simplify(text).trim();
  const openEnded = known.length === 1 && /^(tu|bat dau tu|ke tu)\b/.test(simple) && !/\bden\b/.test(simple);
  return { start: fmt(first.from), end: openEnded ? null : fmt(last.to) };
}
