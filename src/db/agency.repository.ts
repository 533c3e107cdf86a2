import { sql } from 'kysely';
import type { AgencyRow } from '../domain/agency.js';
import type { Db } from './database.js';
import { reusableQuery } from './reusable-query.js';

export interface RegistryImportSummary {
  created: number;
  updated: number;
  unchanged: number;
  addressesAdded: number;
  addressesMoved: number;
}

/**
 * Write registry rows keyed by agency code and address; rows equal to what is stored are left alone,
 * so importing the same file twice changes nothing. Call it inside a transaction.
 */
export async function upsertAgencies(trx: Db, rows: readonly AgencyRow[]): Promise<RegistryImportSummary> {
  const summary: RegistryImportSummary = {
    created: 0,
    updated: 0,
    unchanged: 0,
    addressesAdded: 0,
    addressesMoved: 0,
  };
  for (const row of rows) {
    const existing = await trx
      .selectFrom('agencies')
      .select(['id', 'name', 'kind', 'registry_quota', 'active'])
      .where('code', '=', row.code)
      .executeTakeFirst();
    let agencyId: string;
    if (!existing) {
      const inserted = await trx
        .insertInto('agencies')
        .values({ code: row.code, name: row.name, kind: row.kind, registry_quota: row.quota })
        .returning('id')
        .executeTakeFirstOrThrow();
      agencyId = inserted.id;
      summary.created++;
    } else {
      agencyId = existing.id;
      const same =
        existing.name === row.name &&
        existing.kind === row.kind &&
        existing.registry_quota === row.quota &&
        existing.active;
      if (same) summary.unchanged++;
      else {
        await trx
          .updateTable('agencies')
          .set({
            name: row.name,
            kind: row.kind,
            registry_quota: row.quota,
            active: true,
            updated_at: sql`now()`,
          })
          .where('id', '=', agencyId)
          .execute();
        summary.updated++;
      }
    }
    for (const email of row.emails) {
      const owner = await trx
        .selectFrom('agency_addresses')
        .select(['id', 'agency_id'])
        .where('email', '=', email)
        .executeTakeFirst();
      if (!owner) {
        await trx.insertInto('agency_addresses').values({ agency_id: agencyId, email }).execute();
        summary.addressesAdded++;
      } else if (owner.agency_id !== agencyId) {
        // The registry file is the authority: an address listed for another agency now belongs to this one.
        await trx
          .updateTable('agency_addresses')
          .set({ agency_id: agencyId })
          .where('id', '=', owner.id)
          .execute();
        summary.addressesMoved++;
      }
    }
  }
  return summary;
}

export async function listAgencies(db: Db) {
  return db
    .selectFrom('agencies')
    .leftJoin('agency_addresses', 'agency_addresses.agency_id', 'agencies.id')
    .select([
      'agencies.id',
      'agencies.code',
      'agencies.name',
      'agencies.kind',
      'agencies.registry_quota',
      'agencies.active',
      sql<string[]>`coalesce(array_agg(agency_addresses.email order by agency_addresses.email)
        filter (where agency_addresses.email is not null), '{}')`.as('emails'),
    ])
    .groupBy('agencies.id')
    .orderBy('agencies.kind')
    .orderBy('agencies.code')
    .execute();
}

/** The agency that owns a sender address, if the registry lists it. */
export async function findAgencyByAddress(db: Db, email: string) {
  return (await agencyByAddressQuery(db, { email: email.trim().toLowerCase() }))[0];
}
const agencyByAddressQuery = reusableQuery((db, p: { email: string }) =>
  db
    .selectFrom('agency_addresses')
    .innerJoin('agencies', 'agencies.id', 'agency_addresses.agency_id')
    .select(['agencies.id', 'agencies.code', 'agencies.name', 'agencies.kind'])
    .where('agency_addresses.email', '=', p.email),
);

/** Every agency, active or not, with what the jobs need of it. */
export async function listAgencyRows(db: Db) {
  return db
    .selectFrom('agencies')
    .select(['id', 'code', 'name', 'kind', 'registry_quota', 'active'])
    .execute();
}

export async function getAgency(db: Db, id: string) {
  return db
    .selectFrom('agencies')
    .select(['id', 'code', 'name', 'kind', 'registry_quota'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findAgencyByCode(db: Db, code: string) {
  return db
    .selectFrom('agencies')
    .select(['id', 'code', 'name', 'kind'])
    .where('code', '=', code)
    .executeTakeFirst();
}

/** Active agencies, as the parser matches a form's header against them. */
export async function activeAgencies(db: Db) {
  return db
    .selectFrom('agencies')
    .select(['id', 'code', 'name', 'kind'])
    .where('active', '=', true)
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

/** Who owns an address now, if anyone. */
export async function addressOwner(db: Db, email: string) {
  return db
    .selectFrom('agency_addresses')
    .select(['agency_id', 'source'])
    .where('email', '=', email.trim().toLowerCase())
    .executeTakeFirst();
}

/** An address staff added for an agency (kept apart from the registry file's: a re-import leaves it). */
export async function addStaffAddress(db: Db, agencyId: string, email: string, by: string): Promise<void> {
  await db
    .insertInto('agency_addresses')
    .values({ agency_id: agencyId, email: email.trim().toLowerCase(), source: 'staff', added_by: by })
    .execute();
}
