import { type Kysely, sql } from 'kysely';

// Sender trust and reply caps:
// - a message whose From cannot be read as one address is held as `ambiguous_sender` (a new review reason), and
//   what made its From doubtful beside the verdict is kept on it (`sender_doubt`), so a replay or a confirmation
//   decides as the intake did: two From fields, several mailboxes, a group, a raw address of another domain, or
//   an error of the trusted server's check;
// - acknowledgements are capped per address without its `+tag` and per recipient domain: each keeps the key it
//   was counted under.
export const REVIEW_REASONS_AT_MIGRATION = [
  'unknown_sender',
  'agency_mismatch',
  'spoofing',
  'unverified_sender',
  'ambiguous_sender',
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
const REASONS_BEFORE = REVIEW_REASONS_AT_MIGRATION.filter((r) => r !== 'ambiguous_sender');
const SENDER_DOUBTS = [
  'several_from_fields',
  'several_mailboxes',
  'group_address',
  'address_mismatch',
  'auth_error',
];

const list = (words: readonly string[]) => sql.join(words.map((w) => sql.lit(w)));

// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
async function reviewReasons(db: Kysely<any>, words: readonly string[]): Promise<void> {
  for (const table of ['messages', 'submissions']) {
    const name = sql.id(`${table}_review_reasons_known`);
    await sql`alter table ${sql.table(table)} drop constraint ${name}`.execute(db);
    await sql`alter table ${sql.table(table)} add constraint ${name}
      check (review_reasons <@ array[${list(words)}]::text[])`.execute(db);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await reviewReasons(db, REVIEW_REASONS_AT_MIGRATION);
  await db.schema
    .alterTable('messages')
    .addColumn('sender_doubt', 'text', (c) => c.check(sql`sender_doubt in (${list(SENDER_DOUBTS)})`))
    .execute();
  await db.schema
    .alterTable('outbox')
    .addColumn('recipient_key', 'text')
    .addColumn('recipient_domain', 'text')
    .execute();
  await sql`create index outbox_recipient_key on outbox (recipient_key, created_at)
    where recipient_key is not null`.execute(db);
  await sql`create index outbox_recipient_domain on outbox (recipient_domain, created_at)
    where recipient_domain is not null`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('outbox_recipient_domain').execute();
  await db.schema.dropIndex('outbox_recipient_key').execute();
  await db.schema.alterTable('outbox').dropColumn('recipient_domain').dropColumn('recipient_key').execute();
  await db.schema.alterTable('messages').dropColumn('sender_doubt').execute();
  const held = sql.lit('ambiguous_sender');
  for (const table of ['messages', 'submissions'])
    await sql`update ${sql.table(table)} set review_reasons = array_remove(review_reasons, ${held})
      where ${held} = any(review_reasons)`.execute(db);
  await reviewReasons(db, REASONS_BEFORE);
}
