import { type Kysely, sql } from 'kysely';

// Stored mail and files are compressed with lz4 instead of pglz: several times cheaper to write, and base64
// mail bodies still shrink. Acknowledgements to one sender in the last hour (the reply rate limit) are found
// through an index on the recipients instead of a scan of the whole outbox.
// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table messages alter column raw set compression lz4`.execute(db);
  await sql`alter table attachments alter column bytes set compression lz4`.execute(db);
  await sql`alter table outbox_attachments alter column bytes set compression lz4`.execute(db);
  await db.schema.createIndex('outbox_recipients').on('outbox').using('gin').column('to_addresses').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('outbox_recipients').execute();
  for (const [table, column] of [
    ['messages', 'raw'],
    ['attachments', 'bytes'],
    ['outbox_attachments', 'bytes'],
  ] as const)
    await sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} set compression default`.execute(
      db,
    );
}
