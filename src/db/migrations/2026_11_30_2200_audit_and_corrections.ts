import { type Kysely, sql } from 'kysely';

// What people do to the registry: an audit log of every person-triggered change (who, when, what, before and
// after), corrections kept beside the parser's values (keyed by file and position, so a replay that re-reads
// the file finds them again), dismissed review items, and where an agency's address came from.
// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('via', 'text', (c) => c.notNull().check(sql`via in ('cli', 'console', 'job')`))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .addColumn('note', 'text')
    .execute();
  await db.schema
    .createIndex('audit_log_subject')
    .on('audit_log')
    .columns(['subject_type', 'subject_id'])
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();

  await db.schema
    .createTable('field_corrections')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('attachment_id', 'bigint', (c) => c.notNull().references('attachments.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('value', 'text')
    .addColumn('parser_value', 'text')
    .addColumn('corrected_by', 'text', (c) => c.notNull())
    .addColumn('corrected_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('note', 'text')
    .addColumn('reverted_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('field_corrections_target')
    .on('field_corrections')
    .columns(['attachment_id', 'position', 'field'])
    .execute();

  await db.schema
    .createTable('review_dismissals')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('item_kind', 'text', (c) => c.notNull().check(sql`item_kind in ('message', 'file', 'result')`))
    .addColumn('item_id', 'bigint', (c) => c.notNull())
    .addColumn('dismissed_by', 'text', (c) => c.notNull())
    .addColumn('dismissed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('note', 'text')
    .addColumn('undone_at', 'timestamptz')
    .execute();
  await sql`create unique index review_dismissals_open on review_dismissals (item_kind, item_id)
    where undone_at is null`.execute(db);

  await db.schema
    .alterTable('agency_addresses')
    .addColumn('source', 'text', (c) =>
      c.notNull().defaultTo('registry').check(sql`source in ('registry', 'staff')`),
    )
    .addColumn('added_by', 'text')
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('agency_addresses').dropColumn('source').dropColumn('added_by').execute();
  await db.schema.dropTable('review_dismissals').execute();
  await db.schema.dropTable('field_corrections').execute();
  await db.schema.dropTable('audit_log').execute();
}
