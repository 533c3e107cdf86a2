import { sql } from 'kysely';
import type { Db } from './database.js';

export interface NewCorrection {
  attachment_id: string;
  position: number;
  field: string;
  value: string | null;
  parser_value: string | null;
  corrected_by: string;
  note: string | null;
}

export async function insertCorrection(db: Db, c: NewCorrection): Promise<string> {
  const r = await db.insertInto('field_corrections').values(c).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/** The corrections in force for a file: the latest one per (position, field) that was not reverted. */
export async function correctionsInForce(db: Db, attachmentId: string) {
  return db
    .selectFrom('field_corrections')
    .select(['id', 'position', 'field', 'value', 'parser_value', 'corrected_by', 'corrected_at', 'note'])
    .distinctOn(['position', 'field'])
    .where('attachment_id', '=', attachmentId)
    .where('reverted_at', 'is', null)
    .orderBy('position')
    .orderBy('field')
    .orderBy('id', 'desc')
    .execute();
}

/** One correction, with the initiative now read from its file at its place (none once the file no longer has it). */
export async function correctionWithInitiative(db: Db, correctionId: string) {
  return db
    .selectFrom('field_corrections')
    .leftJoin('submissions', 'submissions.attachment_id', 'field_corrections.attachment_id')
    .leftJoin('initiatives', (j) =>
      j
        .onRef('initiatives.submission_id', '=', 'submissions.id')
        .onRef('initiatives.position', '=', 'field_corrections.position'),
    )
    .select([
      'field_corrections.id',
      'field_corrections.field',
      'field_corrections.reverted_at',
      'initiatives.id as initiative_id',
    ])
    .where('field_corrections.id', '=', correctionId)
    .executeTakeFirst();
}

/**
 * The corrections of one field of a file's item not taken back, latest first, locked: of two people taking the
 * same correction back at once, the second finds it taken back.
 */
export async function correctionsOfField(db: Db, attachmentId: string, position: number, field: string) {
  return db
    .selectFrom('field_corrections')
    .select(['id', 'value', 'corrected_by', 'corrected_at'])
    .where('attachment_id', '=', attachmentId)
    .where('position', '=', position)
    .where('field', '=', field)
    .where('reverted_at', 'is', null)
    .orderBy('id', 'desc')
    .forUpdate()
    .execute();
}

/** The actions that change a field of a file's item, audited on its initiative with the file and place. */
const CORRECTION_ACTIONS = ['correct_field', 'restore_parser_reading', 'undo_correction'] as const;

/**
 * The audit entries of corrections made to these files' fields, whichever row of the file they were made on: a
 * confirmation or a replay writes the rows again under new ids, and the history still shows them.
 */
export async function correctionAuditOfFiles(db: Db, attachmentIds: readonly string[], limit = 200) {
  if (attachmentIds.length === 0) return [];
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('subject_type', '=', 'initiative')
    .where('action', 'in', CORRECTION_ACTIONS)
    .where(sql<string>`after -> 'place' ->> 'file'`, 'in', attachmentIds)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Take corrections back: they stay in the table, out of force. */
export async function revertCorrections(db: Db, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('field_corrections')
    .set({ reverted_at: sql`now()` })
    .where('id', 'in', ids)
    .where('reverted_at', 'is', null)
    .execute();
}

/**
 * For the console: each initiative's corrections in force (the latest per field) and the parser's reading of it
 * (its item of the file's parse result, and the paths the parser was unsure of).
 */
export async function correctionsOfInitiatives(db: Db, initiativeIds: readonly string[]) {
  if (initiativeIds.length === 0) return [];
  return db
    .selectFrom('initiatives')
    .innerJoin('submissions', 'submissions.id', 'initiatives.submission_id')
    .innerJoin('field_corrections', (j) =>
      j
        .onRef('field_corrections.attachment_id', '=', 'submissions.attachment_id')
        .onRef('field_corrections.position', '=', 'initiatives.position'),
    )
    .select([
      'initiatives.id as initiative_id',
      'field_corrections.id',
      'field_corrections.field',
      'field_corrections.corrected_by',
      'field_corrections.corrected_at',
    ])
    .distinctOn(['initiatives.id', 'field_corrections.field'])
    .where('initiatives.id', 'in', initiativeIds)
    .where('field_corrections.reverted_at', 'is', null)
    .orderBy('initiatives.id')
    .orderBy('field_corrections.field')
    .orderBy('field_corrections.id', 'desc')
    .execute();
}

/** What the parser read of each initiative (its item of the file's parse result) and the paths it doubted. */
export async function readingsOfInitiatives(db: Db, initiativeIds: readonly string[]) {
  if (initiativeIds.length === 0) return [];
  return db
    .selectFrom('initiatives')
    .innerJoin('submissions', 'submissions.id', 'initiatives.submission_id')
    .innerJoin('attachments', 'attachments.id', 'submissions.attachment_id')
    .select([
      'initiatives.id as initiative_id',
      'submissions.attachment_id',
      'submissions.status as submission_status',
      sql<unknown>`attachments.parse_result -> 'initiatives' -> (initiatives.position - 1)`.as('reading'),
      sql<unknown>`attachments.parse_result -> 'uncertain'`.as('uncertain'),
    ])
    .where('initiatives.id', 'in', initiativeIds)
    .execute();
}
