import { correctionsInForce, insertCorrection } from '../../db/correction.repository.js';
import type { Database, Db } from '../../db/database.js';
import { initiativeWithSource, setInitiativeField } from '../../db/initiative.repository.js';
import { type CorrectableField, checkCorrection, correctionRefusal } from '../../domain/corrections.js';
import { columnOf, INITIATIVE_FIELD_NAMES, isInitiativeField } from '../../domain/initiative-fields.js';
import { titleKey } from '../../domain/title-match.js';
import { OperationRefused } from '../../errors.js';
import type { ParsedForm } from '../../parser/form-types.js';
import { type Actor, recordAudit } from '../audit.js';
import { rebuildLedger } from '../intake/ledger.js';

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
  /** The correction kept (what "Hoàn tác" takes back). */
  correctionId: string;
  field: CorrectableField;
  before: string | null;
  after: string | null;
  /** What the parser read, kept whatever people change. */
  parserValue: string | null;
}

const UNIQUE_VIOLATION = '23505';

/**
 * A person corrects a field the parser misread, of an active initiative of a confirmed form or of a held form
 * before it is confirmed (`correctionRefusal`). The correction is kept beside the parser's reading (which
 * stays in the file's parse result), keyed by file and position so a replay of the parser or a confirmation finds
 * it again, and it is what the registry shows and counts from now on. One transaction, audited with the value
 * before; `undoCorrection` and `restoreParserReading` take it back.
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
  return onTitleConflict(input.initiativeId, () =>
    db.transaction().execute(async (trx) => {
      const before = await correctableInitiative(trx, input.initiativeId);
      const old = before[columnOf(field)];
      const parserValue = parserReading(before, field);
      const correctionId = await insertCorrection(trx, {
        attachment_id: before.attachment_id,
        position: before.position,
        field,
        value: checked.value,
        parser_value: parserValue,
        corrected_by: by.name,
        note: input.note ?? null,
      });
      await writeField(trx, before, field, checked.value);
      await recordAudit(trx, by, {
        action: 'correct_field',
        subject: ['initiative', before.id],
        before: { [field]: old },
        after: { [field]: checked.value, place: placeOf(before) },
        note: input.note ?? null,
      });
      return { initiativeId: before.id, correctionId, field, before: old, after: checked.value, parserValue };
    }),
  );
}

type Initiative = NonNullable<Awaited<ReturnType<typeof initiativeWithSource>>>;

/** The initiative a person changes, in a state where it may be changed; refused otherwise. */
export async function correctableInitiative(trx: Db, id: string): Promise<Initiative> {
  const i = await initiativeWithSource(trx, id);
  if (!i) throw new OperationRefused('not_found', `no initiative ${id}`, { id });
  const refusal = correctionRefusal({ status: i.status, submissionStatus: i.submission_status });
  if (refusal)
    throw new OperationRefused('wrong_state', `initiative ${i.id} of ${i.reference}: ${refusal}`, {
      id: i.id,
      status: i.status,
    });
  return i;
}

/** Where the field stands in its file, for the history: the rows of a file are written again on a replay. */
export function placeOf(i: Initiative): { file: string; position: number } {
  return { file: i.attachment_id, position: i.position };
}

/** What the parser read of a field of the initiative, from its file's parse result. */
export function parserReading(i: Initiative, field: CorrectableField): string | null {
  const parsed = (i.parse_result as unknown as ParsedForm | null)?.initiatives?.[i.position - 1];
  return parsed ? ((parsed[field] as string | null | undefined) ?? null) : null;
}

/**
 * Put a value in the initiative's row; a new title is also what the agency's registry compares (what replaces
 * what, which result reports on it), so the registry is brought in line with it.
 */
export async function writeField(
  trx: Db,
  i: Initiative,
  field: CorrectableField,
  value: string | null,
): Promise<void> {
  await setInitiativeField(
    trx,
    { id: i.id },
    columnOf(field),
    value,
    value !== null ? titleKey(value) : undefined,
  );
  if (field === 'title') await rebuildLedger(trx, i.campaign_id, i.agency_id);
}

/** Run a change of a field; two active initiatives of an agency with one title is refused in words. */
export async function onTitleConflict<T>(initiativeId: string, change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (err) {
    if ((err as { code?: unknown }).code === UNIQUE_VIOLATION) {
      throw new OperationRefused('conflict', 'the agency already has an active initiative with this title', {
        initiativeId,
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
