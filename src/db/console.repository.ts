import { sql } from 'kysely';
import type { Db } from './database.js';
import { INITIATIVE_FIELD_COLUMNS } from './initiative.repository.js';

// What the staff console reads and nothing else writes: an agency's files, initiatives, results and addresses,
// and one mail with its attachments. Rows out; the console's page models are made in src/registry.

export async function agencyWithAddresses(db: Db, code: string) {
  return db
    .selectFrom('agencies')
    .select([
      'agencies.id',
      'agencies.code',
      'agencies.name',
      'agencies.kind',
      'agencies.active',
      'agencies.registry_quota',
      (eb) =>
        eb
          .selectFrom('agency_addresses')
          .select(sql<string[]>`coalesce(array_agg(email order by email), '{}')`.as('e'))
          .whereRef('agency_addresses.agency_id', '=', 'agencies.id')
          .as('emails'),
    ])
    .where('agencies.code', '=', code)
    .executeTakeFirst();
}

/** An agency's submissions in a campaign, the latest first, with the file and mail each came in. */
export async function submissionsOfAgency(db: Db, agencyId: string, campaignId: string) {
  return db
    .selectFrom('submissions')
    .innerJoin('attachments', 'attachments.id', 'submissions.attachment_id')
    .innerJoin('messages', 'messages.id', 'attachments.message_id')
    .leftJoin('submissions as older', 'older.id', 'submissions.supersedes_id')
    .select([
      'submissions.id',
      'submissions.reference',
      'submissions.kind',
      'submissions.status',
      'submissions.received_at',
      'submissions.review_reasons',
      'submissions.warnings',
      'submissions.late',
      'older.reference as supersedes_reference',
      'attachments.id as attachment_id',
      'attachments.filename',
      'messages.id as message_id',
      'messages.from_address',
    ])
    .where('submissions.agency_id', '=', agencyId)
    .where('submissions.campaign_id', '=', campaignId)
    .orderBy('submissions.received_at', 'desc')
    .orderBy('submissions.id', 'desc')
    .execute();
}

const INITIATIVE_COLUMNS = [
  'initiatives.id',
  'initiatives.status',
  'initiatives.position',
  ...INITIATIVE_FIELD_COLUMNS,
  'initiatives.superseded_by_id',
  'submissions.reference',
  'submissions.received_at',
] as const;

/** Every initiative an agency registered in a campaign, active and superseded, in the order received. */
export async function initiativesOfAgency(db: Db, agencyId: string, campaignId: string) {
  return db
    .selectFrom('initiatives')
    .innerJoin('submissions', 'submissions.id', 'initiatives.submission_id')
    .select(INITIATIVE_COLUMNS)
    .where('initiatives.agency_id', '=', agencyId)
    .where('initiatives.campaign_id', '=', campaignId)
    .orderBy('submissions.received_at')
    .orderBy('initiatives.position')
    .execute();
}

/** The initiatives a submission brought, in the form's order. */
export async function initiativesOfSubmissions(db: Db, submissionIds: readonly string[]) {
  if (submissionIds.length === 0) return [];
  return db
    .selectFrom('initiatives')
    .innerJoin('submissions', 'submissions.id', 'initiatives.submission_id')
    .select([...INITIATIVE_COLUMNS, 'initiatives.submission_id'])
    .where('initiatives.submission_id', 'in', submissionIds)
    .orderBy('initiatives.submission_id')
    .orderBy('initiatives.position')
    .execute();
}

/** Results reported by an agency in a campaign, with the initiative each is linked to. */
export async function resultsOfAgency(db: Db, agencyId: string, campaignId: string) {
  return db
    .selectFrom('initiative_results')
    .innerJoin('submissions', 'submissions.id', 'initiative_results.submission_id')
    .leftJoin('initiatives', 'initiatives.id', 'initiative_results.initiative_id')
    .select([
      'initiative_results.id',
      'initiative_results.title',
      'initiative_results.status',
      'initiative_results.outcome',
      'initiative_results.needs_review',
      'initiative_results.linked_by',
      'initiatives.title as initiative_title',
      'submissions.reference',
      'submissions.received_at',
      'submissions.status as submission_status',
    ])
    .where('submissions.agency_id', '=', agencyId)
    .where('submissions.campaign_id', '=', campaignId)
    .orderBy('submissions.received_at')
    .orderBy('initiative_results.position')
    .execute();
}

