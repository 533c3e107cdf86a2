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
  const touched = new Set<string>();
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
      touched.add(row.code);
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
        touched.add(row.code);
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
  // Parents last: a district may come after its communes in the file.
  for (const row of rows) {
    const parent = row.parent
      ? await trx.selectFrom('agencies').select('id').where('code', '=', row.parent).executeTakeFirst()
      : undefined;
    const r = await trx
      .updateTable('agencies')
      .set({ parent_id: parent?.id ?? null })
      .where('code', '=', row.code)
      .where(sql<boolean>`parent_id is distinct from ${parent?.id ?? null}`)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) > 0 && !touched.has(row.code)) {
      summary.updated++;
      summary.unchanged--;
      touched.add(row.code);
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
    .select(['id', 'code', 'name', 'kind', 'registry_quota', 'active', 'parent_id'])
    .execute();
}

export async function getAgency(db: Db, id: string) {
  return db
    .selectFrom('agencies')
    .select(['id', 'code', 'name', 'kind', 'registry_quota', 'parent_id'])
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

/** A registered address with its bounce flag and its agency, by address. */
export async function addressWithBounce(db: Db, email: string) {
  return db
    .selectFrom('agency_addresses')
    .innerJoin('agencies', 'agencies.id', 'agency_addresses.agency_id')
    .select([
      'agency_addresses.id',
      'agency_addresses.email',
      'agency_addresses.agency_id',
      'agencies.code as agency_code',
      'agencies.name as agency_name',
      'agency_addresses.bounced_at',
      'agency_addresses.bounce_status',
      'agency_addresses.bounce_message_id',
      'agency_addresses.bounce_cleared_at',
    ])
    .where('agency_addresses.email', '=', email.trim().toLowerCase())
    .executeTakeFirst();
}

/** Mark an address as bounced by a stored delivery report (the report's arrival time, status and message). */
export async function setAddressBounce(
  db: Db,
  id: string,
  bounce: { at: Date; status: string | null; messageId: string },
): Promise<void> {
  await db
    .updateTable('agency_addresses')
    .set({ bounced_at: bounce.at, bounce_status: bounce.status, bounce_message_id: bounce.messageId })
    .where('id', '=', id)
    .execute();
}

/** Take the bounce flag off an address, remembering when (reports that arrived before then no longer count). */
export async function clearAddressBounce(db: Db, id: string, at: Date): Promise<void> {
  await db
    .updateTable('agency_addresses')
    .set({ bounced_at: null, bounce_status: null, bounce_message_id: null, bounce_cleared_at: at })
    .where('id', '=', id)
    .execute();
}

/** Every address flagged as bounced, with its agency, oldest first. */
export async function bouncedAddresses(db: Db) {
  return db
    .selectFrom('agency_addresses')
    .innerJoin('agencies', 'agencies.id', 'agency_addresses.agency_id')
    .select([
      'agency_addresses.agency_id',
      'agencies.code as agency_code',
      'agencies.name as agency_name',
      'agency_addresses.email',
      'agency_addresses.bounced_at',
      'agency_addresses.bounce_status',
      'agency_addresses.bounce_message_id',
    ])
    .where('agency_addresses.bounced_at', 'is not', null)
    .orderBy('agency_addresses.bounced_at')
    .orderBy('agency_addresses.email')
    .execute();
}

/** Each agency's addresses in alphabetical order: those mail can reach, and those flagged as bounced. */
export async function agencyRecipients(
  db: Db,
): Promise<Map<string, { reachable: string[]; bounced: string[] }>> {
  const rows = await db
    .selectFrom('agency_addresses')
    .select(['agency_id', 'email', 'bounced_at'])
    .orderBy('agency_id')
    .orderBy('email')
    .execute();
  const byAgency = new Map<string, { reachable: string[]; bounced: string[] }>();
  for (const r of rows) {
    let entry = byAgency.get(r.agency_id);
    if (!entry) {
      entry = { reachable: [], bounced: [] };
      byAgency.set(r.agency_id, entry);
    }
    (r.bounced_at ? entry.bounced : entry.reachable).push(r.email);
  }
  return byAgency;
}

/** Take back an address staff added for an agency (never one the registry file holds). */
export async function removeStaffAddress(db: Db, agencyId: string, email: string): Promise<boolean> {
  const r = await db
    .deleteFrom('agency_addresses')
    .where('agency_id', '=', agencyId)
    .where('email', '=', email.trim().toLowerCase())
    .where('source', '=', 'staff')
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/**
 * Take out of the registry what a file no longer holds: addresses it does not list (staff-added ones too) are
 * removed, agencies it does not list are made inactive (kept, with their forms). Inside the import's transaction.
 */
export async function pruneRegistry(
  trx: Db,
  rows: readonly AgencyRow[],
): Promise<{ addressesRemoved: string[]; staffAddressesRemoved: string[]; agenciesDeactivated: string[] }> {
  const codes = rows.map((r) => r.code);
  const emails = rows.flatMap((r) => r.emails);
  const removed = await trx
    .deleteFrom('agency_addresses')
    .where((eb) => (emails.length > 0 ? eb('email', 'not in', emails) : eb.lit(true)))
    .returning(['email', 'source'])
    .execute();
  const deactivated = await trx
    .updateTable('agencies')
    .set({ active: false, updated_at: sql`now()` })
    .where('active', '=', true)
    .where((eb) => (codes.length > 0 ? eb('code', 'not in', codes) : eb.lit(true)))
    .returning('code')
    .execute();
  return {
    addressesRemoved: removed.filter((r) => r.source !== 'staff').map((r) => r.email),
    staffAddressesRemoved: removed.filter((r) => r.source === 'staff').map((r) => r.email),
    agenciesDeactivated: deactivated.map((r) => r.code),
  };
}
