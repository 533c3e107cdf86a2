import type { Kysely } from 'kysely';

// A commune's or ward's district: its forms count toward the district's quota where the campaign has districts.
// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('agencies')
    .addColumn('parent_id', 'bigint', (c) => c.references('agencies.id'))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('agencies').dropColumn('parent_id').execute();
}
