import { correctionsInForce, insertCorrection } from '../../db/correction.repository.js';
import type { Database, Db } from '../../db/database.js';
import { initiativeWithSource, setInitiativeField } from '../../db/initiative.repository.js';
import { type CorrectableField, checkCorrection } from '../../domain/corrections.js';
import { columnOf, INITIATIVE_FIELD_NAMES, isInitiativeField } from '../../domain/initiative-fields.js';
import { titleKey } from '../../domain/title-match.js';
import { OperationRefused } from '../../errors.js';
import type { ParsedForm } from '../../parser/form-types.js';
import { type Actor, recordAudit } from '../audit.js';

export interface CorrectField {
  initiativeId: string;
  /** A field of the parse contract (src/domain/initiative-fields.ts). */
  field: string;
  /** The person's value; empty or null means the form has none. */
  value: string | null;
  note?: string | null;
}

export interface Corrected {
  initiativeId: string;
  field: CorrectableField;
  before: string | null;
  after: string | null;
  /** What the parser read, kept whatever people change. */
  parserValue: string | null;
}

const UNIQUE_VIOLATION = '23505';

/**
 * A person corrects a field the parser misread, of an active initiative of a confirmed form. The correction is
 * kept beside the parser's reading (which
 * stays in the file's parse result), keyed by file and position so a replay of the parser finds it again, and
 * it is what the registry shows and counts from now on. One transaction, audited with the value before.
 */
export async function correctField(db: Database, by: Actor, input: CorrectField): Promise<Corrected> {
  if (!isInitiativeField(input.field)) {
    throw new OperationRefused(
      'invalid_input',
      `a correction names one of ${INITIATIVE_FIELD_NAMES.join(', ')}, not ${input.field}`,
    );
  }
  const field = input.field;
  const checked = checkCorrection(field, input.value);
  if (!checked.ok) throw new OperationRefused('invalid_input', checked.reason, { field });
  try {
    return await db.transaction().execute(async (trx) => {
      const before = await initiativeWithSource(trx, input.initiativeId);
      if (!before)
        throw new OperationRefused('not_found', `no initiative ${input.initiativeId}`, {
          id: input.initiativeId,
        });
      // What counts is corrected; a held form is confirmed first, a replaced or withdrawn initiative is history.
      if (before.status !== 'active' || before.submission_status !== 'active')
        throw new OperationRefused(
          'wrong_state',
          `initiative ${before.id} is ${before.status} (its form ${before.reference} ${before.submission_status}): only an active initiative of a confirmed form can be corrected`,
          { id: before.id, status: before.status },
        );
      const column = columnOf(field);
      const old = before[column];
      const parsed = (before.parse_result as unknown as ParsedForm | null)?.initiatives?.[
        before.position - 1
      ];
      const parserValue = parsed ? ((parsed[field] as string | null | undefined) ?? null) : null;
      await insertCorrection(trx, {
        attachment_id: before.attachment_id,
        position: before.position,
        field,
        value: checked.value,
        parser_value: parserValue,
        corrected_by: by.name,
        note: input.note ?? null,
      });
      await setInitiativeField(
        trx,
        { id: before.id },
        column,
        checked.value,
        checked.value !== null ? titleKey(checked.value) : undefined,
      );
      await recordAudit(trx, by, {
        action: 'correct_field',
        subject: ['initiative', before.id],
        before: { [field]: old },
        after: { [field]: checked.value },
        note: input.note ?? null,
      });
      return { initiativeId: before.id, field, before: old, after: checked.value, parserValue };
    });
  } catch (err) {
    if ((err as { code?: unknown }).code === UNIQUE_VIOLATION) {
      throw new OperationRefused('conflict', 'the agency already has an active initiative with this title', {
        initiativeId: input.initiativeId,
      });
    }
    throw err;
  }
}

/**
 * Put people's corrections back on what was just recorded from a file (after a replay or a confirmation):
 * the parser's new reading never overwrites a person's value.
 */
export async function reapplyCorrections(trx: Db, attachmentId: string): Promise<number> {
  let applied = 0;
  for (const c of await correctionsInForce(trx, attachmentId)) {
    if (!isInitiativeField(c.field)) continue;
    applied += await setInitiativeField(
      trx,
      { attachmentId, position: c.position },
      columnOf(c.field),
      c.value,
      c.value !== null ? titleKey(c.value) : undefined,
    );
  }
  return applied;
}
