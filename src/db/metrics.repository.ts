import type { Db } from './database.js';

/** What the parser's metrics observe of an attachment once its parse job completed. */
export async function parseObservation(db: Db, attachmentId: string) {
  return db
    .selectFrom('attachments')
    .innerJoin('messages', 'messages.id', 'attachments.message_id')
    .select(['attachments.state', 'attachments.reason_code', 'attachments.parse_ms', 'messages.received_at'])
    .where('attachments.id', '=', attachmentId)
    .executeTakeFirst();
}
