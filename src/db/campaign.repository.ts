import { sql } from 'kysely';
import type { CampaignFile } from '../domain/campaign.js';
import { agencyTermsFromFile } from '../domain/deadlines.js';
import type { AgencyKind } from '../domain/kinds.js';
import type { Db } from './database.js';

/** Insert or update a campaign by its code and set its quotas to exactly those of the file. */
export async function upsertCampaign(db: Db, c: CampaignFile): Promise<{ id: string; changed: boolean }> {
  const values = {
    code: c.code,
    year: c.year,
    name: c.name,
    inbox_address: c.inbox_address.toLowerCase(),
    time_zone: c.time_zone,
    registration_deadline: c.registration_deadline,
    results_deadline: c.results_deadline,
    reminder_offsets_days: c.reminders.before_days,
    overdue_offsets_days: c.reminders.after_days,
    calendar: JSON.stringify(c.calendar),
    agency_terms: JSON.stringify(agencyTermsFromFile(c.extensions, c.exempt)),
    document_number: c.document?.number ?? null,
    document_date: c.document?.date ?? null,
    document_issuer: c.document?.issuer ?? null,
    contact_name: c.contact?.name ?? null,
    contact_phone: c.contact?.phone ?? null,
    scoring: c.scoring ? JSON.stringify(c.scoring) : null,
  };
  const before = await findCampaign(db, c.code);
  const row = await db
    .insertInto('campaigns')
    .values(values)
    .onConflict((oc) =>
      oc
        .column('code')
        .doUpdateSet({ ...values, updated_at: sql`now()` })
        .where(
          // Only touch the row when something differs, so a second load changes nothing.
          sql<boolean>`(campaigns.year, campaigns.name, campaigns.inbox_address, campaigns.time_zone,
          campaigns.registration_deadline, campaigns.results_deadline, campaigns.reminder_offsets_days,
          campaigns.overdue_offsets_days, campaigns.calendar, campaigns.agency_terms,
          campaigns.document_number, campaigns.document_date, campaigns.document_issuer,
          campaigns.contact_name, campaigns.contact_phone, campaigns.scoring) is distinct from
          (excluded.year, excluded.name, excluded.inbox_address, excluded.time_zone,
          excluded.registration_deadline, excluded.results_deadline, excluded.reminder_offsets_days,
          excluded.overdue_offsets_days, excluded.calendar, excluded.agency_terms,
          excluded.document_number, excluded.document_date, excluded.document_issuer,
          excluded.contact_name, excluded.contact_phone, excluded.scoring)`,
        ),
    )
    .returning('id')
    .executeTakeFirst();
  const id = row?.id ?? before?.id;
  if (!id) throw new Error(`campaign ${c.code} vanished during upsert`);

  const kinds = Object.keys(c.quotas) as AgencyKind[];
  let quotasChanged = false;
  const removed = await db
    .deleteFrom('campaign_quotas')
    .where('campaign_id', '=', id)
    .$if(kinds.length > 0, (q) => q.where('agency_kind', 'not in', kinds))
    .executeTakeFirst();
  quotasChanged = Number(removed.numDeletedRows) > 0;
  for (const kind of kinds) {
    const minimum = c.quotas[kind] ?? 0;
    const r = await db
      .insertInto('campaign_quotas')
      .values({ campaign_id: id, agency_kind: kind, minimum })
      .onConflict((oc) =>
        oc
          .columns(['campaign_id', 'agency_kind'])
          .doUpdateSet({ minimum })
          .where('campaign_quotas.minimum', '<>', minimum),
      )
      .executeTakeFirst();
    quotasChanged ||= Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }
  return { id, changed: row !== undefined || quotasChanged };
}

/** A campaign by code, or by year when exactly one campaign has that year. */
export async function findCampaign(db: Db, codeOrYear: string) {
  const byCode = await db
    .selectFrom('campaigns')
    .selectAll()
    .where('code', '=', codeOrYear)
    .executeTakeFirst();
  if (byCode || !/^\d{4}$/.test(codeOrYear)) return byCode;
  const byYear = await db
    .selectFrom('campaigns')
    .selectAll()
    .where('year', '=', Number(codeOrYear))
    .execute();
  return byYear.length === 1 ? byYear[0] : undefined;
}

export async function listCampaigns(db: Db) {
  return db.selectFrom('campaigns').selectAll().orderBy('year', 'desc').orderBy('code').execute();
}

/** The campaign's quota per agency kind. */
export async function campaignQuotas(
  db: Db,
  campaignId: string,
): Promise<Partial<Record<AgencyKind, number>>> {
  const rows = await db
    .selectFrom('campaign_quotas')
    .select(['agency_kind', 'minimum'])
    .where('campaign_id', '=', campaignId)
    .execute();
  return Object.fromEntries(rows.map((r) => [r.agency_kind, r.minimum]));
}

/** Every campaign, the latest first (by year, then by when it was created). */
export async function listCampaignRows(db: Db) {
  return db.selectFrom('campaigns').selectAll().orderBy('year', 'desc').orderBy('id', 'desc').execute();
}

export async function getCampaign(db: Db, id: string) {
  return db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function latestCampaign(db: Db) {
  return db
    .selectFrom('campaigns')
    .selectAll()
    .orderBy('year', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/** The campaign of a form's year; without a year, the campaign of the year the mail arrived, else the latest. */
export async function campaignForForm(db: Db, year: number | null, receivedAt: Date) {
  const byYear = (y: number) =>
    db.selectFrom('campaigns').selectAll().where('year', '=', y).orderBy('id', 'desc').executeTakeFirst();
  return (
    (year !== null ? await byYear(year) : undefined) ??
    (await byYear(receivedAt.getUTCFullYear())) ??
    (await db
      .selectFrom('campaigns')
      .selectAll()
      .orderBy('year', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst())
  );
}
