import type { Kysely } from 'kysely';

// What official mail quotes from the campaign file: the document that launched the campaign (number, date,
// issuing body) and whom agencies may call at the office. All optional: a campaign file without them still
// loads, and the mails then fall back to the configured contact and a plain wording.
// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('campaigns')
    .addColumn('document_number', 'text')
    .addColumn('document_date', 'date')
    .addColumn('document_issuer', 'text')
    .addColumn('contact_name', 'text')
    .addColumn('contact_phone', 'text')
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('campaigns')
    .dropColumn('contact_phone')
    .dropColumn('contact_name')
    .dropColumn('document_issuer')
    .dropColumn('document_date')
    .dropColumn('document_number')
    .execute();
}
