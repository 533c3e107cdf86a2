import { type Kysely, sql } from 'kysely';

// Staff assess each reported initiative for the PAR-index assessment ("hiệu quả", "chưa hiệu quả", "chưa đánh
// giá"). Nothing is overwritten: a new assessment replaces the one in force (replaced_at), taking it back
// (undone_at) brings the one it replaced back into force. A campaign file may set a scoring table (points per
// fact), kept as the file gave it.
// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('initiative_assessments')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('initiative_id', 'bigint', (c) => c.notNull().references('initiatives.id').onDelete('cascade'))
    .addColumn('verdict', 'text', (c) =>
      c.notNull().check(sql`verdict in ('effective', 'not_effective', 'not_assessed')`),
    )
    .addColumn('note', 'text')
    .addColumn('assessed_by', 'text', (c) => c.notNull())
    .addColumn('assessed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('replaced_at', 'timestamptz')
    .addColumn('undone_at', 'timestamptz')
    .addColumn('undone_by', 'text')
    .execute();
  // At most one assessment in force per initiative.
  await sql`create unique index initiative_assessments_in_force on initiative_assessments (initiative_id)
    where replaced_at is null and undone_at is null`.execute(db);
  await db.schema.alterTable('campaigns').addColumn('scoring', 'jsonb').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('campaigns').dropColumn('scoring').execute();
  await db.schema.dropTable('initiative_assessments').execute();
}
