import { type Kysely, sql } from 'kysely';

// The GIN index on the outbox's recipients served the per-address reply limit when it counted mails by their To
// list; the limit counts by `recipient_key` (and `recipient_domain`) now, through their own indexes, and no query
// looks into `to_addresses`. Kept up to date on every answer written (fastupdate off), it cost each one for
// nothing. Frozen: later changes go in new, later-dated migrations.
// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists outbox_recipients`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function down(db: Kysely<any>): Promise<void> {
  await sql`create index outbox_recipients on outbox using gin (to_addresses) with (fastupdate = off)`.execute(
    db,
  );
}
