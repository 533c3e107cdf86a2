import type { Db } from './database.js';

/** Every submission of a campaign with what deciding its lateness needs: its agency's code, kind and arrival. */
export async function submissionsForLateness(db: Db, campaignId: string) {
  return db
    .selectFrom('submissions')
    .leftJoin('agencies', 'agencies.id', 'submissions.agency_id')
    .select([
      'submissions.id',
      'submissions.kind',
      'submissions.received_at',
      'submissions.late',
      'agencies.code as agency_code',
    ])
    .where('submissions.campaign_id', '=', campaignId)
    .orderBy('submissions.id')
    .execute();
}

/** Mark submissions late or on time; returns how many changed. */
export async function setSubmissionsLate(db: Db, ids: readonly string[], late: boolean): Promise<number> {
  if (ids.length === 0) return 0;
  const r = await db
    .updateTable('submissions')
    .set({ late })
    .where('id', 'in', [...ids])
    .where('late', '<>', late)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** The code of an agency (its terms in a campaign file are keyed by code). */
export async function agencyCodeOf(db: Db, agencyId: string): Promise<string | undefined> {
  const r = await db.selectFrom('agencies').select('code').where('id', '=', agencyId).executeTakeFirst();
  return r?.code;
}

/** Per agency, how many of its counted submissions in a campaign (active or since superseded) came late. */
export async function lateSubmissionCounts(
  db: Db,
  campaignId: string,
  agencyId?: string,
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('submissions')
    .select(['agency_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('campaign_id', '=', campaignId)
    .where('late', '=', true)
    .where('status', 'in', ['active', 'superseded'])
    .where('agency_id', 'is not', null)
    .$if(agencyId !== undefined, (q) => q.where('agency_id', '=', agencyId as string))
    .groupBy('agency_id')
    .execute();
  return new Map(rows.flatMap((r) => (r.agency_id ? [[r.agency_id, Number(r.n)] as const] : [])));
}
