import type { Kysely } from 'kysely';

// Whether a message may be answered (RFC 3834), decided once when it is stored, and the References of its
// thread: the acknowledgement needs both, and reading them again from the raw bytes costs a parse per message.
// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('messages')
    .addColumn('no_reply_reason', 'text')
    .addColumn('references', 'text')
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').dropColumn('no_reply_reason').dropColumn('references').execute();
}
