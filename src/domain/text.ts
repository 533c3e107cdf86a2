// Text helpers for Vietnamese: comparisons that ignore diacritics, case and spacing.

/** NFC with runs of whitespace collapsed to one space and the ends trimmed. */
export function normalizeSpace(s: string): string {
  return s.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/**
 * Fold for matching: no diacritics (đ → d), lower case, punctuation to spaces, single spaces.
 * `Sở Tư pháp`, `SỞ TƯ PHÁP` and `So Tu Phap` all fold to `so tu phap`.
 */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[đĐ]/gu, 'd')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
