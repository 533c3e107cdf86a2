// Text helpers for Vietnamese: comparisons that ignore diacritics, case and spacing.

/** NFC with runs of whitespace collapsed to one space and the ends trimmed. */
export function normalizeSpace(s: string): string {
  return s.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/** Folded texts remembered (see `fold`). */
const FOLDED = new Map<string, string>();

/**
 * Fold for matching: no diacritics (đ → d), lower case, punctuation to spaces, single spaces.
 * `Sở Tư pháp`, `SỞ TƯ PHÁP` and `So Tu Phap` all fold to `so tu phap`.
 */
export function fold(s: string): string {
  const known = FOLDED.get(s);
  if (known !== undefined) return known;
  const folded = s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[đĐ]/gu, 'd')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  // Labels, headings and short lines are folded again and again while a form is read: remembered, within bounds.
  if (s.length <= 256) {
    if (FOLDED.size >= 20_000) FOLDED.clear();
    FOLDED.set(s, folded);
  }
  return folded;
}

/** A size as Vietnamese write it: "30 MB", "97,7 KB" (decimal comma). */
export function formatSize(bytes: number): string {
  const [value, unit] = bytes >= 1024 * 1024 ? [bytes / 1024 / 1024, 'MB'] : [bytes / 1024, 'KB'];
  const rounded = Number.isInteger(value) ? String(value) : value.toFixed(1).replace('.', ',');
  return `${rounded} ${unit}`;
}
