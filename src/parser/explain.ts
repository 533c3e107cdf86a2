import type { ParsedForm } from './form-types.js';
import type { Explanation } from './parse-form.js';

const clip = (s: string, n = 70) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * A reading as a person checks it against the document: each field with the place its text came from, the
 * text nothing accounts for (and the field it was flagged at), and the doubtful fields.
 */
export function explainReading(file: string, form: ParsedForm, explanation: Explanation | undefined): string {
  const out = [`${file}: ${form.kind}, agency ${form.agency_code ?? '?'}, year ${form.year ?? '?'}`];
  const width = Math.max(0, ...(explanation?.fields ?? []).map((f) => f.path.length));
  for (const { path, from } of explanation?.fields ?? []) {
    from.forEach(({ at, text }, i) => {
      out.push(`  ${(i === 0 ? path : '').padEnd(width)}  ${at.padEnd(26)}  ${JSON.stringify(clip(text))}`);
    });
  }
  const unaccounted = explanation?.unaccounted ?? [];
  out.push(unaccounted.length === 0 ? '  unaccounted: none' : '  unaccounted:');
  for (const u of unaccounted)
    out.push(`    ${u.at.padEnd(26)}  -> ${u.path}  ${JSON.stringify(clip(u.text))}`);
  out.push(`  uncertain: ${form.uncertain.length === 0 ? 'none' : form.uncertain.join(', ')}`);
  if (form.warnings.length > 0) out.push(`  warnings: ${form.warnings.join('; ')}`);
  return out.join('\n');
}