/** The results a set of submissions brought. */
export async function resultsOfSubmissions(db: Db, submissionIds: readonly string[]) {
  if (submissionIds.length === 0) return [];
  return db
    .selectFrom('initiative_results')
    .leftJoin('initiatives', 'initiatives.id', 'initiative_results.initiative_id')
    .select([
      'initiative_results.id',
      'initiative_results.submission_id',
      'initiative_results.title',
      'initiative_results.status',
      'initiative_results.outcome',
      'initiative_results.needs_review',
      'initiative_results.position',
      'initiatives.title as initiative_title',
    ])
    .where('initiative_results.submission_id', 'in', submissionIds)
    .orderBy('initiative_results.position')
    .execute();
}

/** One stored mail, without its raw bytes. */
export async function messageSummary(db: Db, id: string) {
  return db
    .selectFrom('messages')
    .leftJoin('agencies', 'agencies.id', 'messages.agency_id')
    .select([
      'messages.id',
      'messages.message_id',
      'messages.from_address',
      'messages.from_name',
      'messages.reply_to',
      'messages.subject',
      'messages.sent_at',
      'messages.received_at',
      'messages.state',
      'messages.auth_verdict',
      'messages.review_reasons',
      'messages.reject_reason',
      'messages.raw_size',
      'agencies.code as agency_code',
      'agencies.name as agency_name',
    ])
    .where('messages.id', '=', id)
    .executeTakeFirst();
}

export async function messageRaw(db: Db, id: string): Promise<Buffer | null> {
  const row = await db.selectFrom('messages').select('raw').where('id', '=', id).executeTakeFirst();
  return row?.raw ?? null;
}

/** A mail's files with the submission each became (if any), in MIME order. */
export async function attachmentsOfMessage(db: Db, messageId: string) {
  return db
    .selectFrom('attachments')
    .leftJoin('submissions', 'submissions.attachment_id', 'attachments.id')
    .leftJoin('agencies', 'agencies.id', 'submissions.agency_id')
    .leftJoin('file_decisions', 'file_decisions.attachment_id', 'attachments.id')
    .select([
      'attachments.id',
      'attachments.part',
      'file_decisions.confirmed_by',
      'file_decisions.confirmed_at',
      'file_decisions.remembered_address',
      'file_decisions.counts_as',
      'submissions.revision_hint',
      'submissions.supersedes_id',
      'attachments.filename',
      'attachments.content_type',
      'attachments.size',
      'attachments.state',
      'attachments.reason_code',
      'attachments.parsed_kind',
      'attachments.parse_result',
      'submissions.id as submission_id',
      'submissions.reference',
      'submissions.status as submission_status',
      'submissions.late',
      'submissions.review_reasons as submission_review_reasons',
      'submissions.form_agency_name',
      'submissions.form_agency_code',
      'agencies.code as agency_code',
      'agencies.name as agency_name',
    ])
    .where('attachments.message_id', '=', messageId)
    .orderBy('attachments.id')
    .execute();
}

