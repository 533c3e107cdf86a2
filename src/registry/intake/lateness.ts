import type { Db } from '../../db/database.js';
import { agencyCodeOf, setSubmissionsLate, submissionsForLateness } from '../../db/lateness.repository.js';
import {
  type AgencyTerms,
  agencyTermsOf,
  calendarOf,
  type DeadlineKind,
  deadlineFor,
  effectiveDeadline,
  isLate,
} from '../../domain/deadlines.js';

/** What of a campaign row deciding lateness reads (a campaigns row has all of it). */
export interface CampaignTerms {
  registration_deadline: string;
  results_deadline: string;
  time_zone: string;
  /** campaigns.calendar */
  calendar: unknown;
  /** campaigns.agency_terms, keyed by agency code */
  agency_terms: unknown;
}

/** The deadline an agency is given for a kind of form (YYYY-MM-DD): its own extension, else the campaign's. */
export function agencyDeadline(
  campaign: CampaignTerms,
  agencyCode: string | null,
  kind: DeadlineKind,
): string {
  return deadlineFor(
    campaign,
    kind,
    agencyCode ? agencyTermsOf(campaign.agency_terms)[agencyCode] : undefined,
  );
}

/** The last on-time day (YYYY-MM-DD) for an agency's form of a kind, its extension and the calendar applied. */
export function dueDay(campaign: CampaignTerms, agencyCode: string | null, kind: DeadlineKind): string {
  const terms: AgencyTerms | undefined = agencyCode
    ? agencyTermsOf(campaign.agency_terms)[agencyCode]
    : undefined;
  return effectiveDeadline(deadlineFor(campaign, kind, terms), calendarOf(campaign.calendar));
}

/**
 * Whether a form of `kind` from the agency, received at `receivedAt`, came after its deadline, in the
 * campaign's time zone, with the agency's own deadline when the campaign file gives it one. Pure.
 */
export function latenessOf(
  campaign: CampaignTerms,
  agencyCode: string | null,
  kind: DeadlineKind,
  receivedAt: Date,
): boolean {
  const terms = agencyCode ? agencyTermsOf(campaign.agency_terms)[agencyCode] : undefined;
  return isLate(
    receivedAt,
    deadlineFor(campaign, kind, terms),
    calendarOf(campaign.calendar),
    campaign.time_zone,
  );
}

/**
 * Whether a submission being recorded is late: the value of `submissions.late`. The agency's code is read only
 * when the campaign gives some agency its own terms.
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
  return latenessOf(campaign, code, kind, receivedAt);
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
  for (const r of rows) {
    (latenessOf(campaign, r.agency_code, r.kind, r.received_at) ? late : onTime).push(r.id);
  }
  const changed = (await setSubmissionsLate(db, late, true)) + (await setSubmissionsLate(db, onTime, false));
  return { changed };
}
