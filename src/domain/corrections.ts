import { fieldSpec, type InitiativeField } from './initiative-fields.js';
import { normalizeSpace } from './text.js';

// A person may correct every field of an initiative (src/domain/initiative-fields.ts), by its name in the parse
// contract; it is kept in the field's own column.
export type CorrectableField = InitiativeField;

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const MAX_LENGTH = 10_000;

/**
 * A person's value for a field, checked and tidied: spaces folded, empty means "the form has none" (null); a
 * title cannot be empty; a start or end month is YYYY-MM (also accepted as MM/YYYY). Returns the value to
 * store, or a reason (Vietnamese) it cannot be.
 */
export function checkCorrection(
  field: CorrectableField,
  raw: string | null,
): { ok: true; value: string | null } | { ok: false; reason: string } {
  const text = raw === null ? '' : normalizeSpace(raw.replace(/\r\n?/g, '\n'));
  if (text.length > MAX_LENGTH) return { ok: false, reason: `quá dài (tối đa ${MAX_LENGTH} ký tự)` };
  if (field === 'title')
    return text ? { ok: true, value: text } : { ok: false, reason: 'tên sáng kiến không được để trống' };
  if (!text) return { ok: true, value: null };
  if ('month' in fieldSpec(field)) {
    const mmYyyy = /^(\d{1,2})\/(\d{4})$/.exec(text);
    const value = mmYyyy ? `${mmYyyy[2]}-${mmYyyy[1]?.padStart(2, '0')}` : text;
    return MONTH.test(value)
      ? { ok: true, value }
      : { ok: false, reason: 'tháng phải ghi dạng tháng/năm, ví dụ 8/2021' };
  }
  return { ok: true, value: text };
}

/**
 * Whether a person may change an initiative's fields (correct one, give back the parser's reading, undo a
 * correction): one of a confirmed form that counts, or of a held form waiting for staff's confirmation (its
 * corrections are kept through the confirmation); a replaced or withdrawn one is history. Null when allowed,
 * else why not.
 */
export function correctionRefusal(i: { status: string; submissionStatus: string }): string | null {
  if (i.status === 'active' && i.submissionStatus === 'active') return null;
  if (i.status === 'pending_review' && i.submissionStatus === 'pending_review') return null;
  return `it is ${i.status} (its form ${i.submissionStatus}): only an initiative of a counted or a held form can be corrected`;
}
