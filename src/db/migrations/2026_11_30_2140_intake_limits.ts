import { type Kysely, sql } from 'kysely';

// Limits on one email (files parsed per message, MIME parts, nesting depth): a file over a limit is kept as
// `skipped` with the limit's reason code (before, only a rejected or failed file had one), and parts of the raw
// mail that were not read or not listed as files are counted on the message.

// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('attachments').dropConstraint('attachments_terminal_reason').execute();
  await db.schema
    .alterTable('attachments')
    .addCheckConstraint(
      'attachments_terminal_reason',
      sql`(state not in ('rejected', 'failed') or reason_code is not null)`,
    )
    .execute();
  await db.schema
    .alterTable('messages')
    .addColumn('unlisted_parts', 'integer', (c) => c.notNull().defaultTo(0).check(sql`unlisted_parts >= 0`))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').dropColumn('unlisted_parts').execute();
  await sql`update attachments set reason_code = null where state = 'skipped'`.execute(db);
  await db.schema.alterTable('attachments').dropConstraint('attachments_terminal_reason').execute();
  await db.schema
    .alterTable('attachments')
    .addCheckConstraint(
      'attachments_terminal_reason',
      sql`(state in ('rejected', 'failed')) = (reason_code is not null)`,
    )
    .execute();
}
