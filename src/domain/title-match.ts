import { fold } from './text.js';

// Abbreviations officials use in titles, expanded before comparing ("TTHC" is "thủ tục hành chính").
const ABBREVIATIONS: Record<string, string> = {
  tthc: 'thu tuc hanh chinh',
  cchc: 'cai cach hanh chinh',
  ubnd: 'uy ban nhan dan',
  hdnd: 'hoi dong nhan dan',
  cntt: 'cong nghe thong tin',
  dvc: 'dich vu cong',
  dvctt: 'dich vu cong truc tuyen',
  cbccvc: 'can bo cong chuc vien chuc',
  gcn: 'giay chung nhan',
  qsdd: 'quyen su dung dat',
  tp: 'thanh pho',
};

/** A title reduced for comparison: folded, abbreviations expanded. Stored as initiatives.title_key. */
export function titleKey(title: string): string {
  return fold(title)
    .split(' ')
    .map((w) => ABBREVIATIONS[w] ?? w)
    .join(' ');
}

/** How alike two titles are, 0..1: the Dice coefficient of their word sets after folding and expansion. */
export function titleSimilarity(a: string, b: string): number {
  const wa = new Set(titleKey(a).split(' ').filter(Boolean));
  const wb = new Set(titleKey(b).split(' ').filter(Boolean));
  if (wa.size === 0 || wb.size === 0) return 0;
  let common = 0;
  for (const w of wa) if (wb.has(w)) common++;
  return (2 * common) / (wa.size + wb.size);
}

/** Titles at least this alike name the same initiative (a reworded or abbreviated version of it). */
export const SAME_TITLE = 0.75;

/** The candidate whose title best matches, if it matches well enough. */
export function bestTitleMatch<T extends { title: string }>(
  title: string,
  candidates: readonly T[],
  threshold = SAME_TITLE,
): { match: T; score: number } | null {
  let best: { match: T; score: number } | null = null;
  for (const c of candidates) {
    const score = titleSimilarity(title, c.title);
    if (score >= threshold && (!best || score > best.score)) best = { match: c, score };
  }
  return best;
}
