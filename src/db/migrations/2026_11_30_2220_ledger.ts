import { type Kysely, sql } from 'kysely';

// What makes the registry independent of the order jobs finish in: each submission's normalised content (copies
// in another format are recognised by it), what the form says it is (a revision or a supplement), which earlier
// submission a copy repeats; results a later report replaced, and results a person linked by hand.
// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('submissions')
    .addColumn('content_hash', 'text')
    .addColumn('revision_hint', 'text', (c) => c.check(sql`revision_hint in ('revision', 'supplement')`))
    .addColumn('duplicate_of_id', 'bigint', (c) => c.references('submissions.id').onDelete('set null'))
    .execute();
  await db.schema
    .alterTable('initiative_results')
    .addColumn('superseded', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('linked_by', 'text')
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('initiative_results').dropColumn('superseded').dropColumn('linked_by').execute();
  await db.schema
    .alterTable('submissions')
    .dropColumn('content_hash')
    .dropColumn('revision_hint')
    .dropColumn('duplicate_of_id')
    .execute();
}
