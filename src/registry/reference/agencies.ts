import { listAgencies } from '../../db/agency.repository.js';
import type { Db } from '../../db/database.js';
import { addressesToCheck } from '../intake/bounces.js';

/** The agency registry with each agency's addresses, and those of them mail came back from. */
export async function agencyRegistry(db: Db) {
  const rows = await listAgencies(db);
  const { bounced } = await addressesToCheck(db);
  return rows.map((r) => ({
    ...r,
    bounced: bounced
      .filter((b) => b.agencyCode === r.code)
      .map((b) => ({ email: b.email, bouncedAt: b.bouncedAt, status: b.status, reason: b.reason })),
  }));
}
