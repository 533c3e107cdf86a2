import { type Kysely, sql } from 'kysely';

// Whether a form came on time is decided once, when it is recorded, from the campaign's working-day calendar
// and the agency's own terms (src/domain/deadlines.ts); both come from the campaign file and are kept whole
// as JSON, since they are only ever read with their campaign.
// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('campaigns')
    .addColumn('calendar', 'jsonb', (c) =>
      c
        .notNull()
        .defaultTo(
          sql`'{"holidays": [], "working_saturdays": [], "extend_to_next_working_day": true}'::jsonb`,
        ),
    )
    // { "<agency code>": { "registration"?: "YYYY-MM-DD", "results"?: "YYYY-MM-DD", "exempt"?: true } }
    .addColumn('agency_terms', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await db.schema
    .alterTable('submissions')
    .addColumn('late', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('submissions').dropColumn('late').execute();
  await db.schema.alterTable('campaigns').dropColumn('agency_terms').dropColumn('calendar').execute();
}
