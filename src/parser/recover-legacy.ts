import { type Block, cleanLine } from './blocks.js';
import { decodeLegacy, detectLegacyEncoding, hasUnicodeVietnamese } from './legacy-encoding.js';

// Text a reader could not decode line by line (a PDF printed from a .VnTime form, a .doc whose fonts were
// lost): judged on all such lines of the document at once, where a short line alone is too little to tell.

// A PDF's text layer may give the micro sign of a TCVN3 "à" (µ, U+00B5) as the Greek mu (μ, U+03BC).
const lookalikes = (s: string) => s.replace(/\u03BC/g, '\u00B5');

/** The blocks with every line that has no Unicode Vietnamese decoded, if those lines read as TCVN3 or VNI. */
export function recoverLegacyText(blocks: readonly Block[]): Block[] {
  const plain: string[] = [];
  const visit = (line: string) => {
    if (line !== '' && !hasUnicodeVietnamese(line)) plain.push(lookalikes(line));
  };
  for (const b of blocks) {
    if (b.type === 'paragraph') b.lines.forEach(visit);
    else for (const row of b.rows) for (const cell of row) if (!cell.merged) cell.lines.forEach(visit);
  }
  const encoding = detectLegacyEncoding(plain.join('\n'));
  if (!encoding) return [...blocks];
  let changed = false;
  const decode = (line: string) => {
    if (line === '' || hasUnicodeVietnamese(line)) return line;
    const out = cleanLine(decodeLegacy(lookalikes(line), encoding));
    if (out !== line) changed = true;
    return out;
  };
  const out = blocks.map((b): Block => {
    if (b.type === 'paragraph') {
      const lines = b.lines.map(decode);
      return lines.some((l, i) => l !== b.lines[i]) ? { ...b, lines, recovered: true } : b;
    }
    return {
      ...b,
      rows: b.rows.map((row) =>
        row.map((cell) => {
          const lines = cell.lines.map(decode);
          return lines.some((l, i) => l !== cell.lines[i]) ? { ...cell, lines, recovered: true } : cell;
        }),
      ),
    };
  });
  return changed ? out : [...blocks];
}