export async function attachmentFile(db: Db, id: string) {
  return db
    .selectFrom('attachments')
    .select(['id', 'message_id', 'filename', 'content_type', 'bytes', 'state'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The mail a submission reference came in. */
export async function messageOfReference(db: Db, reference: string) {
  return db
    .selectFrom('submissions')
    .innerJoin('attachments', 'attachments.id', 'submissions.attachment_id')
    .select(['attachments.message_id', 'attachments.id as attachment_id'])
    .where('submissions.reference', '=', reference)
    .executeTakeFirst();
}

/** The mail and file an initiative was read from. */
export async function fileOfInitiative(db: Db, initiativeId: string) {
  return db
    .selectFrom('initiatives')
    .innerJoin('submissions', 'submissions.id', 'initiatives.submission_id')
    .innerJoin('attachments', 'attachments.id', 'submissions.attachment_id')
    .select(['attachments.message_id', 'attachments.id as attachment_id'])
    .where('initiatives.id', '=', initiativeId)
    .executeTakeFirst();
}

/** The mail and file a reported result was read from. */
export async function fileOfResult(db: Db, resultId: string) {
  return db
    .selectFrom('initiative_results')
    .innerJoin('submissions', 'submissions.id', 'initiative_results.submission_id')
    .innerJoin('attachments', 'attachments.id', 'submissions.attachment_id')
    .select(['attachments.message_id', 'attachments.id as attachment_id'])
    .where('initiative_results.id', '=', resultId)
    .executeTakeFirst();
}

/** The mail, file and field a correction is of. */
export async function fileOfCorrection(db: Db, correctionId: string) {
  return db
    .selectFrom('field_corrections')
    .innerJoin('attachments', 'attachments.id', 'field_corrections.attachment_id')
    .select([
      'attachments.message_id',
      'attachments.id as attachment_id',
      'field_corrections.position',
      'field_corrections.field',
    ])
    .where('field_corrections.id', '=', correctionId)
    .executeTakeFirst();
}

/** The submissions of these mails that are held for a person's confirmation. */
export async function heldSubmissionsOfMessages(db: Db, messageIds: readonly string[]) {
  if (messageIds.length === 0) return [];
  return db
    .selectFrom('submissions')
    .innerJoin('attachments', 'attachments.id', 'submissions.attachment_id')
    .innerJoin('messages', 'messages.id', 'attachments.message_id')
    .select([
      'attachments.message_id',
      'attachments.filename',
      'submissions.reference',
      'submissions.form_agency_code',
      'submissions.form_agency_name',
      'submissions.kind',
      'messages.from_address',
      'messages.auth_verdict',
    ])
    .where('attachments.message_id', 'in', messageIds)
    .where('submissions.status', '=', 'pending_review')
    .orderBy('submissions.id')
    .execute();
}

/** For each result of a confirmed, active report, the active initiatives of its agency and campaign it could be linked to. */
export async function linkCandidates(db: Db, resultIds: readonly string[]) {
  if (resultIds.length === 0) return [];
  return (
    db
      .selectFrom('initiative_results')
      .innerJoin('submissions', 'submissions.id', 'initiative_results.submission_id')
      .innerJoin('initiatives', (join) =>
        join
          .onRef('initiatives.agency_id', '=', 'submissions.agency_id')
          .onRef('initiatives.campaign_id', '=', 'submissions.campaign_id'),
      )
      .select(['initiative_results.id as result_id', 'initiatives.id', 'initiatives.title'])
      .where('initiative_results.id', 'in', resultIds)
      // What linkResult accepts: a result of a confirmed, active report, to its agency's active initiatives.
      .where('submissions.status', '=', 'active')
      .where('initiative_results.superseded', '=', false)
      .where('initiatives.status', '=', 'active')
      .orderBy('initiatives.title')
      .execute()
  );
}

/** Every agency of the registry, for a picker. */
export async function agencyChoices(db: Db) {
  return db
    .selectFrom('agencies')
    .select(['code', 'name', 'kind'])
    .where('active', '=', true)
    .orderBy('name')
    .execute();
}

/** The audit entries about any of these subjects, newest first. */
export async function auditOfSubjects(
  db: Db,
  subjects: readonly (readonly [type: string, id: string])[],
  limit = 200,
) {
  if (subjects.length === 0) return [];
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where((eb) =>
      eb.or(subjects.map(([type, id]) => eb.and([eb('subject_type', '=', type), eb('subject_id', '=', id)]))),
    )
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Items taken off the review list and not put back, the latest first, with what each was. */
export async function openDismissals(db: Db, limit = 50) {
  return db
    .selectFrom('review_dismissals as d')
    .leftJoin('messages as m', (j) => j.onRef('m.id', '=', 'd.item_id').on('d.item_kind', '=', 'message'))
    .leftJoin('attachments as a', (j) => j.onRef('a.id', '=', 'd.item_id').on('d.item_kind', '=', 'file'))
    .leftJoin('initiative_results as r', (j) =>
      j.onRef('r.id', '=', 'd.item_id').on('d.item_kind', '=', 'result'),
    )
    .select([
      'd.item_kind',
      'd.item_id',
      'd.dismissed_by',
      'd.dismissed_at',
      'd.note',
      'd.verdict',
      'm.subject',
      'a.filename',
      'a.message_id as file_message_id',
      'r.title as result_title',
    ])
    .where('d.undone_at', 'is', null)
    .orderBy('d.id', 'desc')
    .limit(limit)
    .execute();
}

/** An agency's addresses: where each came from (the registry file or staff) and whether mail to it bounces. */
export async function addressesOfAgency(db: Db, agencyId: string) {
  return db
    .selectFrom('agency_addresses')
    .select(['email', 'source', 'added_by', 'created_at', 'bounced_at'])
    .where('agency_id', '=', agencyId)
    .orderBy('email')
    .execute();
}

/** The latest submissions of a campaign, with their agency and where they came in. */
export async function latestSubmissions(db: Db, campaignId: string, limit = 10) {
  return db
    .selectFrom('submissions')
    .innerJoin('attachments', 'attachments.id', 'submissions.attachment_id')
    .innerJoin('messages', 'messages.id', 'attachments.message_id')
    .leftJoin('agencies', 'agencies.id', 'submissions.agency_id')
    .select([
      'submissions.reference',
      'submissions.kind',
      'submissions.status',
      'submissions.late',
      'submissions.received_at',
      'agencies.name as agency_name',
      'messages.from_address',
      'attachments.id as attachment_id',
      'attachments.message_id',
    ])
    .where('submissions.campaign_id', '=', campaignId)
    .orderBy('submissions.received_at', 'desc')
    .orderBy('submissions.id', 'desc')
    .limit(limit)
    .execute();
}
