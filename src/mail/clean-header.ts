// One cleaning for every header field a sender wrote, used where it is stored (src/imap ingest) and wherever it is
// shown again (logs, reports, replies): PostgreSQL refuses NUL in text, control characters corrupt logs and CSV
// cells, a line break in a header can forge another header, and bidirectional controls can make a file name or a
// subject read differently from what it is ("Trojan Source", CVE-2021-42574).

// C0 controls other than the three line/space characters folded below, DEL, C1 controls.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
// Bidirectional controls: embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069), the LRM/RLM marks
// (U+200E, U+200F) and the Arabic letter mark (U+061C).
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
// Folding whitespace and every other line break (CR, LF, TAB, NEL is C1 and already gone, LINE/PARAGRAPH SEPARATOR).
const BREAKS = /[\r\n\t\u2028\u2029]+/g;

/**
 * A single-line header field (subject, display name, address, Message-ID, References, Return-Path, a file name,
 * Authentication-Results…) as it may be stored and shown: NUL, C0/C1 control characters and bidirectional
 * controls removed, CR/LF/TAB folded to one space, spaces collapsed and trimmed, Unicode NFC.
 * `null`/`undefined` give `null`; the empty string stays empty (callers decide whether empty means absent).
 */
export function cleanHeader(value: string): string;
export function cleanHeader(value: string | null | undefined): string | null;
export function cleanHeader(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return value
    .replace(BREAKS, ' ')
    .replace(CONTROL, '')
    .replace(BIDI, '')
    .replace(/ {2,}/g, ' ')
    .trim()
    .normalize('NFC');
}

/**
 * Multi-line text a sender wrote (or text derived from it) as PostgreSQL can store it: only NUL is removed, line
 * breaks and everything else kept. For text that is shown on one line, use `cleanHeader`.
 */
export function withoutNul(value: string): string;
export function withoutNul(value: string | null | undefined): string | null;
export function withoutNul(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
}
