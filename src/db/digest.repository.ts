import { sql } from 'kysely';
import type { Db } from './database.js';

/** When the last digest was put in the outbox (the start of "what is new"). */
export async function lastDigestAt(db: Db): Promise<Date | null> {
  const r = await db
    .selectFrom('outbox')
    .select(sql<Date | null>`max(created_at)`.as('at'))
    .where('kind', '=', 'digest')
    .executeTakeFirst();
  return r?.at ?? null;
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

/** What waits for a person: messages held for review, files that could not be read, results not matched. */
export async function itemsForReview(db: Db) {
  const messages = await db
    .selectFrom('messages')
    .select(['id', 'from_address', 'subject', 'received_at', 'review_reasons', 'reject_reason'])
    .where((eb) => eb.or([eb('state', '=', 'needs_review'), eb('state', '=', 'rejected')]))
    .orderBy('id')
    .execute();
  const files = await db
    .selectFrom('attachments')
    .innerJoin('messages', 'messages.id', 'attachments.message_id')
    .select([
      'attachments.id',
      'attachments.filename',
      'attachments.state',
      'attachments.reason_code',
      'messages.from_address',
    ])
    .where('attachments.state', 'in', ['rejected', 'failed'])
    .orderBy('attachments.id')
    .execute();
  const results = await db
    .selectFrom('initiative_results')
    .innerJoin('submissions', 'submissions.id', 'initiative_results.submission_id')
    .leftJoin('agencies', 'agencies.id', 'submissions.agency_id')
    .select(['initiative_results.title', 'submissions.reference', 'agencies.name as agency_name'])
    .where('initiative_results.needs_review', '=', true)
    .orderBy('initiative_results.id')
    .execute();
  return { messages, files, results };
}
