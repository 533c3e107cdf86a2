import type { Db } from './database.js';

export interface AuditEntry {
  actor: string;
  via: 'cli' | 'console' | 'job';
  action: string;
  subject_type: string;
  subject_id: string;
  before: unknown;
  after: unknown;
  note: string | null;
}

export async function insertAudit(db: Db, e: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      ...e,
      before: e.before === undefined ? null : JSON.stringify(e.before),
      after: e.after === undefined ? null : JSON.stringify(e.after),
    })
    .execute();
}

/** The history of one subject (or of everything), newest first. */
export async function auditEntries(db: Db, subject?: { type: string; id: string }, limit = 200) {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .$if(subject !== undefined, (q) =>
      q.where('subject_type', '=', subject?.type ?? '').where('subject_id', '=', subject?.id ?? ''),
    )
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** The entries of one action on one subject, newest first (a person's earlier requests of the same thing). */
export async function auditOf(db: Db, action: string, subject: { type: string; id: string }) {
  return db
    .selectFrom('audit_log')
    .select(['id', 'at', 'actor', 'after'])
    .where('action', '=', action)
    .where('subject_type', '=', subject.type)
    .where('subject_id', '=', subject.id)
    .orderBy('id', 'desc')
    .execute();
}
