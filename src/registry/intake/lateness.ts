import type { Db } from '../../db/database.js';
import { agencyCodeOf, setSubmissionsLate, submissionsForLateness } from '../../db/lateness.repository.js';
import { agencyTermsOf, type CampaignTerms, type DeadlineKind, isLateFor } from '../../domain/deadlines.js';

/**
 * Whether a submission being recorded is late: the value of `submissions.late` (rule: `isLateFor`). The agency's
 * code is read only when the campaign gives some agency its own terms.
 */
export async function lateness(
  db: Db,
  campaign: CampaignTerms,
  agencyId: string | null,
  kind: DeadlineKind,
  receivedAt: Date,
): Promise<boolean> {
  const hasTerms = Object.keys(agencyTermsOf(campaign.agency_terms)).length > 0;
  const code = agencyId && hasTerms ? ((await agencyCodeOf(db, agencyId)) ?? null) : null;
  return isLateFor(campaign, code, kind, receivedAt);
}

/**
 * Decide every submission of a campaign on time or late again, after its file changed (a new extension, a
 * corrected holiday list). Returns how many submissions changed; a reload of the same file changes none.
 */
export async function remarkLateness(
  db: Db,
  campaign: CampaignTerms & { id: string },
): Promise<{ changed: number }> {
  const rows = await submissionsForLateness(db, campaign.id);
  const late: string[] = [];
  const onTime: string[] = [];
  for (const r of rows)
    (isLateFor(campaign, r.agency_code, r.kind, r.received_at) ? late : onTime).push(r.id);
  const changed = (await setSubmissionsLate(db, late, true)) + (await setSubmissionsLate(db, onTime, false));
  return { changed };
}
