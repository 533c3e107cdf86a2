import { type Kysely, sql } from 'kysely';

// The large values written for every mail (the raw message, its files, their readings and drawings, the answers)
// are compressed with lz4 instead of pglz: under a flood, pglz's compression was a visible share of PostgreSQL's
// time in the statements that store them (docs/performance.md, "Work per mail"). Only new values are affected. A
// server built without lz4 keeps pglz: the migration notes it and goes on.
const COLUMNS = [
  ['messages', 'raw'],
  ['attachments', 'bytes'],
  ['attachments', 'parse_result'],
  ['document_renderings', 'rendering'],
  ['document_page_images', 'bytes'],
  ['outbox', 'html'],
  ['outbox', 'text'],
  ['outbox_attachments', 'bytes'],
] as const;

// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
async function setCompression(db: Kysely<any>, method: 'lz4' | 'default'): Promise<void> {
  const statements = COLUMNS.map(
    ([table, column]) => `alter table ${table} alter column ${column} set compression ${method};`,
  ).join('\n');
  await sql`
    do $$
    begin
      ${sql.raw(statements)}
    exception when feature_not_supported then
      raise notice 'lz4 is not available on this server: large values stay compressed with pglz';
    end
    $$`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await setCompression(db, 'lz4');
}

// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function down(db: Kysely<any>): Promise<void> {
  await setCompression(db, 'default');
}
