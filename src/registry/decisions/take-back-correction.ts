import {
  correctionsOfField,
  correctionWithInitiative,
  revertCorrections,
} from '../../db/correction.repository.js';
import type { Database, Db } from '../../db/database.js';
import type { CorrectableField } from '../../domain/corrections.js';
import { columnOf, INITIATIVE_FIELD_NAMES, isInitiativeField } from '../../domain/initiative-fields.js';
import { OperationRefused } from '../../errors.js';
import { type Actor, recordAudit } from '../audit.js';
import {
  correctableInitiative,
  onTitleConflict,
  parserReading,
  placeOf,
  writeField,
} from './correct-field.js';

/** A field as it stands after a correction was taken back. */
export interface CorrectionTakenBack {
  initiativeId: string;
  field: CorrectableField;
  before: string | null;
  after: string | null;
  /** What the parser read of the field. */
  parserValue: string | null;
  /** The correction in force now (an earlier one), or null: the field shows the parser's reading. */
  inForce: { id: string; by: string; at: Date } | null;
}

/**
 * "Trả lại nội dung hệ thống đọc": every correction of the field is taken back and the field shows what the
 * parser read, so the registry, the report and the counting stand as if no one had corrected it. The corrections
 * stay in the table (taken back), and the history says who gave the reading back. Refused when the field has no
 * correction in force.
 */
export async function restoreParserReading(
  db: Database,
  by: Actor,
  input: { initiativeId: string; field: string; note?: string | null },
): Promise<CorrectionTakenBack> {
  const field = fieldOf(input.field);
  return onTitleConflict(input.initiativeId, () =>
    db.transaction().execute(async (trx) => {
      const i = await correctableInitiative(trx, input.initiativeId);
      const corrections = await correctionsOfField(trx, i.attachment_id, i.position, field);
      if (corrections.length === 0)
        throw new OperationRefused('wrong_state', `${field} of initiative ${i.id} is as the parser read it`, {
          id: i.id,
          field,
        });
      return takeBack(trx, by, {
        initiativeId: i.id,
        field,
        revert: corrections.map((c) => c.id),
        action: 'restore_parser_reading',
        note: input.note ?? null,
      });
    }),
  );
}

/**
 * "Hoàn tác" after a correction: the correction is taken back and the field shows what it showed before it
 * (the person's earlier correction, else the parser's reading). Only the correction in force can be undone: one
 * already taken back, or followed by a later correction of the same field, is refused. `correctionId` names it
 * (the console's undo); `initiativeId` and `field` name the one in force (the CLI).
 */
export async function undoCorrection(
  db: Database,
  by: Actor,
  input: ({ correctionId: string } | { initiativeId: string; field: string }) & { note?: string | null },
): Promise<CorrectionTakenBack> {
  const target = 'correctionId' in input ? await correctionTarget(db, input.correctionId) : input;
  const field = fieldOf(target.field);
  return onTitleConflict(target.initiativeId, () =>
    db.transaction().execute(async (trx) => {
      const i = await correctableInitiative(trx, target.initiativeId);
      const [latest] = await correctionsOfField(trx, i.attachment_id, i.position, field);
      if (!latest)
        throw new OperationRefused(
          'wrong_state',
          `${field} of initiative ${i.id} has no correction to undo`,
          {
            id: i.id,
            field,
          },
        );
      if ('correctionId' in input && latest.id !== input.correctionId)
        throw new OperationRefused(
          'wrong_state',
          `correction ${input.correctionId} is no longer the one in force (${latest.id} came after it)`,
          { id: i.id, field, correctionId: input.correctionId },
        );
      return takeBack(trx, by, {
        initiativeId: i.id,
        field,
        revert: [latest.id],
        action: 'undo_correction',
        note: input.note ?? null,
      });
    }),
  );
}

function fieldOf(name: string): CorrectableField {
  if (!isInitiativeField(name))
    throw new OperationRefused(
      'invalid_input',
      `a field is one of ${INITIATIVE_FIELD_NAMES.join(', ')}, not ${name}`,
    );
  return name;
}

/** The initiative and field a correction is about; refused when it was taken back or its file no longer has it. */
async function correctionTarget(db: Db, correctionId: string) {
  const c = /^\d{1,18}$/.test(correctionId) ? await correctionWithInitiative(db, correctionId) : undefined;
  if (!c) throw new OperationRefused('not_found', `no correction ${correctionId}`, { correctionId });
  if (c.reverted_at)
    throw new OperationRefused('wrong_state', `correction ${correctionId} was already taken back`, {
      correctionId,
    });
  if (!c.initiative_id)
    throw new OperationRefused(
      'not_found',
      `the file of correction ${correctionId} has no such initiative now`,
      {
        correctionId,
      },
    );
  return { initiativeId: c.initiative_id, field: c.field };
}

/** Take corrections back and put the value now in force in the row, audited. */
async function takeBack(
  trx: Db,
  by: Actor,
  t: { initiativeId: string; field: CorrectableField; revert: string[]; action: string; note: string | null },
): Promise<CorrectionTakenBack> {
  const i = await correctableInitiative(trx, t.initiativeId);
  const old = i[columnOf(t.field)];
  await revertCorrections(trx, t.revert);
  const [earlier] = await correctionsOfField(trx, i.attachment_id, i.position, t.field);
  const parserValue = parserReading(i, t.field);
  const value = earlier ? earlier.value : parserValue;
  await writeField(trx, i, t.field, value);
  await recordAudit(trx, by, {
    action: t.action,
    subject: ['initiative', i.id],
    before: { [t.field]: old },
    after: { [t.field]: value, place: placeOf(i) },
    note: t.note,
  });
  return {
    initiativeId: i.id,
    field: t.field,
    before: old,
    after: value,
    parserValue,
    inForce: earlier ? { id: earlier.id, by: earlier.corrected_by, at: earlier.corrected_at } : null,
  };
}
