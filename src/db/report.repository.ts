import type { Db } from './database.js';

/** Every active initiative of a campaign with its agency, in registration order. */
export async function activeInitiativesOfCampaign(db: Db, campaignId: string) {
  return db
    .selectFrom('initiatives')
    .innerJoin('agencies', 'agencies.id', 'initiatives.agency_id')
    .innerJoin('submissions', 'submissions.id', 'initiatives.submission_id')
    .select([
      'initiatives.id',
      'agencies.code as agency_code',
      'agencies.name as agency_name',
      'agencies.kind as agency_kind',
      'initiatives.title',
      'initiatives.summary',
      'initiatives.necessity',
      'initiatives.expected_results',
      'initiatives.timeline',
      'initiatives.start_month',
      'initiatives.end_month',
      'initiatives.lead_unit',
      'initiatives.notes',
      'submissions.reference',
      'submissions.received_at',
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
  return db
    .selectFrom('initiative_results')
    .innerJoin('initiatives', 'initiatives.id', 'initiative_results.initiative_id')
    .select([
      'initiative_results.initiative_id',
      'initiative_results.status',
      'initiative_results.outcome',
      'initiative_results.id',
    ])
    .where('initiatives.campaign_id', '=', campaignId)
    .orderBy('initiative_results.id')
    .execute();
}
