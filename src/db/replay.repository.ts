import { sql, type Transaction } from 'kysely';
import type { Database } from './database.js';
import type { DB } from './schema.js';

/**
 * Take back what an attachment's parse recorded, so it can be recorded again: the initiatives it replaced are
 * active again, the submissions they belong to too, and its own submission (with its initiatives and results)
 * is removed. The attachment goes back to pending.
 */
export async function undoParse(trx: Transaction<DB>, attachmentId: string): Promise<OrphanResult[]> {
  const submission = await trx
    .selectFrom('submissions')
    .select('id')
    .where('attachment_id', '=', attachmentId)
    .executeTakeFirst();
  let orphans: OrphanResult[] = [];
  if (submission) {
    // Results reported later against these initiatives: unlinked now, linked again to the new rows after.
    orphans = await trx
      .selectFrom('initiative_results')
      .innerJoin('initiatives', 'initiatives.id', 'initiative_results.initiative_id')
      .select(['initiative_results.id as resultId', 'initiatives.position'])
      .where('initiatives.submission_id', '=', submission.id)
      .execute();
    if (orphans.length > 0) {
      await trx
        .updateTable('initiative_results')
        .set({ initiative_id: null })
        .where(
          'id',
          'in',
          orphans.map((o) => o.resultId),
        )
        .execute();
    }
    const replaced = await trx
      .updateTable('initiatives')
      .set({ status: 'active', superseded_by_id: null, updated_at: sql`now()` })
      .where(
        'superseded_by_id',
        'in',
        trx.selectFrom('initiatives').select('id').where('submission_id', '=', submission.id),
      )
      .returning('submission_id')
      .execute();
    for (const id of new Set(replaced.map((r) => r.submission_id))) {
      await trx
        .updateTable('submissions')
        .set({ status: 'active', updated_at: sql`now()` })
        .where('id', '=', id)
        .where('status', '=', 'superseded')
        .execute();
    }
    await trx
      .updateTable('submissions')
      .set({ supersedes_id: null })
      .where('supersedes_id', '=', submission.id)
      .execute();
    await trx.deleteFrom('submissions').where('id', '=', submission.id).execute();
  }
  await trx
    .updateTable('attachments')
    .set({
      state: 'pending',
      reason_code: null,
      error_message: null,
      parsed_kind: null,
      parse_result: null,
      parse_ms: null,
      updated_at: sql`now()`,
    })
    .where('id', '=', attachmentId)
    .execute();
  return orphans;
}

export interface OrphanResult {
  resultId: string;
  position: number;
}

/** Link results back to the initiative now at the same place in the re-recorded form, or flag them. */
export async function relinkResults(
  db: Transaction<DB> | Database,
  attachmentId: string,
  orphans: readonly OrphanResult[],
): Promise<void> {
  for (const o of orphans) {
    const now = await db
      .selectFrom('initiatives')
      .innerJoin('submissions', 'submissions.id', 'initiatives.submission_id')
      .select('initiatives.id')
      .where('submissions.attachment_id', '=', attachmentId)
      .where('initiatives.position', '=', o.position)
      .executeTakeFirst();
    await db
      .updateTable('initiative_results')
      .set({ initiative_id: now?.id ?? null, needs_review: now === undefined })
      .where('id', '=', o.resultId)
      .execute();
  }
}
