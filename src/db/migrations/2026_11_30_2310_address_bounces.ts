import { type Kysely, sql } from 'kysely';

// A registered address that mail could not be delivered to: when the report arrived, its status code (RFC 3463)
// and the stored report itself. `bounce_cleared_at` is when staff last cleared the flag, so a report that arrived
// before that (read again after a crash, say) does not raise it again.
// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('agency_addresses')
    .addColumn('bounced_at', 'timestamptz')
    .addColumn('bounce_status', 'text')
    .addColumn('bounce_message_id', 'bigint', (c) => c.references('messages.id').onDelete('set null'))
    .addColumn('bounce_cleared_at', 'timestamptz')
    .execute();
  await sql`create index agency_addresses_bounced on agency_addresses (agency_id) where bounced_at is not null`.execute(
    db,
  );
}

// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists agency_addresses_bounced`.execute(db);
  await db.schema
    .alterTable('agency_addresses')
    .dropColumn('bounced_at')
    .dropColumn('bounce_status')
    .dropColumn('bounce_message_id')
    .dropColumn('bounce_cleared_at')
    .execute();
}
