import { type Kysely, sql } from 'kysely';

// A mail under a per-recipient cap is checked and added by one statement (no transaction of several round trips):
// this function takes the recipient's lock of the transaction, then looks at the outbox. Being volatile, each of
// its queries sees what other transactions committed before the lock was granted (a query's own snapshot would
// be older than the lock), so two workers cannot both count the same room.
// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function outbox_recipient_room(
      p_lock text, p_kind text, p_key text, p_since timestamptz, p_dedupe_key text,
      out recent bigint, out existing bigint
    ) language plpgsql volatile as $$
    begin
      perform pg_advisory_xact_lock(hashtext(p_lock));
      select id into existing from outbox where dedupe_key = p_dedupe_key;
      select count(*) into recent from outbox
        where kind = p_kind and recipient_key = p_key and created_at >= p_since;
    end
    $$`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function outbox_recipient_room(text, text, text, timestamptz, text)`.execute(db);
}
