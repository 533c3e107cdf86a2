import { type Kysely, sql } from 'kysely';

// Review reasons are a closed vocabulary (src/domain/review-reasons.ts): the database refuses any other word,
// so a typo in code cannot make an item silently drop out of every list that labels the reasons.
export const REVIEW_REASONS_AT_MIGRATION = [
  'unknown_sender',
  'agency_mismatch',
  'spoofing',
  'unverified_sender',
  'failed_attachment',
  'unmatched_result',
  'too_large',
  'no_campaign',
  'uncertain_fields',
  'too_many_attachments',
  'too_many_parts',
  'too_deeply_nested',
  'unreadable_message',
];
const list = sql.join(REVIEW_REASONS_AT_MIGRATION.map((r) => sql.lit(r)));

// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['messages', 'submissions']) {
    await sql`alter table ${sql.table(table)} add constraint ${sql.id(`${table}_review_reasons_known`)}
      check (review_reasons <@ array[${list}]::text[])`.execute(db);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['messages', 'submissions']) {
    await sql`alter table ${sql.table(table)} drop constraint ${sql.id(`${table}_review_reasons_known`)}`.execute(
      db,
    );
  }
}
