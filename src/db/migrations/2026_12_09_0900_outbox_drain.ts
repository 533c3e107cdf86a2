import { type Kysely, sql } from 'kysely';

// The mailer takes its work from the outbox itself: a mail is due from `next_attempt_at` (now when it is written,
// later after a failed attempt), and every statement that adds mail tells listening mailers at its commit
// (NOTIFY outbox_added), so a new mail goes out at once without a queue in between.
// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('outbox')
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index outbox_due on outbox (next_attempt_at, id) where status = 'pending'`.execute(db);
  await sql`
    create function outbox_added() returns trigger language plpgsql as $$
    begin
      perform pg_notify('outbox_added', '');
      return null;
    end
    $$`.execute(db);
  await sql`create trigger outbox_added after insert on outbox for each statement execute function outbox_added()`.execute(
    db,
  );
}

// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger outbox_added on outbox`.execute(db);
  await sql`drop function outbox_added()`.execute(db);
  await sql`drop index outbox_due`.execute(db);
  await db.schema.alterTable('outbox').dropColumn('next_attempt_at').execute();
}
