import { type Kysely, sql } from 'kysely';

// The document as sent, drawn in the parse pool when the file is read and kept with the reading, so the console
// never opens a file again to show it. The description (paragraphs, tables, a PDF's text where it stands) is
// JSON; a scan's pages are images of our own encoding, apart, served one at a time.
// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('document_renderings')
    .addColumn('attachment_id', 'bigint', (c) =>
      c.primaryKey().references('attachments.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('blocks', 'pdf', 'images', 'none')`))
    .addColumn('rendering', 'jsonb', (c) => c.notNull())
    .addColumn('rendered_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('document_page_images')
    .addColumn('attachment_id', 'bigint', (c) =>
      c.notNull().references('document_renderings.attachment_id').onDelete('cascade'),
    )
    .addColumn('page', 'integer', (c) => c.notNull().check(sql`page >= 1`))
    .addColumn('mime', 'text', (c) => c.notNull().check(sql`mime = 'image/jpeg'`))
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('bytes', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('document_page_images_pkey', ['attachment_id', 'page'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('document_page_images').execute();
  await db.schema.dropTable('document_renderings').execute();
}
