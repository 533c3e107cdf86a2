import { type Insertable, sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
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
      'submissions.campaign_id',
      'submissions.agency_id',
      'submissions.revision_hint',
      'submissions.review_reasons',
      'submissions.form_agency_code',
      'attachments.id as attachment_id',
      'attachments.sha256',
      'attachments.parse_result',
      'messages.id as message_id',
      'messages.received_at',
      'messages.from_address',
      'messages.auth_verdict',
      'messages.sender_doubt',
      'messages.agency_id as sender_agency_id',
      'messages.subject',
      'attachments.filename',
    ])
    .where('submissions.reference', '=', reference)
    .executeTakeFirst();
}

/** Give a submission a reference it had before (a confirmed or replayed submission keeps the one the sender was told). */
export async function setSubmissionReference(db: Db, id: string, reference: string): Promise<void> {
  await db.updateTable('submissions').set({ reference }).where('id', '=', id).execute();
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
    | 'received_at'
    | 'content_hash'
    | 'revision_hint'
    | 'late']-?: Exclude<Insertable<Submissions>[K], undefined>;
};

/**
 * Take back what an attachment's parse recorded, so it can be recorded again: its submission (with its
 * initiatives and results) is removed, whatever pointed at them is unpointed, and the attachment goes back to
 * pending. The agency's ledger is rebuilt by the caller afterwards, which restores what the removed rows had
 * replaced. Results a person linked to the removed initiatives are returned, to be linked again by position.
 */
