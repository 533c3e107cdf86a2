import type { Database } from '../../src/db/database.js';

// What the counting tests read of the registry, by agency code, in the order things were recorded.

/** An agency's initiatives, every status. */
export const initiativesOf = (db: Database, code: string) =>
  db
    .selectFrom('initiatives')
    .innerJoin('agencies', 'agencies.id', 'initiatives.agency_id')
    .select(['initiatives.id', 'initiatives.title', 'initiatives.status', 'initiatives.superseded_by_id'])
    .where('agencies.code', '=', code)
    .orderBy('initiatives.id')
    .execute();

/** The titles of an agency's active initiatives. */
export const activeTitles = async (db: Database, code: string) =>
  (await initiativesOf(db, code)).filter((i) => i.status === 'active').map((i) => i.title);

/** An agency's submissions. */
export const submissionsOf = (db: Database, code: string) =>
  db
    .selectFrom('submissions')
    .innerJoin('agencies', 'agencies.id', 'submissions.agency_id')
    .select([
      'submissions.id',
      'submissions.reference',
      'submissions.status',
      'submissions.kind',
      'submissions.duplicate_of_id',
    ])
    .where('agencies.code', '=', code)
    .orderBy('submissions.id')
    .execute();

/** The audit log's entries of one action, in order. */
export const auditOf = (db: Database, action: string) =>
  db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();

/** The submission a mail's file made, by the mail's Message-ID. */
export const submissionOfMail = (db: Database, messageId: string) =>
  db
    .selectFrom('submissions')
    .innerJoin('attachments', 'attachments.id', 'submissions.attachment_id')
    .innerJoin('messages', 'messages.id', 'attachments.message_id')
    .select([
      'submissions.id',
      'submissions.reference',
      'submissions.status',
      'submissions.attachment_id',
      'attachments.message_id',
    ])
    .where('messages.message_id', '=', messageId)
    .executeTakeFirstOrThrow();
