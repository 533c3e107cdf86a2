import { type Kysely, sql } from 'kysely';

// The sweep that finds a settled message whose answer was lost (settled, then the process died before the
// acknowledgement or the reason for none was written) looks at recently settled messages that may be answered.
// Frozen: later changes go in new, later-dated migrations.
// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('messages_may_be_answered')
    .on('messages')
    .column('updated_at')
    .where(sql.ref('state'), '<>', 'received')
    .where(sql<boolean>`coalesce(no_reply_reason, '') = ''`)
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('messages_may_be_answered').execute();
}
