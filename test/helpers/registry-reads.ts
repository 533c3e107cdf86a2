import type { Database } from '../../src/db/database.js';

// What the counting tests read of the registry, by agency code, in the order things were recorded.

/** An agency's initiatives, every status. */
export const initiativesOf = (db: Database, code: string) =>
  db
    .selectFrom('initiatives')
    .innerJoin('agencies', 'agencies.id', 'initiatives.agency_id')
    .select(['initiatives.id', 'initiatives.title', 'initiatives.status', 'initiatives.superseded_by_id'])
    .where('agencies.code', '=', code)
    .orderBy('initiatives.id')
    .execute();

/** The titles of an agency's active initiatives. */
export const activeTitles = async (db: Database, code: string) =>
  (await initiativesOf(db, code)).filter((i) => i.status === 'active').map((i) => i.title);

/** An agency's submissions. */
export const submissionsOf = (db: Database, code: string) =>
  db
    .selectFrom('submissions')
    .innerJoin('agencies', 'agencies.id', 'submissions.agency_id')
    .select([
      'submissions.id',
      'submissions.reference',
      'submissions.status',
      'submissions.kind',
      'submissions.duplicate_of_id',
    ])
    .where('agencies.code', '=', code)
    .orderBy('submissions.id')
    .execute();
