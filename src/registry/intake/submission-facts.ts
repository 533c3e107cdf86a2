import { createHash } from 'node:crypto';
import { INITIATIVE_FIELD_NAMES } from '../../domain/initiative-fields.js';
import { fold, normalizeSpace } from '../../domain/text.js';
import type { ParsedForm } from '../../parser/form-types.js';

/**
 * The content of a form, normalised: spaces folded, Unicode composed. Equal for the same form in another file
 * or format (a .docx and its PDF print, a re-send); different as soon as one field differs.
 */
export function contentHash(form: ParsedForm): string {
  const text = (v: string | null | undefined) => (v == null ? null : normalizeSpace(v));
  const body =
    form.kind === 'registration'
      ? form.initiatives.map((i) => INITIATIVE_FIELD_NAMES.map((k) => text(i[k])))
      : form.results.map((r) => [text(r.title), r.status, text(r.outcome)]);
  return createHash('sha256')
    .update(JSON.stringify([form.kind, body]))
    .digest('hex');
}

const REVISION = /\b(sua doi|thay the|dieu chinh|ban cap nhat|cap nhat lai|dinh chinh)\b/;
const SUPPLEMENT = /\bbo sung\b/;

/**
 * What a form says it is, from the mail's subject, the file's name and the form's own title lines: a revision ("sửa đổi", "thay thế", "điều chỉnh", "bản cập nhật") replaces the
 * agency's earlier registration; a supplement ("bổ sung") adds to it. Revision wins when both are said.
 */
export function revisionHint(
  texts: readonly (string | null | undefined)[],
): 'revision' | 'supplement' | null {
  const all = fold(texts.filter(Boolean).join(' \n '));
  if (REVISION.test(all)) return 'revision';
  if (SUPPLEMENT.test(all)) return 'supplement';
  return null;
}
