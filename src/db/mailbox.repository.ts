import { sql } from 'kysely';
import type { Db } from './database.js';

export async function getMailboxState(db: Db, mailbox: string) {
  return db.selectFrom('mailbox_state').selectAll().where('mailbox', '=', mailbox).executeTakeFirst();
}

/** Start (or restart, after UIDVALIDITY changed) the record of a mailbox: nothing seen yet. */
export async function resetMailboxState(db: Db, mailbox: string, uidvalidity: string): Promise<void> {
  await db
    .insertInto('mailbox_state')
    .values({ mailbox, uidvalidity, last_seen_uid: '0' })
    .onConflict((oc) =>
      oc.column('mailbox').doUpdateSet({ uidvalidity, last_seen_uid: '0', updated_at: sql`now()` }),
    )
    .execute();
}

/** Every UID up to this one is handled (stored and queued, or set aside). UIDs only grow, so never go back. */
export async function advanceLastSeen(
  db: Db,
  mailbox: string,
  uidvalidity: string,
  uid: number,
): Promise<void> {
  await db
    .updateTable('mailbox_state')
    .set({ last_seen_uid: sql`greatest(last_seen_uid, ${uid})`, updated_at: sql`now()` })
    .where('mailbox', '=', mailbox)
    .where('uidvalidity', '=', uidvalidity)
    .execute();
}

/** The poller's heartbeat: a pass over the mailbox finished now. */
export async function recordPoll(db: Db, mailbox: string, pollerId: string): Promise<void> {
  await db
    .updateTable('mailbox_state')
    .set({ last_poll_at: sql`now()`, poller_id: pollerId })
    .where('mailbox', '=', mailbox)
    .execute();
}

/** Count a failed attempt at an IMAP message; returns the attempts so far. */
export async function recordImapFailure(
  db: Db,
  key: { mailbox: string; uidvalidity: string; uid: number },
  error: string,
): Promise<number> {
  const row = await db
    .insertInto('imap_failures')
    .values({
      mailbox: key.mailbox,
      uidvalidity: key.uidvalidity,
      uid: String(key.uid),
      attempts: 1,
      last_error: error,
    })
    .onConflict((oc) =>
      oc.columns(['mailbox', 'uidvalidity', 'uid']).doUpdateSet((eb) => ({
        attempts: eb('imap_failures.attempts', '+', 1),
        last_error: error,
        updated_at: sql`now()`,
      })),
    )
    .returning('attempts')
    .executeTakeFirstOrThrow();
  return row.attempts;
}

export async function markImapSetAside(
  db: Db,
  key: { mailbox: string; uidvalidity: string; uid: number },
): Promise<void> {
  await db
    .updateTable('imap_failures')
    .set({ set_aside_at: sql`now()` })
    .where('mailbox', '=', key.mailbox)
    .where('uidvalidity', '=', key.uidvalidity)
    .where('uid', '=', String(key.uid))
    .execute();
}
