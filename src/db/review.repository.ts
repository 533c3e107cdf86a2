import { sql } from 'kysely';
import type { Db } from './database.js';

/** True while the item in the row being read has no open dismissal. */
function notDismissed(kind: 'message' | 'file' | 'result', idColumn: string) {
  return sql<boolean>`not exists (select 1 from review_dismissals d where d.item_kind = ${kind}
    and d.undone_at is null and d.item_id = ${sql.ref(idColumn)})`;
}

/** What waits for a person: messages held for review, files that could not be read, results not matched. */
export async function itemsForReview(db: Db) {
  const messages = await db
    .selectFrom('messages')
    .leftJoin('agencies', 'agencies.id', 'messages.agency_id')
    .select([
      'messages.id',
      'messages.from_address',
      'messages.subject',
      'messages.received_at',
      'messages.state',
      'messages.review_reasons',
      'messages.reject_reason',
      'agencies.name as agency_name',
    ])
    .where((eb) => eb.or([eb('messages.state', '=', 'needs_review'), eb('messages.state', '=', 'rejected')]))
    .where(notDismissed('message', 'messages.id'))
    .orderBy('messages.id')
    .execute();
  const files = await db
    .selectFrom('attachments')
    .innerJoin('messages', 'messages.id', 'attachments.message_id')
    .leftJoin('agencies', 'agencies.id', 'messages.agency_id')
    .select([
      'agencies.name as agency_name',
      'messages.review_reasons as message_reasons',
      'attachments.id',
      'attachments.filename',
      'attachments.state',
      'attachments.reason_code',
      'attachments.message_id',
      'attachments.sha256',
      'messages.from_address',
      'messages.agency_id',
      'messages.received_at',
      'messages.uid',
    ])
    .where('attachments.state', 'in', ['rejected', 'failed'])
    .where(notDismissed('file', 'attachments.id'))
    .orderBy('attachments.id')
    .execute();
  const results = await db
    .selectFrom('initiative_results')
    .innerJoin('submissions', 'submissions.id', 'initiative_results.submission_id')
    .innerJoin('attachments', 'attachments.id', 'submissions.attachment_id')
    .leftJoin('agencies', 'agencies.id', 'submissions.agency_id')
    .select([
      'initiative_results.id',
      'initiative_results.title',
      'attachments.message_id',
      'submissions.reference',
      'submissions.received_at',
      'agencies.name as agency_name',
    ])
    .where('initiative_results.needs_review', '=', true)
    .where(notDismissed('result', 'initiative_results.id'))
    .orderBy('initiative_results.id')
    .execute();
  return { messages, files, results };
}

/**
 * The files read and counted (a submission not held for a person) from these agencies or addresses: what may have
 * replaced a file that could not be read.
 */
export async function countedFilesFrom(
  db: Db,
  from: { agencyIds: readonly string[]; addresses: readonly string[] },
) {
  if (from.agencyIds.length === 0 && from.addresses.length === 0) return [];
  return (
    db
      .selectFrom('submissions')
      .innerJoin('attachments', 'attachments.id', 'submissions.attachment_id')
      .innerJoin('messages', 'messages.id', 'attachments.message_id')
      .select([
        'attachments.id',
        'attachments.filename',
        'attachments.sha256',
        'submissions.agency_id',
        'messages.from_address',
        'messages.received_at',
        'messages.uid',
      ])
      // Counted: a held form is not, nor a copy marked duplicate (a stranger's two copies of one form in a mail make
      // the second a duplicate while both wait for a person).
      .where('submissions.status', 'in', ['active', 'superseded'])
      .where((eb) =>
        eb.or([
          ...(from.agencyIds.length > 0 ? [eb('submissions.agency_id', 'in', [...from.agencyIds])] : []),
          ...(from.addresses.length > 0
            ? [eb(eb.fn('lower', ['messages.from_address']), 'in', [...from.addresses])]
            : []),
        ]),
      )
      .orderBy('attachments.id')
      .execute()
  );
}

export type ReviewItemKind = 'message' | 'file' | 'result';

/** Whether an item exists, for a dismissal. */
export async function reviewItemExists(db: Db, kind: ReviewItemKind, id: string): Promise<boolean> {
  const table = kind === 'message' ? 'messages' : kind === 'file' ? 'attachments' : 'initiative_results';
  return (await db.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

export async function openDismissal(db: Db, kind: ReviewItemKind, id: string) {
  return db
    .selectFrom('review_dismissals')
    .selectAll()
    .where('item_kind', '=', kind)
    .where('item_id', '=', id)
    .where('undone_at', 'is', null)
    .executeTakeFirst();
}

export async function insertDismissal(
  db: Db,
  d: {
    item_kind: ReviewItemKind;
    item_id: string;
    dismissed_by: string;
    note: string | null;
    verdict?: 'dismissed' | 'forgery';
  },
): Promise<void> {
  await db.insertInto('review_dismissals').values(d).execute();
}

export async function undoDismissal(db: Db, id: string): Promise<void> {
  await db.updateTable('review_dismissals').set({ undone_at: new Date() }).where('id', '=', id).execute();
}

/** Whether a message holds a form waiting for a person (what a forgery verdict is about). */
export async function heldMessage(db: Db, messageId: string): Promise<boolean> {
  const r = await db
    .selectFrom('submissions')
    .innerJoin('attachments', 'attachments.id', 'submissions.attachment_id')
    .select('submissions.id')
    .where('attachments.message_id', '=', messageId)
    .where('submissions.status', '=', 'pending_review')
    .executeTakeFirst();
  return r !== undefined;
}

/** The open forgery verdict on a message, if any. */
export async function forgeryVerdict(db: Db, messageId: string) {
  return db
    .selectFrom('review_dismissals')
    .select(['dismissed_by', 'dismissed_at', 'note'])
    .where('item_kind', '=', 'message')
    .where('item_id', '=', messageId)
    .where('verdict', '=', 'forgery')
    .where('undone_at', 'is', null)
    .executeTakeFirst();
}

/** Serialise what people do to one item of the review list (a file, a result); a message's decisions have theirs. */
export async function lockReviewItem(db: Db, kind: ReviewItemKind, id: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`review:${kind}:${id}`}))`.execute(db);
}
