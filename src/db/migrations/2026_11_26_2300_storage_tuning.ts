import { type Kysely, sql } from 'kysely';

// Stored mail, files, parse results and outgoing mail bodies are compressed with lz4 instead of pglz: several
// times cheaper to write, and text still shrinks. Acknowledgements to one sender in the last hour (the reply
// rate limit) are found through an index on the recipients instead of a scan of the whole outbox; the index is
// kept up to date on each insert (no pending list for every search to scan).
const COMPRESSED = [
  ['messages', 'raw'],
  ['attachments', 'bytes'],
  ['attachments', 'parse_result'],
  ['outbox', 'html'],
  ['outbox', 'text'],
  ['outbox_attachments', 'bytes'],
] as const;

// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  for (const [table, column] of COMPRESSED)
    await sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} set compression lz4`.execute(
      db,
    );
  await sql`create index outbox_recipients on outbox using gin (to_addresses) with (fastupdate = off)`.execute(
    db,
  );
}

// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('outbox_recipients').execute();
  for (const [table, column] of COMPRESSED)
    await sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} set compression default`.execute(
      db,
    );
}
