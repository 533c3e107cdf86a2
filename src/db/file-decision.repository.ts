import { sql } from 'kysely';
import type { Db } from './database.js';

/** What a person decided about a file (confirmation, counting rule), if anything. */
export async function fileDecision(db: Db, attachmentId: string) {
  return db
    .selectFrom('file_decisions')
    .selectAll()
    .where('attachment_id', '=', attachmentId)
    .executeTakeFirst();
}

/** Keep a person's confirmation of a held form for an agency (and the address it added to the registry). */
export async function setConfirmation(
  db: Db,
  attachmentId: string,
  c: { agencyId: string; by: string; rememberedAddress: string | null },
): Promise<void> {
  const values = {
    confirmed_agency_id: c.agencyId,
    confirmed_by: c.by,
    confirmed_at: sql<Date>`now()`,
    remembered_address: c.rememberedAddress,
  };
  await db
    .insertInto('file_decisions')
    .values({ attachment_id: attachmentId, ...values })
    .onConflict((oc) => oc.column('attachment_id').doUpdateSet(values))
    .execute();
}

export async function clearConfirmation(db: Db, attachmentId: string): Promise<void> {
  await db
    .updateTable('file_decisions')
    .set({ confirmed_agency_id: null, confirmed_by: null, confirmed_at: null, remembered_address: null })
    .where('attachment_id', '=', attachmentId)
    .execute();
}

/** Whether the file's form counts as a revision, a supplement, or (null) as its mail says. */
export async function setCountsAs(
  db: Db,
  attachmentId: string,
  countsAs: 'revision' | 'supplement' | null,
  by: string,
): Promise<void> {
  const values = {
    counts_as: countsAs,
    counts_as_by: countsAs ? by : null,
    counts_as_at: countsAs ? sql<Date>`now()` : null,
  };
  await db
    .insertInto('file_decisions')
    .values({ attachment_id: attachmentId, ...values })
    .onConflict((oc) => oc.column('attachment_id').doUpdateSet(values))
    .execute();
}
