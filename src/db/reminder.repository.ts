import { sql } from 'kysely';
import type { Db } from './database.js';

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

/** The address the registry lists first for each agency. */
export async function agencyAddresses(db: Db): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('agency_addresses')
    .select(['agency_id', sql<string>`min(email)`.as('email')])
    .groupBy('agency_id')
    .execute();
  return new Map(rows.map((r) => [r.agency_id, r.email]));
}

/** Outbox dedupe keys already used, among the given ones. */
export async function usedDedupeKeys(db: Db, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.selectFrom('outbox').select('dedupe_key').where('dedupe_key', 'in', keys).execute();
  return new Set(rows.map((r) => r.dedupe_key));
}
