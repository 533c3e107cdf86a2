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
