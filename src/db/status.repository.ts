import { sql } from 'kysely';
import type { Db } from './database.js';

/** Per agency of the registry: active initiatives registered in the campaign, those with a result, last submission. */
export async function campaignProgress(db: Db, campaignId: string) {
  return db
    .selectFrom('agencies')
    .leftJoin('initiatives', (j) =>
      j
        .onRef('initiatives.agency_id', '=', 'agencies.id')
        .on('initiatives.campaign_id', '=', campaignId)
        .on('initiatives.status', '=', 'active'),
    )
    .select([
      'agencies.id',
      'agencies.code',
      'agencies.name',
      'agencies.kind',
      'agencies.registry_quota',
      sql<number>`count(distinct initiatives.id)::int`.as('registered'),
      sql<number>`count(distinct initiatives.id) filter (where exists (
        select 1 from initiative_results r where r.initiative_id = initiatives.id))::int`.as('reported'),
      sql<Date | null>`(select max(s.received_at) from submissions s
        where s.agency_id = agencies.id and s.campaign_id = ${campaignId} and s.status <> 'duplicate')`.as(
        'last_submission_at',
      ),
    ])
    .where('agencies.active', '=', true)
    .groupBy('agencies.id')
    .orderBy('agencies.kind')
    .orderBy('agencies.code')
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
