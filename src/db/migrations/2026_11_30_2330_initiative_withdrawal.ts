import { type Kysely, sql } from 'kysely';

// A person may withdraw an initiative (the agency asked, or it is not an initiative at all): it stops counting,
// stays readable, and every later rebuild of the agency's registry keeps it withdrawn until it is restored.
// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table initiatives drop constraint initiatives_status_check`.execute(db);
  await sql`alter table initiatives add constraint initiatives_status_check
    check (status in ('active', 'pending_review', 'superseded', 'withdrawn'))`.execute(db);
  await db.schema
    .alterTable('initiatives')
    .addColumn('withdrawn_at', 'timestamptz')
    .addColumn('withdrawn_by', 'text')
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('initiatives').dropColumn('withdrawn_at').dropColumn('withdrawn_by').execute();
  await sql`update initiatives set status = 'superseded' where status = 'withdrawn'`.execute(db);
  await sql`alter table initiatives drop constraint initiatives_status_check`.execute(db);
  await sql`alter table initiatives add constraint initiatives_status_check
    check (status in ('active', 'pending_review', 'superseded'))`.execute(db);
}