export async function takeBackRecordedParse(
  trx: Db,
  attachmentId: string,
): Promise<{ orphans: OrphanResult[]; campaignId: string | null; agencyId: string | null }> {
  const submission = await trx
    .selectFrom('submissions')
    .select(['id', 'campaign_id', 'agency_id'])
    .where('attachment_id', '=', attachmentId)
    .executeTakeFirst();
  let orphans: OrphanResult[] = [];
  if (submission) {
    const own = trx.selectFrom('initiatives').select('id').where('submission_id', '=', submission.id);
    orphans = await trx
      .selectFrom('initiative_results')
      .innerJoin('initiatives', 'initiatives.id', 'initiative_results.initiative_id')
      .select(['initiative_results.id as resultId', 'initiatives.position'])
      .where('initiatives.submission_id', '=', submission.id)
      .where('initiative_results.linked_by', 'is not', null)
      .execute();
    await trx
      .updateTable('initiative_results')
      .set({ initiative_id: null })
      .where('initiative_id', 'in', own)
      .execute();
    await trx
      .updateTable('initiatives')
      .set({ superseded_by_id: null })
      .where('superseded_by_id', 'in', own)
      .execute();
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
  return { orphans, campaignId: submission?.campaign_id ?? null, agencyId: submission?.agency_id ?? null };
}

export interface OrphanResult {
  resultId: string;
  position: number;
}

/** Submissions recorded since a moment, with their agency, the agency the form names, sender and size. */
export async function submissionsSince(db: Db, since: Date | null) {
  return db
    .selectFrom('submissions')
    .leftJoin('agencies', 'agencies.id', 'submissions.agency_id')
    .leftJoin('agencies as named', 'named.code', 'submissions.form_agency_code')
    .innerJoin('attachments', 'attachments.id', 'submissions.attachment_id')
    .innerJoin('messages', 'messages.id', 'attachments.message_id')
    .select([
      'submissions.reference',
      'submissions.kind',
      'submissions.status',
      'submissions.received_at',
      'submissions.late',
      'agencies.name as agency_name',
      // The agency the form names, when the registry knows it and it is not the one the form counts for.
      sql<string | null>`case when named.id is distinct from submissions.agency_id then named.name end`.as(
        'named_agency_name',
      ),
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

/**
 * Every submission of an agency in a campaign, with its arrival order, its initiatives and its results: what the
 * ledger is computed from, in one round trip (it runs for every form recorded).
 */
export async function agencySubmissions(db: Db, campaignId: string, agencyId: string) {
  return agencySubmissionsQuery(db, { campaignId, agencyId });
}
const agencySubmissionsQuery = reusableQuery((db, p: { campaignId: string; agencyId: string }) =>
  db
    .selectFrom('submissions')
    .innerJoin('attachments', 'attachments.id', 'submissions.attachment_id')
    .innerJoin('messages', 'messages.id', 'attachments.message_id')
    .leftJoin('file_decisions', 'file_decisions.attachment_id', 'attachments.id')
    .select([
      'submissions.id',
      'submissions.kind',
      'submissions.status',
      'submissions.review_reasons',
      'submissions.content_hash',
      'submissions.revision_hint',
      'file_decisions.counts_as',
      'submissions.duplicate_of_id',
      'submissions.supersedes_id',
      'messages.id as message_id',
      'messages.received_at',
      'messages.uid',
      'attachments.id as attachment_id',
      'attachments.filename',
      'attachments.content_type',
    ])
    .select((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom('initiatives as i')
          .select(['i.id', 'i.position', 'i.title', 'i.status', 'i.superseded_by_id', 'i.withdrawn_at'])
          .whereRef('i.submission_id', '=', 'submissions.id'),
      ).as('initiatives'),
      jsonArrayFrom(
        eb
          .selectFrom('initiative_results as r')
          .select([
            'r.id',
            'r.position',
            'r.title',
            'r.initiative_id',
            'r.needs_review',
            'r.superseded',
            'r.linked_by',
            'r.match_score',
          ])
          .whereRef('r.submission_id', '=', 'submissions.id'),
      ).as('results'),
    ])
    .where('submissions.campaign_id', '=', p.campaignId)
    .where('submissions.agency_id', '=', p.agencyId),
);

/** Set what the ledger decided for some submissions, in one statement. */
export async function setSubmissionsLedgerState(
  db: Db,
  rows: readonly {
    id: string;
    status: SubmissionStatus;
    duplicate_of_id: string | null;
    supersedes_id: string | null;
    review_reasons: string[];
  }[],
): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    update submissions s set status = v.status, duplicate_of_id = v.duplicate_of_id,
      supersedes_id = v.supersedes_id, review_reasons = v.review_reasons, updated_at = now()
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as v(id bigint, status text, duplicate_of_id bigint, supersedes_id bigint, review_reasons text[])
    where s.id = v.id`.execute(db);
}

/**
 * Hold the ledger of one agency in one campaign for this transaction: its rebuilds run one at a time. Taken once
 * per transaction (recording a form takes it, then the rebuild that follows would take it again).
 */
export async function lockAgencyLedger(db: Db, campaignId: string, agencyId: string): Promise<void> {
  const key = `ledger:${campaignId}:${agencyId}`;
  const held = db.isTransaction ? (ledgerLocks.get(db) ?? new Set<string>()) : undefined;
  if (held?.has(key)) return;
  await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(db);
  if (held) ledgerLocks.set(db, held.add(key));
}
// The ledger locks each open transaction holds (a transaction's locks last until it ends; its object is not
// used after that).
const ledgerLocks = new WeakMap<Db, Set<string>>();

export async function submissionState(db: Db, id: string) {
  return db
    .selectFrom('submissions')
    .select(['status', 'review_reasons'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** A submission just recorded, as the question whether it repeats another. */
type CopyQuestion = {
  campaignId: string;
  agencyId: string;
  kind: string;
  contentHash: string;
  submissionId: string;
};

/**
 * The agency's other submissions of a kind with this content, no copies themselves, with what the copy rule reads
 * of them (src/domain/ledger-plan.ts decides which, if any, this one repeats).
 */
export async function sameContentSubmissions(db: Db, p: CopyQuestion) {
  return sameContentQuery(db, p);
}
const sameContentQuery = reusableQuery((db, p: CopyQuestion) =>
  db
    .selectFrom('submissions')
    .innerJoin('attachments', 'attachments.id', 'submissions.attachment_id')
    .innerJoin('messages', 'messages.id', 'attachments.message_id')
    .select([
      'submissions.id',
      'submissions.review_reasons',
      'attachments.message_id',
      'messages.received_at',
      'messages.uid',
    ])
    .where('submissions.campaign_id', '=', p.campaignId)
    .where('submissions.agency_id', '=', p.agencyId)
    .where('submissions.kind', '=', p.kind as 'registration')
    .where('submissions.content_hash', '=', p.contentHash)
    .where('submissions.status', '<>', 'duplicate')
    .where('submissions.id', '<>', p.submissionId),
);

/** A submission is a copy of another: it counts nothing and its results link nothing (as the ledger says). */
export async function markCopy(db: Db, id: string, originalId: string): Promise<void> {
  await db
    .updateTable('submissions')
    .set({ status: 'duplicate', duplicate_of_id: originalId, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
  await db
    .updateTable('initiative_results')
    .set({ superseded: true })
    .where('submission_id', '=', id)
    .execute();
}

/** Whether another file of the same message became a submission. */
export async function hasOtherSubmissionsInMessage(
  db: Db,
  messageId: string,
  submissionId: string,
): Promise<boolean> {
  const r = await submissionsOfMessage(db, messageId)
    .where('submissions.id', '<>', submissionId)
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

const submissionsOfMessage = (db: Db, messageId: string) =>
  db
    .selectFrom('submissions')
    .innerJoin('attachments', 'attachments.id', 'submissions.attachment_id')
    .select('submissions.id')
    .where('attachments.message_id', '=', messageId);

/** Whether a form of the message has this review reason. */
export async function messageHasSubmissionReason(
  db: Db,
  messageId: string,
  reason: string,
): Promise<boolean> {
  const r = await submissionsOfMessage(db, messageId)
    .where(sql<boolean>`${reason} = any(submissions.review_reasons)`)
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}
