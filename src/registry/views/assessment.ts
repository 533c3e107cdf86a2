import { countedForms, initiativesWithAssessment } from '../../db/assessment.repository.js';
import type { Db } from '../../db/database.js';
import {
  type AgencyAssessment,
  type AssessedInitiative,
  assessAgency,
  type EvidenceForm,
  ScoringTable,
} from '../../domain/assessment.js';
import { AGENCY_KIND_ORDER } from '../../domain/labels.js';
import type { Campaign } from '../reference/campaigns.js';
import { campaignStanding } from './campaign-standing.js';

/** Every agency's assessment facts in a campaign, in the report's order (departments first, then by name). */
export interface CampaignAssessment {
  scoring: ScoringTable | null;
  agencies: AgencyAssessment[];
}

/**
 * The assessment facts of every agency of the registry in a campaign, as the registry holds it now (one rule:
 * `assessAgency`): its standing, its counted forms and those of the communes counted toward it, and its active
 * initiatives with their latest result and staff's assessment in force.
 */
export async function campaignAssessment(db: Db, campaign: Campaign, now: Date): Promise<CampaignAssessment> {
  const standing = await campaignStanding(db, campaign.id);
  const forms = await countedForms(db, campaign.id);
  const initiatives = await initiativesWithAssessment(db, campaign.id);
  const parsed = ScoringTable.safeParse(campaign.scoring);
  const scoring = campaign.scoring && parsed.success ? parsed.data : null;
  // A commune counted toward its district gives its forms and initiatives to the district's assessment.
  const owner = new Map<string, string>();
  for (const a of standing.agencies) {
    owner.set(a.id, a.id);
    for (const m of a.members) owner.set(m.id, a.id);
  }
  const formsOf = new Map<string, EvidenceForm[]>();
  for (const f of forms) {
    const id = f.agency_id ? owner.get(f.agency_id) : undefined;
    if (!id) continue;
    formsOf.set(id, [
      ...(formsOf.get(id) ?? []),
      {
        reference: f.reference,
        kind: f.kind,
        receivedAt: new Date(f.received_at),
        late: f.late,
        messageId: f.message_id,
        filename: f.filename,
      },
    ]);
  }
  const initiativesOf = new Map<string, AssessedInitiative[]>();
  for (const i of initiatives) {
    const id = i.agency_id ? owner.get(i.agency_id) : undefined;
    if (!id) continue;
    initiativesOf.set(id, [
      ...(initiativesOf.get(id) ?? []),
      { id: i.id, title: i.title, result: i.result ?? null, verdict: i.verdict ?? null },
    ]);
  }
  const agencies = standing.agencies
    .map((s) =>
      assessAgency({
        campaign,
        scoring,
        standing: s,
        forms: formsOf.get(s.id) ?? [],
        initiatives: initiativesOf.get(s.id) ?? [],
        now,
      }),
    )
    .sort(
      (a, b) => AGENCY_KIND_ORDER[a.kind] - AGENCY_KIND_ORDER[b.kind] || a.name.localeCompare(b.name, 'vi'),
    );
  return { scoring, agencies };
}
