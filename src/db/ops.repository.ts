import { sql } from 'kysely';
import type { Db } from './database.js';
import { PENDING_MAIL } from './outbox.repository.js';

export async function databaseAnswers(db: Db): Promise<boolean> {
  await sql`select 1`.execute(db);
  return true;
}

/** The most recent finished pass of any poller (the heartbeat), and the mailbox it was on. */
export async function lastPoll(db: Db): Promise<Date | null> {
  const r = await db
    .selectFrom('mailbox_state')
    .select(sql<Date | null>`max(last_poll_at)`.as('at'))
    .executeTakeFirst();
  return r?.at ?? null;
}

export async function outboxBacklog(db: Db): Promise<{ unsent: number; oldest: Date | null }> {
  const r = await db
    .selectFrom('outbox')
    .select([sql<number>`count(*)::int`.as('unsent'), sql<Date | null>`min(created_at)`.as('oldest')])
    .where('status', '=', PENDING_MAIL)
    .executeTakeFirstOrThrow();
  return r;
}

/** Attachments by terminal state and reason (rejections by their code). */
export async function attachmentOutcomes(db: Db) {
  return db
    .selectFrom('attachments')
    .select(['state', 'reason_code', sql<number>`count(*)::int`.as('n')])
    .groupBy(['state', 'reason_code'])
    .execute();
}

/** Counts of what the inbox received and what became of it. */
export async function pipelineCounts(db: Db) {
  const row = await db
    .selectFrom('messages')
    .select([
      sql<number>`count(*)::int`.as('messages'),
      sql<number>`count(*) filter (where state = 'received')::int`.as('in_progress'),
      sql<number>`count(*) filter (where state = 'needs_review')::int`.as('needs_review'),
      sql<number>`count(*) filter (where state = 'rejected')::int`.as('rejected_messages'),
      sql<number>`count(*) filter (where is_automatic)::int`.as('automatic'),
    ])
    .executeTakeFirstOrThrow();
  const att = await db
    .selectFrom('attachments')
    .select([
      sql<number>`count(*)::int`.as('attachments'),
      sql<number>`count(*) filter (where state = 'pending')::int`.as('pending'),
      sql<number>`count(*) filter (where state = 'parsed' and parsed_kind in ('registration', 'results_report'))::int`.as(
        'forms',
      ),
      sql<number>`count(*) filter (where state = 'parsed' and parsed_kind = 'not_a_form')::int`.as(
        'not_forms',
      ),
      sql<number>`count(*) filter (where state = 'rejected')::int`.as('rejected'),
      sql<number>`count(*) filter (where state = 'failed')::int`.as('failed'),
    ])
    .executeTakeFirstOrThrow();
  const out = await db
    .selectFrom('outbox')
    .select([
      sql<number>`count(*) filter (where status = 'sent')::int`.as('sent'),
      sql<number>`count(*) filter (where status = 'pending')::int`.as('unsent'),
      sql<number>`count(*) filter (where status = 'failed')::int`.as('failed'),
    ])
    .executeTakeFirstOrThrow();
  return { ...row, ...att, outbox: out };
}
