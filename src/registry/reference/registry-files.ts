import {
  listAgencyRows,
  pruneRegistry,
  type RegistryImportSummary,
  upsertAgencies,
} from '../../db/agency.repository.js';
import { getCampaign, upsertCampaign } from '../../db/campaign.repository.js';
import type { Database } from '../../db/database.js';
import { remarkLateness } from '../intake/lateness.js';
import { parseAgencyCsv, parseCampaignFile, readDataFile } from './data-files.js';

/** Import an agency registry CSV in one transaction: all rows or, on any bad row, none. */
export async function importAgencyRegistry(
  db: Database,
  path: string,
  options: { prune?: boolean } = {},
): Promise<
  RegistryImportSummary & { rows: number; pruned: Awaited<ReturnType<typeof pruneRegistry>> | null }
> {
  const known = new Map((await listAgencyRows(db)).map((a) => [a.code, a.kind]));
  const rows = parseAgencyCsv(await readDataFile(path), path, known);
  return db.transaction().execute(async (trx) => {
    const summary = await upsertAgencies(trx, rows);
    // Without --prune nothing is taken away: what staff added from the console (an address remembered with a
    // confirmation) stays, and so does an agency the file no longer lists.
    const pruned = options.prune ? await pruneRegistry(trx, rows) : null;
    return { rows: rows.length, ...summary, pruned };
  });
}

/** Load (insert or update) a campaign file in one transaction. */
export async function loadCampaignFile(
  db: Database,
  path: string,
): Promise<{ code: string; year: number; id: string; changed: boolean }> {
  const campaign = parseCampaignFile(await readDataFile(path), path);
  const result = await db.transaction().execute(async (trx) => {
    const r = await upsertCampaign(trx, campaign);
    // New deadlines, extensions or holidays decide the forms already received again.
    const row = r.changed ? await getCampaign(trx, r.id) : undefined;
    if (row) await remarkLateness(trx, row);
    return r;
  });
  return { code: campaign.code, year: campaign.year, ...result };
}
