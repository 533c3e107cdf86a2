import { campaignQuotas, findCampaign, latestCampaign, listCampaigns } from '../../db/campaign.repository.js';
import type { Db } from '../../db/database.js';
import { DataFileError } from '../../errors.js';

export type Campaign = NonNullable<Awaited<ReturnType<typeof findCampaign>>>;

/** A campaign by code or year, or the latest when none is named; a typed error when there is none. */
export async function resolveCampaign(db: Db, codeOrYear?: string): Promise<Campaign> {
  const campaign = codeOrYear ? await findCampaign(db, codeOrYear) : await latestCampaign(db);
  if (!campaign) {
    throw new DataFileError(
      'unknown_campaign',
      `no campaign ${codeOrYear ?? 'loaded'}; load one with reform campaign load`,
      { campaign: codeOrYear ?? null },
    );
  }
  return campaign;
}

/** Every campaign, the latest first. */
export async function allCampaigns(db: Db): Promise<Campaign[]> {
  return listCampaigns(db);
}

/** Every campaign with its quotas, deadlines, reminder offsets, calendar and agency terms, the latest first. */
export async function campaignsWithQuotas(db: Db) {
  const rows = await listCampaigns(db);
  const out = [];
  for (const c of rows) {
    out.push({
      code: c.code,
      year: c.year,
      name: c.name,
      inbox_address: c.inbox_address,
      time_zone: c.time_zone,
      registration_deadline: c.registration_deadline,
      results_deadline: c.results_deadline,
      quotas: await campaignQuotas(db, c.id),
      reminders: { before_days: c.reminder_offsets_days, after_days: c.overdue_offsets_days },
      calendar: c.calendar,
      /** Per agency code: its own deadlines, or exempt. */
      agency_terms: c.agency_terms,
    });
  }
  return out;
}
