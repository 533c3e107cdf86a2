import type { Db } from './database.js';

/** The forms of a campaign that arrived since a moment, counted by kind, status and lateness. */
export async function formsReceivedSince(db: Db, campaignId: string, since: Date) {
  const rows = await db
    .selectFrom('submissions')
    .select(['kind', 'status', 'late', (eb) => eb.fn.countAll<string>().as('n')])
    .where('campaign_id', '=', campaignId)
    .where('received_at', '>=', since)
    .groupBy(['kind', 'status', 'late'])
    .execute();
  return rows.map((r) => ({ kind: r.kind, status: r.status, late: r.late, n: Number(r.n) }));
}

/** What people did since a moment (the audit log), counted by action. */
export async function actionsSince(db: Db, since: Date) {
  const rows = await db
    .selectFrom('audit_log')
    .select(['action', (eb) => eb.fn.countAll<string>().as('n')])
    .where('at', '>=', since)
    .groupBy('action')
    .orderBy('action')
    .execute();
  return rows.map((r) => ({ action: r.action, n: Number(r.n) }));
}
