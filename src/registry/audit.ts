import { auditEntries, insertAudit } from '../db/audit.repository.js';
import type { Db } from '../db/database.js';
import { OperationRefused } from '../errors.js';

/** Who asked for a change: a staff member or operator by name, and through which door. */
export interface Actor {
  name: string;
  via: 'cli' | 'console' | 'job';
}

/** The actor of a CLI command: `--by NAME`, else the operating-system user. */
export function cliActor(by: string | undefined, osUser: string): Actor {
  const name = (by ?? osUser).trim();
  if (!name) throw new OperationRefused('invalid_input', 'say who you are with --by NAME');
  return { name, via: 'cli' };
}

/**
 * Keep a trace of a person's change, in the operation's own transaction: who, what, to which subject, the
 * state before and after, and their note. Nothing a person does is kept only in a log file.
 */
export async function recordAudit(
  trx: Db,
  by: Actor,
  entry: {
    action: string;
    subject: [type: string, id: string];
    before?: unknown;
    after?: unknown;
    note?: string | null;
  },
): Promise<void> {
  await insertAudit(trx, {
    actor: by.name,
    via: by.via,
    action: entry.action,
    subject_type: entry.subject[0],
    subject_id: entry.subject[1],
    before: entry.before ?? null,
    after: entry.after ?? null,
    note: entry.note ?? null,
  });
}

/** The history of changes to one subject, or of all, newest first. */
export async function history(db: Db, subject?: { type: string; id: string }, limit = 200) {
  return auditEntries(db, subject, limit);
}
