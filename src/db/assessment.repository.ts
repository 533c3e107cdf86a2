import { sql } from 'kysely';
import type { AssessmentVerdict } from '../domain/kinds.js';
import type { Db } from './database.js';

// Staff's assessments of reported initiatives, and what the assessment facts and the evidence pack are read from.

/** An initiative with what an assessment needs to know of it, locked until the transaction ends. */
export async function initiativeForAssessment(db: Db, id: string) {
  return db
    .selectFrom('initiatives')
    .select([
      'initiatives.id',
      'initiatives.title',
      'initiatives.status',
      'initiatives.agency_id',
      'initiatives.campaign_id',
      (eb) =>
        eb
          .exists(
            eb
              .selectFrom('initiative_results as r')
              .select('r.id')
              .whereRef('r.initiative_id', '=', 'initiatives.id')
              .where('r.superseded', '=', false),
          )
          .as('reported'),
    ])
    .where('initiatives.id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** The assessment in force of an initiative (neither replaced nor taken back). */
export async function assessmentInForce(db: Db, initiativeId: string) {
  return db
    .selectFrom('initiative_assessments')
    .selectAll()
    .where('initiative_id', '=', initiativeId)
    .where('replaced_at', 'is', null)
    .where('undone_at', 'is', null)
    .executeTakeFirst();
}

/** Record an assessment, replacing the one in force. */
export async function insertAssessment(
  db: Db,
  a: { initiativeId: string; verdict: AssessmentVerdict; note: string | null; by: string },
): Promise<string> {
  await db
    .updateTable('initiative_assessments')
    .set({ replaced_at: sql`now()` })
    .where('initiative_id', '=', a.initiativeId)
    .where('replaced_at', 'is', null)
    .where('undone_at', 'is', null)
    .execute();
  const row = await db
    .insertInto('initiative_assessments')
    .values({ initiative_id: a.initiativeId, verdict: a.verdict, note: a.note, assessed_by: a.by })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Take back the assessment in force: the one it replaced (if any) is in force again. Returns it. */
export async function undoAssessmentInForce(db: Db, id: string, initiativeId: string, by: string) {
  await db
    .updateTable('initiative_assessments')
    .set({ undone_at: sql`now()`, undone_by: by })
    .where('id', '=', id)
    .execute();
  const previous = await db
    .selectFrom('initiative_assessments')
    .selectAll()
    .where('initiative_id', '=', initiativeId)
    .where('undone_at', 'is', null)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (previous)
    await db
      .updateTable('initiative_assessments')
      .set({ replaced_at: null })
      .where('id', '=', previous.id)
      .execute();
  return previous;
}

/** Every active initiative of a campaign with its latest result's status and the assessment in force. */
export async function initiativesWithAssessment(db: Db, campaignId: string) {
  return db
    .selectFrom('initiatives')
    .leftJoin('initiative_assessments as a', (j) =>
      j
        .onRef('a.initiative_id', '=', 'initiatives.id')
        .on('a.replaced_at', 'is', null)
        .on('a.undone_at', 'is', null),
    )
    .select([
      'initiatives.id',
      'initiatives.agency_id',
      'initiatives.title',
      'a.verdict',
      'a.note as assessment_note',
      'a.assessed_by',
      'a.assessed_at',
      (eb) =>
        eb
          .selectFrom('initiative_results as r')
          .select('r.status')
          .whereRef('r.initiative_id', '=', 'initiatives.id')
          .where('r.superseded', '=', false)
          .orderBy('r.id', 'desc')
          .limit(1)
          .as('result'),
    ])
    .where('initiatives.campaign_id', '=', campaignId)
    .where('initiatives.status', '=', 'active')
    .orderBy('initiatives.id')
    .execute();
}

/** The counted forms of a campaign (neither held nor copies), with the mail and file each came in. */
export async function countedForms(db: Db, campaignId: string) {
  return db
    .selectFrom('submissions')
    .innerJoin('attachments', 'attachments.id', 'submissions.attachment_id')
    .select([
      'submissions.agency_id',
      'submissions.reference',
      'submissions.kind',
      'submissions.received_at',
      'submissions.late',
      'attachments.message_id',
      'attachments.filename',
    ])
    .where('submissions.campaign_id', '=', campaignId)
    .where('submissions.status', 'in', ['active', 'superseded'])
    .where('submissions.agency_id', 'is not', null)
    .orderBy('submissions.received_at')
    .orderBy('submissions.id')
    .execute();
}

/**
 * The mails of agencies in a campaign, raw: those carrying a form of theirs in the campaign, and those they sent
 * without a form (no file, a letter only) in the campaign's year.
 */
export async function mailsOfAgencies(
  db: Db,
  agencyIds: readonly string[],
  campaignId: string,
  year: number,
) {
  if (agencyIds.length === 0) return [];
  return db
    .selectFrom('messages')
    .select([
      'messages.id',
      'messages.message_id',
      'messages.subject',
      'messages.from_address',
      'messages.received_at',
      'messages.auth_verdict',
      'messages.raw',
    ])
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('submissions as s')
            .innerJoin('attachments as f', 'f.id', 's.attachment_id')
            .select('s.id')
            .whereRef('f.message_id', '=', 'messages.id')
            .where('s.campaign_id', '=', campaignId)
            .where('s.agency_id', 'in', agencyIds),
        ),
        eb.and([
          eb('messages.agency_id', 'in', agencyIds),
          eb.not(
            eb.exists(
              eb
                .selectFrom('submissions as s')
                .innerJoin('attachments as f', 'f.id', 's.attachment_id')
                .select('s.id')
                .whereRef('f.message_id', '=', 'messages.id'),
            ),
          ),
          sql<boolean>`extract(year from messages.received_at at time zone 'Asia/Ho_Chi_Minh') = ${year}`,
        ]),
      ]),
    )
    .orderBy('messages.received_at')
    .orderBy('messages.id')
    .execute();
}

/** The files of mails as received, in their order in each mail. */
export async function filesOfMails(db: Db, messageIds: readonly string[]) {
  if (messageIds.length === 0) return [];
  return db
    .selectFrom('attachments')
    .select(['id', 'message_id', 'filename', 'content_type', 'bytes', 'state', 'nested'])
    .where('message_id', 'in', messageIds)
    .orderBy('message_id')
    .orderBy('id')
    .execute();
}

/** What the office wrote about those mails or to those agencies in the campaign (answers, requests, reminders). */
export async function lettersToAgencies(
  db: Db,
  agencyIds: readonly string[],
  messageIds: readonly string[],
  campaignId: string,
) {
  if (agencyIds.length === 0 && messageIds.length === 0) return [];
  return db
    .selectFrom('outbox')
    .selectAll()
    .where((eb) =>
      eb.or([
        ...(messageIds.length ? [eb('outbox.message_id', 'in', messageIds)] : []),
        ...(agencyIds.length
          ? [eb.and([eb('outbox.agency_id', 'in', agencyIds), eb('outbox.campaign_id', '=', campaignId)])]
          : []),
      ]),
    )
    .where('outbox.kind', '<>', 'digest')
    .orderBy('outbox.created_at')
    .orderBy('outbox.id')
    .execute();
}
