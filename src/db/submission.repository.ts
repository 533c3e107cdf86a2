import { type Insertable, sql } from 'kysely';
import type { ParsedKind, SubmissionStatus } from '../domain/kinds.js';
import type { Db } from './database.js';
import { reusableQuery } from './reusable-query.js';
import type { InitiativeResults, Initiatives, Submissions } from './schema.js';

// What the parse job needs of an attachment and its message.
const PARSE_COLUMNS = [
  'attachments.id',
  'attachments.message_id',
  'attachments.filename',
  'attachments.content_type',
  'attachments.sha256',
  'attachments.bytes',
  'attachments.state',
  'attachments.attempts',
  'messages.agency_id as sender_agency_id',
  'messages.received_at',
  'messages.auth_verdict',
] as const;

const claimQuery = reusableQuery((db, p: { id: string }) =>
  db
    .updateTable('attachments')
    .from('messages')
    .set((eb) => ({ attempts: eb('attachments.attempts', '+', 1) }))
    .whereRef('messages.id', '=', 'attachments.message_id')
    .where('attachments.id', '=', p.id)
    .where('attachments.state', '=', 'pending')
    .returning(PARSE_COLUMNS),
);
/**
 * Claim a pending attachment for one parse attempt (its attempts counted) and read what the parse job needs
 * of it and its message, in one round trip; undefined when it is gone or no longer pending.
 */
export async function claimAttachmentForParsing(db: Db, id: string) {
  return (await claimQuery(db, { id }))[0];
}

/** An attachment with what the parse job needs of its message. */
export async function attachmentForParsing(db: Db, id: string) {
  return db
    .selectFrom('attachments')
    .innerJoin('messages', 'messages.id', 'attachments.message_id')
    .select([
      ...PARSE_COLUMNS,
      'attachments.parse_result',
      'attachments.reason_code',
      'attachments.error_message',
    ])
    .where('attachments.id', '=', id)
    .executeTakeFirst();
}

/** A submission by its reference, with what confirming it needs: its file, what was read, its message. */
export async function submissionByReference(db: Db, reference: string) {
  return db
    .selectFrom('submissions')
    .innerJoin('attachments', 'attachments.id', 'submissions.attachment_id')
    .innerJoin('messages', 'messages.id', 'attachments.message_id')
    .select([
      'submissions.status',
      'submissions.form_agency_code',
      'attachments.id as attachment_id',
      'attachments.sha256',
      'attachments.parse_result',
      'messages.id as message_id',
      'messages.received_at',
    ])
    .where('submissions.reference', '=', reference)
    .executeTakeFirst();
}

export async function setSubmissionReference(db: Db, id: string, reference: string): Promise<void> {
  await db.updateTable('submissions').set({ reference }).where('id', '=', id).execute();
}

export async function registryForParser(db: Db) {
  return db
    .selectFrom('agencies')
    .select(['id', 'code', 'name', 'kind'])
    .where('active', '=', true)
    .execute();
}

/** The campaign of a form's year; without a year, the campaign of the year the mail arrived, else the latest. */
export async function campaignFor(db: Db, year: number | null, receivedAt: Date) {
  const byYear = (y: number) =>
    db.selectFrom('campaigns').selectAll().where('year', '=', y).orderBy('id', 'desc').executeTakeFirst();
  return (
    (year !== null ? await byYear(year) : undefined) ??
    (await byYear(receivedAt.getUTCFullYear())) ??
    (await db
      .selectFrom('campaigns')
      .selectAll()
      .orderBy('year', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst())
  );
}

export async function setAttachmentOutcome(
  db: Db,
  id: string,
  outcome: {
    state: 'parsed' | 'rejected' | 'failed' | 'skipped';
    reason_code?: string | null;
    error_message?: string | null;
    parsed_kind?: ParsedKind | null;
    parse_result?: unknown;
    parse_ms?: number | null;
  },
): Promise<void> {
  await setOutcomeQuery(db, {
    id,
    state: outcome.state,
    reason_code: outcome.reason_code ?? null,
    error_message: outcome.error_message ?? null,
    parsed_kind: outcome.parsed_kind ?? null,
    parse_result: outcome.parse_result === undefined ? null : JSON.stringify(outcome.parse_result),
    parse_ms: outcome.parse_ms ?? null,
  });
}
const setOutcomeQuery = reusableQuery(
  (
    db,
    p: {
      id: string;
      state: 'parsed' | 'rejected' | 'failed' | 'skipped';
      reason_code: string | null;
      error_message: string | null;
      parsed_kind: ParsedKind | null;
      parse_result: string | null;
      parse_ms: number | null;
    },
  ) =>
    db
      .updateTable('attachments')
      .set({
        state: p.state,
        reason_code: p.reason_code,
        error_message: p.error_message,
        parsed_kind: p.parsed_kind,
        parse_result: p.parse_result,
        parse_ms: p.parse_ms,
        parsed_at: sql`now()`,
        updated_at: sql`now()`,
      })
      .where('id', '=', p.id),
);

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

export async function submissionOfAttachment(db: Db, attachmentId: string) {
  return db
    .selectFrom('submissions')
    .selectAll()
    .where('attachment_id', '=', attachmentId)
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

/** The agency's active initiatives in a campaign. */
export async function activeInitiatives(db: Db, campaignId: string, agencyId: string) {
  return db
    .selectFrom('initiatives')
    .select(['id', 'title', 'title_key', 'submission_id'])
    .where('campaign_id', '=', campaignId)
    .where('agency_id', '=', agencyId)
    .where('status', '=', 'active')
    .orderBy('id')
    .execute();
}

export async function supersedeInitiative(trx: Db, id: string): Promise<void> {
  await trx
    .updateTable('initiatives')
    .set({ status: 'superseded', updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export async function linkSuperseded(trx: Db, oldId: string, newId: string): Promise<void> {
  await trx.updateTable('initiatives').set({ superseded_by_id: newId }).where('id', '=', oldId).execute();
}

/** A form's initiatives, in one insert; a second one with the same title as an active one is left out. */
export async function insertInitiatives(
  trx: Db,
  rows: readonly Insertable<Initiatives>[],
): Promise<{ id: string; position: number }[]> {
  if (rows.length === 0) return [];
  return trx
    .insertInto('initiatives')
    .values([...rows])
    .onConflict((oc) => oc.doNothing())
    .returning(['id', 'position'])
    .execute();
}

/** Whether any initiative of the submission is still active (else the whole submission is superseded). */
export async function hasActiveInitiatives(db: Db, submissionId: string): Promise<boolean> {
  const r = await db
    .selectFrom('initiatives')
    .select('id')
    .where('submission_id', '=', submissionId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return r !== undefined;
}

export async function insertResult(trx: Db, row: Insertable<InitiativeResults>): Promise<void> {
  await trx
    .insertInto('initiative_results')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function addSubmissionReviewReason(trx: Db, id: string, reason: string): Promise<void> {
  await trx
    .updateTable('submissions')
    .set({ review_reasons: sql`array_append(review_reasons, ${reason})` })
    .where('id', '=', id)
    .where(sql<boolean>`not (${reason} = any(review_reasons))`)
    .execute();
}

/** Active initiatives an agency has registered in a campaign. */
export async function countActiveInitiatives(db: Db, campaignId: string, agencyId: string): Promise<number> {
  const r = await db
    .selectFrom('initiatives')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('campaign_id', '=', campaignId)
    .where('agency_id', '=', agencyId)
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
