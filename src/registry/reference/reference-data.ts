import { getAgency, listAgencyRows } from '../../db/agency.repository.js';
import { campaignForForm, getCampaign, listCampaignRows } from '../../db/campaign.repository.js';
import type { Database, Db } from '../../db/database.js';

type AgencyRow = Awaited<ReturnType<typeof listAgencyRows>>[number];
type CampaignRow = Awaited<ReturnType<typeof listCampaignRows>>[number];

interface Snapshot {
  at: number;
  agencies: Map<string, AgencyRow>;
  /** Active agencies, as the parser matches a form's header against them, and their ids by code. */
  registry: Pick<AgencyRow, 'id' | 'code' | 'name' | 'kind'>[];
  idByCode: ReadonlyMap<string, string>;
  campaigns: CampaignRow[];
}

/** How long the workers use what they read of the registry and campaigns before reading them again. */
const REFERENCE_DATA_TTL_MS = 60_000;

const snapshots = new WeakMap<Database, Promise<Snapshot>>();

async function load(db: Db): Promise<Snapshot> {
  const [agencies, campaigns] = await Promise.all([listAgencyRows(db), listCampaignRows(db)]);
  const registry = agencies
    .filter((a) => a.active)
    .map(({ id, code, name, kind }) => ({ id, code, name, kind }));
  return {
    at: Date.now(),
    agencies: new Map(agencies.map((a) => [a.id, a])),
    registry,
    idByCode: new Map(registry.map((a) => [a.code, a.id])),
    campaigns,
  };
}

/**
 * The agency registry and the campaigns change only when staff import them; the jobs read them for every
 * message. Each database's are read at most once a minute; what is not in the snapshot (imported since) is
 * read from the database.
 */
async function snapshot(db: Database, via: Db = db): Promise<Snapshot> {
  let current = snapshots.get(db);
  if (current) {
    const s = await current.catch(() => undefined);
    if (!s || Date.now() - s.at > REFERENCE_DATA_TTL_MS) current = undefined;
  }
  if (!current) {
    // Read through the caller's transaction when there is one: a second connection taken from the pool while
    // a transaction holds one could wait for it forever on a small pool.
    current = load(via);
    snapshots.set(db, current);
  }
  return current;
}

/**
 * Where reference data is read: the pool (cache key) and, inside an operation's transaction, that
 * transaction (for what the snapshot lacks).
 */
export interface ReferenceSource {
  db: Database;
  trx?: Db;
}
const via = (s: ReferenceSource): Db => s.trx ?? s.db;

/** Active agencies, as the parser matches a form's header against them. */
export async function parserRegistry(db: Database) {
  return (await snapshot(db)).registry;
}

/** Active agencies' ids by code: the agency a form's header names. */
export async function agencyIdsByCode(src: ReferenceSource) {
  return (await snapshot(src.db, via(src))).idByCode;
}

export async function agencyById(src: ReferenceSource, id: string) {
  return (await snapshot(src.db, via(src))).agencies.get(id) ?? (await getAgency(via(src), id));
}

export async function campaignById(src: ReferenceSource, id: string) {
  return (
    (await snapshot(src.db, via(src))).campaigns.find((c) => c.id === id) ?? (await getCampaign(via(src), id))
  );
}

/** The campaign of a form's year; without a year, the campaign of the year the mail arrived, else the latest. */
export async function campaignFor(src: ReferenceSource, year: number | null, receivedAt: Date) {
  const campaigns = (await snapshot(src.db, via(src))).campaigns; // the latest first
  const wanted = year ?? receivedAt.getUTCFullYear();
  // Only an exact match is taken from the snapshot: a campaign imported since might be the one wanted.
  return campaigns.find((c) => c.year === wanted) ?? (await campaignForForm(via(src), year, receivedAt));
}

export async function latestCampaign(src: ReferenceSource) {
  return (await snapshot(src.db, via(src))).campaigns[0];
}
