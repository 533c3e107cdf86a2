import { sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { INITIATIVE_COLUMNS, type InitiativeColumn } from '../domain/initiative-fields.js';
import type { InitiativeStatus } from '../domain/kinds.js';
import type { Db } from './database.js';
import { reusableQuery } from './reusable-query.js';
import type { OrphanResult } from './submission.repository.js';

/** An initiative's fields as the form gives them, for every query that shows them. */
export const INITIATIVE_FIELD_COLUMNS = INITIATIVE_COLUMNS.map((c) => `initiatives.${c}` as const);

/** Link results a person had linked back to the initiative now at the same place in the re-recorded form. */
export async function relinkResults(
  db: Db,
  attachmentId: string,
  orphans: readonly OrphanResult[],
): Promise<void> {
  for (const o of orphans) {
    const now = await db
      .selectFrom('initiatives')
      .innerJoin('submissions', 'submissions.id', 'initiatives.submission_id')
      .select('initiatives.id')
      .where('submissions.attachment_id', '=', attachmentId)
      .where('initiatives.position', '=', o.position)
      .executeTakeFirst();
    await db
      .updateTable('initiative_results')
      .set({ initiative_id: now?.id ?? null, linked_by: now ? undefined : null })
      .where('id', '=', o.resultId)
      .execute();
  }
}

/** Every active initiative of a campaign with its agency, in registration order. */
export async function activeInitiativesOfCampaign(db: Db, campaignId: string) {
  return db
    .selectFrom('initiatives')
    .innerJoin('agencies', 'agencies.id', 'initiatives.agency_id')
    .leftJoin('agencies as parent', 'parent.id', 'agencies.parent_id')
    .innerJoin('submissions', 'submissions.id', 'initiatives.submission_id')
    .select([
      'initiatives.id',
      'agencies.code as agency_code',
      'agencies.name as agency_name',
      'agencies.kind as agency_kind',
      'parent.name as parent_name',
      ...INITIATIVE_FIELD_COLUMNS,
      'submissions.reference',
      'submissions.received_at',
      'submissions.late',
    ])
    .where('initiatives.campaign_id', '=', campaignId)
    .where('initiatives.status', '=', 'active')
    .orderBy('agencies.kind')
    .orderBy('agencies.name')
    .orderBy('submissions.received_at')
    .orderBy('initiatives.position')
    .execute();
}

/** The latest reported result of each initiative of a campaign. */
export async function latestResults(db: Db, campaignId: string) {
  return (
    db
      .selectFrom('initiative_results')
      .innerJoin('initiatives', 'initiatives.id', 'initiative_results.initiative_id')
      .select([
        'initiative_results.initiative_id',
        'initiative_results.status',
        'initiative_results.outcome',
        'initiative_results.id',
      ])
      .where('initiatives.campaign_id', '=', campaignId)
      // A later report replaced an earlier one for the same initiative.
      .where('initiative_results.superseded', '=', false)
      .orderBy('initiative_results.id')
      .execute()
  );
}

/** Per agency of the registry: active initiatives registered in the campaign, those with a result, last submission. */
export async function agencyProgress(db: Db, campaignId: string, agencyId?: string) {
  return (
    db
      .selectFrom('agencies')
      .leftJoin('initiatives', (j) =>
        j
          .onRef('initiatives.agency_id', '=', 'agencies.id')
          .on('initiatives.campaign_id', '=', campaignId)
          .on('initiatives.status', '=', 'active'),
      )
      .select([
        'agencies.id',
        'agencies.code',
        'agencies.name',
        'agencies.kind',
        'agencies.registry_quota',
        'agencies.parent_id',
        sql<number>`count(distinct initiatives.id)::int`.as('registered'),
        sql<number>`count(distinct initiatives.id) filter (where exists (
        select 1 from initiative_results r where r.initiative_id = initiatives.id))::int`.as('reported'),
        sql<Date | null>`(select max(s.received_at) from submissions s
        where s.agency_id = agencies.id and s.campaign_id = ${campaignId} and s.status <> 'duplicate')`.as(
          'last_submission_at',
        ),
      ])
      .where('agencies.active', '=', true)
      // One agency with its district and the district's communes and wards: what its standing is made of.
      .$if(agencyId !== undefined, (q) =>
        q.where((eb) => {
          const family = sql<string>`(select coalesce(a.parent_id, a.id) from agencies a where a.id = ${agencyId as string})`;
          return eb.or([
            eb('agencies.id', '=', agencyId as string),
            eb('agencies.id', '=', family),
            eb('agencies.parent_id', '=', family),
          ]);
        }),
      )
      .groupBy('agencies.id')
      .orderBy('agencies.kind')
      .orderBy('agencies.code')
      .execute()
  );
}

/** Each agency's registered initiatives in a campaign that have no results report yet. */
export async function initiativesWithoutResults(db: Db, campaignId: string) {
  return db
    .selectFrom('initiatives')
    .select(['agency_id', 'title'])
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'active')
    .where('agency_id', 'is not', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('initiative_results as r')
            .select('r.id')
            .whereRef('r.initiative_id', '=', 'initiatives.id'),
        ),
      ),
    )
    .orderBy('agency_id')
    .orderBy('position')
    .execute();
}

/** An initiative with the file and place it was read from (what a correction is keyed by). */
export async function initiativeWithSource(db: Db, id: string) {
  return db
    .selectFrom('initiatives')
    .innerJoin('submissions', 'submissions.id', 'initiatives.submission_id')
    .innerJoin('attachments', 'attachments.id', 'submissions.attachment_id')
    .selectAll('initiatives')
    .select([
      'submissions.attachment_id',
      'submissions.reference',
      'submissions.agency_id as submission_agency_id',
      'submissions.status as submission_status',
      'attachments.parse_result',
    ])
    .where('initiatives.id', '=', id)
    .executeTakeFirst();
}

