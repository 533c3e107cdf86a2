import { type Kysely, sql } from 'kysely';

// What a person decided about a file, kept apart from what the parser read so that a replay (which records the
// file afresh) keeps it: the agency a held form was confirmed for (and the address that confirmation added to the
// registry, so undoing it can take the address back), and whether the form counts as a revision of the agency's
// earlier registration or as a supplement to it, whatever its mail said. A forgery is a review verdict on the
// message: a dismissal that says so.
// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('file_decisions')
    .addColumn('attachment_id', 'bigint', (c) =>
      c.primaryKey().references('attachments.id').onDelete('cascade'),
    )
    .addColumn('confirmed_agency_id', 'bigint', (c) => c.references('agencies.id'))
    .addColumn('confirmed_by', 'text')
    .addColumn('confirmed_at', 'timestamptz')
    .addColumn('remembered_address', 'text')
    .addColumn('counts_as', 'text', (c) => c.check(sql`counts_as in ('revision', 'supplement')`))
    .addColumn('counts_as_by', 'text')
    .addColumn('counts_as_at', 'timestamptz')
    .execute();
  await db.schema
    .alterTable('review_dismissals')
    .addColumn('verdict', 'text', (c) =>
      c.notNull().defaultTo('dismissed').check(sql`verdict in ('dismissed', 'forgery')`),
    )
    .execute();
  // A confirmation made before decisions were kept: its submission is active under the confirmed agency, and the
  // audit log says who confirmed it. Kept as a decision, so a replay does not hold the file again.
  await sql`insert into file_decisions (attachment_id, confirmed_agency_id, confirmed_by, confirmed_at)
    select distinct on (s.attachment_id) s.attachment_id, s.agency_id, a.actor, a.at
    from audit_log a join submissions s on s.reference = a.subject_id
    where a.action = 'confirm_submission' and a.subject_type = 'submission' and s.agency_id is not null
    order by s.attachment_id, a.at desc
    on conflict do nothing`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('review_dismissals').dropColumn('verdict').execute();
  await db.schema.dropTable('file_decisions').execute();
}
