import { campaignQuotas, getCampaign } from '../../db/campaign.repository.js';
import { actionsSince, formsReceivedSince } from '../../db/changes.repository.js';
import type { Db } from '../../db/database.js';
import { agencyProgress } from '../../db/initiative.repository.js';
import { lateSubmissionCounts } from '../../db/lateness.repository.js';
import { type Changes, changesOf } from '../../domain/changes.js';
import { agencyTermsOf, exemptCodes } from '../../domain/deadlines.js';
import { type AgencyStanding, type CampaignStanding, campaignStandingOf } from '../../domain/standing.js';

export type { AgencyStanding, CampaignStanding };

/**
 * Every agency's standing against its quota in a campaign, as the registry holds it now: what the status
 * command, the digest, the report, the reminders, the metrics and the acknowledgement all show.
 */
export async function campaignStanding(db: Db, campaignId: string): Promise<CampaignStanding> {
  return standingOf(db, campaignId);
}

async function standingOf(
  db: Db,
  campaignId: string,
  agencyId?: string,
  terms?: { agency_terms: unknown },
): Promise<CampaignStanding> {
  // One after the other: inside a transaction the two cannot share its connection at once.
  const quotas = await campaignQuotas(db, campaignId);
  const rows = await agencyProgress(db, campaignId, agencyId);
  const exempt = exemptCodes(agencyTermsOf((terms ?? (await getCampaign(db, campaignId)))?.agency_terms));
  const late = await lateSubmissionCounts(db, campaignId, agencyId);
  return campaignStandingOf(
    rows.map((r) => ({
      id: r.id,
      code: r.code,
      name: r.name,
      kind: r.kind,
      registryQuota: r.registry_quota,
      registered: r.registered,
      reported: r.reported,
      lastSubmissionAt: r.last_submission_at,
      parentId: r.parent_id,
      late: late.get(r.id) ?? 0,
    })),
    quotas,
    exempt,
  );
}

/**
 * One agency's standing in a campaign (undefined when the agency is not in the registry). A caller holding the
 * campaign's row (the acknowledgement's, read at most a minute ago) passes it: its exemptions are not read again.
 */
export async function agencyStandingIn(
  db: Db,
  campaign: string | { id: string; agency_terms: unknown },
  agencyId: string,
): Promise<AgencyStanding | undefined> {
  // A commune that counts toward its district stands with it.
  const standing =
    typeof campaign === 'string'
      ? await standingOf(db, campaign, agencyId)
      : await standingOf(db, campaign.id, agencyId, campaign);
  return (
    standing.agencies.find((a) => a.id === agencyId) ??
    standing.agencies.find((a) => a.members.some((m) => m.id === agencyId))
  );
}

/**
 * The campaign's forms that came after their agency's deadline and still count (`submissions.late`, decided by
 * `isLateFor` when each was recorded), and from how many agencies.
 */
export async function lateForms(db: Db, campaignId: string): Promise<{ forms: number; agencies: number }> {
  const late = await lateSubmissionCounts(db, campaignId);
  return { forms: [...late.values()].reduce((n, c) => n + c, 0), agencies: late.size };
}

/** What changed in a campaign since a moment: the forms that arrived, and what people did (`changesOf`). */
export async function changesSince(db: Db, campaignId: string, since: Date): Promise<Changes> {
  const forms = await formsReceivedSince(db, campaignId, since);
  return changesOf(forms, await actionsSince(db, since));
}
