import type { Database } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrator.js';
import { importAgencyRegistry, loadCampaignFile } from './registry-files.js';

/** Migrate, then load a campaign file and an agency registry: a working registry from nothing. */
export async function seedRegistry(db: Database, files: { campaign: string; registry: string }) {
  const applied = await migrateToLatest(db);
  const campaign = await loadCampaignFile(db, files.campaign);
  const registry = await importAgencyRegistry(db, files.registry);
  return { applied, campaign, registry };
}