/** Set one field of the initiative read from a file at a position (a title also sets its comparison key). */
export async function setInitiativeField(
  db: Db,
  target: { id: string } | { attachmentId: string; position: number },
  column: InitiativeColumn,
  value: string | null,
  titleKey?: string,
): Promise<number> {
  const r = await db
    .updateTable('initiatives')
    .set({
      [column]: value,
      ...(column === 'title' && value !== null && titleKey !== undefined ? { title_key: titleKey } : {}),
      updated_at: sql`now()`,
    })
    .$if('id' in target, (q) => q.where('initiatives.id', '=', 'id' in target ? target.id : ''))
    .$if(!('id' in target), (q) =>
      q
        .where('position', '=', 'position' in target ? target.position : 0)
        .where('submission_id', 'in', (eb) =>
          eb
            .selectFrom('submissions')
            .select('id')
            .where('attachment_id', '=', 'attachmentId' in target ? target.attachmentId : ''),
        ),
    )
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function initiativeById(db: Db, id: string) {
  return db.selectFrom('initiatives').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function resultById(db: Db, id: string) {
  return db
    .selectFrom('initiative_results')
    .innerJoin('submissions', 'submissions.id', 'initiative_results.submission_id')
    .selectAll('initiative_results')
    .select([
      'submissions.agency_id',
      'submissions.campaign_id',
      'submissions.reference',
      'submissions.status as submission_status',
    ])
    .where('initiative_results.id', '=', id)
    .executeTakeFirst();
}

export async function linkResultTo(
  db: Db,
  resultId: string,
  initiativeId: string | null,
  by: string | null,
): Promise<void> {
  await db
    .updateTable('initiative_results')
    .set({
      initiative_id: initiativeId,
      needs_review: initiativeId === null,
      match_score: null,
      linked_by: by,
    })
    .where('id', '=', resultId)
    .execute();
}

/** Initiatives that stop being active (first, so the active-title index never sees two at once). */
export async function deactivateInitiatives(db: Db, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('initiatives')
    .set({ status: 'superseded', updated_at: sql`now()` })
    .where('id', 'in', [...ids])
    .where('status', '=', 'active')
    .execute();
}

/**
 * Set what the ledger decided for some initiatives, in one statement (one round trip for a revision that replaces
 * a dozen rows).
 */
export async function setInitiativesLedgerState(
  db: Db,
  rows: readonly { id: string; status: InitiativeStatus; superseded_by_id: string | null }[],
): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    update initiatives i set status = v.status, superseded_by_id = v.superseded_by_id, updated_at = now()
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(id bigint, status text, superseded_by_id bigint)
    where i.id = v.id`.execute(db);
}

/** Set what the ledger decided for some results' rows (the initiative each reports on), in one statement. */
export async function setResultsLedgerState(
  db: Db,
  rows: readonly {
    id: string;
    initiative_id: string | null;
    needs_review: boolean;
    superseded: boolean;
    match_score: number | null;
  }[],
): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    update initiative_results r set initiative_id = v.initiative_id, needs_review = v.needs_review,
      superseded = v.superseded, match_score = v.match_score
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as v(id bigint, initiative_id bigint, needs_review boolean, superseded boolean, match_score double precision)
    where r.id = v.id`.execute(db);
}

/**
 * What a registration changed in its agency's registry: the earlier initiatives each of its own replaced, the
 * earlier ones it dropped (a revision replaces the registration as a whole), and the agency's other active ones.
 */
export async function registrationChanges(db: Db, submissionId: string) {
  const [row] = await registrationChangesQuery(db, { submissionId });
  return {
    replaced: (row?.replaced ?? []).map((r) => ({ old: r.old_title, new: r.new_title })),
    dropped: (row?.dropped ?? []).map((d) => d.title),
    kept: (row?.kept ?? []).map((k) => k.title),
  };
}
const registrationChangesQuery = reusableQuery((db, p: { submissionId: string }) =>
  db.selectNoFrom((eb) => [
    jsonArrayFrom(
      eb
        .selectFrom('initiatives as old')
        .innerJoin('initiatives as new', 'new.id', 'old.superseded_by_id')
        .select(['old.title as old_title', 'new.title as new_title'])
        .where('new.submission_id', '=', p.submissionId)
        .orderBy('new.position'),
    ).as('replaced'),
    jsonArrayFrom(
      eb
        .selectFrom('initiatives as old')
        .innerJoin('submissions as s', 's.supersedes_id', 'old.submission_id')
        .select('old.title')
        .where('s.id', '=', p.submissionId)
        .where('old.status', '=', 'superseded')
        .where('old.superseded_by_id', 'is', null)
        .orderBy('old.position'),
    ).as('dropped'),
    jsonArrayFrom(
      eb
        .selectFrom('initiatives as i')
        .innerJoin('submissions as s', (j) =>
          j
            .on('s.id', '=', p.submissionId)
            .onRef('s.agency_id', '=', 'i.agency_id')
            .onRef('s.campaign_id', '=', 'i.campaign_id'),
        )
        .select('i.title')
        .where('i.status', '=', 'active')
        .whereRef('i.submission_id', '<>', 's.id')
        .orderBy('i.id'),
    ).as('kept'),
  ]),
);

/** Mark an initiative withdrawn by a person, or take the mark off (null); the ledger decides its status. */
export async function setInitiativeWithdrawal(db: Db, id: string, by: string | null): Promise<void> {
  await db
    .updateTable('initiatives')
    .set({ withdrawn_at: by ? sql`now()` : null, withdrawn_by: by, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}
