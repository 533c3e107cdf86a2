import { type Kysely, sql } from 'kysely';

// What the pipeline records beyond the first schema.
// IMAP messages the poller could not store, with their attempts, so a message that keeps failing is set
// aside for a person after a few tries instead of being fetched forever.
// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('imap_failures')
    .addColumn('mailbox', 'text', (c) => c.notNull())
    .addColumn('uidvalidity', 'bigint', (c) => c.notNull())
    .addColumn('uid', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text', (c) => c.notNull())
    .addColumn('set_aside_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('imap_failures_pkey', ['mailbox', 'uidvalidity', 'uid'])
    .execute();
  // When the poller last finished a pass over the mailbox: the heartbeat operators and /readyz look at.
  await db.schema.alterTable('mailbox_state').addColumn('poller_id', 'text').execute();
  // What the parser understood of an attachment (kept whole, so a later parser can be compared with it).
  await db.schema
    .alterTable('attachments')
    .addColumn('parsed_kind', 'text', (c) =>
      c.check(sql`parsed_kind in ('registration', 'results_report', 'not_a_form')`),
    )
    .addColumn('parse_result', 'jsonb')
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('attachments').dropColumn('parsed_kind').dropColumn('parse_result').execute();
  await db.schema.alterTable('mailbox_state').dropColumn('poller_id').execute();
  await db.schema.dropTable('imap_failures').execute();
}
