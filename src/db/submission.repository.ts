import { type Insertable, sql } from 'kysely';
import type { SubmissionStatus } from '../domain/kinds.js';
import type { Db } from './database.js';
import { reusableQuery } from './reusable-query.js';
import type { Submissions } from './schema.js';

/** A submission by its reference, with what confirming it needs: its file, what was read, its message. */
export async function submissionByReference(db: Db, reference: string) {
  return db
    .selectFrom('submissions')
    .innerJoin('attachments', 'attachments.id', 'submissions.attachment_id')
    .innerJoin('messages', 'messages.id', 'attachments.message_id')
    .select([
      'submissions.id',
      'submissions.reference',
      'submissions.status',
      'submissions.kind',
      'submissions.agency_id',
      'submissions.review_reasons',
      'submissions.form_agency_code',
      'attachments.id as attachment_id',
      'attachments.sha256',
      'attachments.parse_result',
      'messages.id as message_id',
      'messages.received_at',
      'messages.from_address',
      'messages.auth_verdict',
      'messages.agency_id as sender_agency_id',
    ])
    .where('submissions.reference', '=', reference)
    .executeTakeFirst();
}

/** Give a submission a reference it had before (a confirmed or replayed submission keeps the one the sender was told). */
export async function setSubmissionReference(db: Db, id: string, reference: string): Promise<void> {
  await db.updateTable('submissions').set({ reference }).where('id', '=', id).execute();
}

/** A submission of the same bytes by the same agency from another attachment: a second copy adds nothing. */
export async function findSameFileSubmission(db: Db, sha256: string, agencyId: string, attachmentId: string) {
  return db
    .selectFrom('submissions')
    .innerJoin('attachments', 'attachments.id', 'submissions.attachment_id')
    .select(['submissions.id', 'submissions.reference'])
    .where('attachments.sha256', '=', sha256)
    .where('submissions.agency_id', '=', agencyId)
    .where('submissions.attachment_id', '<>', attachmentId)
    .where('submissions.status', '<>', 'duplicate')
    .executeTakeFirst();
}

export async function insertSubmission(
  trx: Db,
  values: SubmissionValues,
  referencePrefix: string,
): Promise<{ id: string; reference: string }> {
  const [row] = await insertSubmissionQuery(trx, { ...values, referencePrefix });
  if (!row) throw new Error('the submission insert returned no row');
  return row;
}
export type SubmissionValues = {
  [K in
    | 'campaign_id'
    | 'agency_id'
    | 'attachment_id'
    | 'kind'
    | 'form_agency_code'
    | 'form_agency_name'
    | 'form_year'
    | 'status'
    | 'review_reasons'
    | 'warnings'
    | 'received_at']-?: Exclude<Insertable<Submissions>[K], undefined>;
};
// The reference is made from the id: the id is drawn first, and both are written by the one insert.
const insertSubmissionQuery = reusableQuery((db, p: SubmissionValues & { referencePrefix: string }) =>
  db
    .with('next', (q) => q.selectNoFrom(sql<string>`nextval('submissions_id_seq')`.as('id')))
    .insertInto('submissions')
    .values({
      campaign_id: p.campaign_id,
      agency_id: p.agency_id,
      attachment_id: p.attachment_id,
      kind: p.kind,
      form_agency_code: p.form_agency_code,
      form_agency_name: p.form_agency_name,
      form_year: p.form_year,
      status: p.status,
      review_reasons: p.review_reasons,
      warnings: p.warnings,
      received_at: p.received_at,
      id: sql<string>`(select id from next)`,
      // zero-padded to five digits, never cut: lpad alone would truncate a longer id
      reference: sql<string>`${p.referencePrefix} || '-' || (select lpad(id::text, greatest(5, length(id::text)), '0') from next)`,
    })
    .returning(['id', 'reference']),
);

export async function setSubmissionStatus(trx: Db, id: string, status: SubmissionStatus): Promise<void> {
  await trx.updateTable('submissions').set({ status, updated_at: sql`now()` }).where('id', '=', id).execute();
}

export async function setSubmissionSupersedes(trx: Db, id: string, supersedesId: string): Promise<void> {
  await trx.updateTable('submissions').set({ supersedes_id: supersedesId }).where('id', '=', id).execute();
}

export async function addSubmissionReviewReason(trx: Db, id: string, reason: string): Promise<void> {
  await trx
    .updateTable('submissions')
    .set({ review_reasons: sql`array_append(review_reasons, ${reason})` })
    .where('id', '=', id)
    .where(sql<boolean>`not (${reason} = any(review_reasons))`)
    .execute();
}

/**
 * Take back what an attachment's parse recorded, so it can be recorded again: the initiatives it replaced are
 * active again, the submissions they belong to too, and its own submission (with its initiatives and results)
 * is removed. The attachment goes back to pending.
 */
export async function takeBackRecordedParse(trx: Db, attachmentId: string): Promise<OrphanResult[]> {
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

/** Submissions recorded since a moment, with their agency, sender and size. */
export async function submissionsSince(db: Db, since: Date | null) {
  return db
    .selectFrom('submissions')
    .leftJoin('agencies', 'agencies.id', 'submissions.agency_id')
    .innerJoin('attachments', 'attachments.id', 'submissions.attachment_id')
    .innerJoin('messages', 'messages.id', 'attachments.message_id')
    .select([
      'submissions.reference',
      'submissions.kind',
      'submissions.status',
      'submissions.received_at',
      'submissions.late',
      'agencies.name as agency_name',
      'messages.from_address',
      'attachments.filename',
      sql<number>`(select count(*) from initiatives i where i.submission_id = submissions.id)::int`.as(
        'initiatives',
      ),
      sql<number>`(select count(*) from initiative_results r where r.submission_id = submissions.id)::int`.as(
        'results',
      ),
    ])
    .$if(since !== null, (q) => q.where('submissions.created_at', '>', since as Date))
    .orderBy('submissions.id')
    .execute();
}

/** Submissions of a message still held for review. */
export async function heldSubmissionsOfMessage(db: Db, messageId: string): Promise<number> {
  const r = await db
    .selectFrom('submissions')
    .innerJoin('attachments', 'attachments.id', 'submissions.attachment_id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('attachments.message_id', '=', messageId)
    .where('submissions.status', '=', 'pending_review')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function submissionOfAttachment(db: Db, attachmentId: string) {
  return db
    .selectFrom('submissions')
    .select(['id', 'reference', 'status'])
    .where('attachment_id', '=', attachmentId)
    .executeTakeFirst();
}
