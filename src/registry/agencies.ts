import { listAgencies } from '../db/agency.repository.js';
import type { Db } from '../db/database.js';

/** The agency registry with each agency's addresses. */
export async function agencyRegistry(db: Db) {
  return listAgencies(db);
}
