import { type Insertable, sql, type Transaction } from 'kysely';
import type { Database, Db } from './database.js';
import { type MessageSettlement, settleMessage, settlementUpdate } from './message.repository.js';
import { reusableQuery } from './reusable-query.js';
import type { DB, Outbox } from './schema.js';

export interface OutboxFile {
  filename: string;
  contentType: string;
  bytes: Buffer;
}

/** Caps on a mail: each counts the mails of its kind since `since`, and the mail is added only below `max`. */
export interface OutboxCaps {
  /** Mails to one recipient key (`outbox.recipient_key`: the address without its `+tag`). */
  recipient: { key: string; since: Date; max: number };
  /** Mails to one recipient domain (`outbox.recipient_domain`). */
  domain?: { name: string; since: Date; max: number };
  /** Mails to addresses outside the registry (no agency), all together. */
  outsideRegistry?: { since: Date; max: number };
}

/**
 * Put a mail in the outbox once: a second call with the same dedupe key returns the first row. With `caps`, the
 * mail is only added while each cap has room, and it is recorded under the recipient key and domain it was counted
 * for — checked and added under locks on the key, the domain and the whole (always taken in that order), so
 * concurrent workers cannot both slip under a cap. With `settles`, the message the mail answers is settled in the
 * same transaction (with the first lock, in one round trip); over a cap, it is settled with `rate_limited` as the
 * reason it gets no answer.
 */
export async function enqueueOutbox(
  db: Database,
  mail: Insertable<Outbox>,
  files: readonly OutboxFile[] = [],
  caps?: OutboxCaps,
  settles?: MessageSettlement,
): Promise<{ id: string; created: boolean } | { limited: true }> {
  // A cap per address alone (a registry sender's, so nearly every answer): one statement, no transaction.
  if (caps && !caps.domain && !caps.outsideRegistry)
    return addUnderRecipientCap(db, mail, files, caps.recipient, settles);
  return db.transaction().execute(async (trx) => {
    const limited = async (): Promise<{ limited: true }> => {
      if (settles) await settleMessage(trx, { ...settles, state: null, noReplyReason: 'rate_limited' });
      return { limited: true };
    };
    let row = mail;
    if (caps) {
      const { recipient, domain } = caps;
      // The address's lock and its room, as for an answer under its cap alone; the message settled with them.
      const seen = await recipientRoom(trx, mail, recipient, settles);
      if (seen.existing) return { id: seen.existing, created: false };
      if (seen.recent >= recipient.max) return limited();
      row = { ...mail, recipient_key: recipient.key, recipient_domain: domain?.name ?? null };
      if (domain) {
        await sql`select pg_advisory_xact_lock(hashtext(${`outbox-domain:${domain.name}`}))`.execute(trx);
        const r = await trx
          .selectFrom('outbox')
          .select((e) => e.fn.countAll<string>().as('n'))
          .where('kind', '=', mail.kind)
          .where('recipient_domain', '=', domain.name)
          .where('created_at', '>=', domain.since)
          .executeTakeFirstOrThrow();
        if (Number(r.n) >= domain.max) return limited();
      }
    }
    if (!caps && settles) await settleMessage(trx, settles);
    const global = caps?.outsideRegistry;
    if (global) {
      // Mail to addresses outside the registry, all together: many strangers must not mean unlimited mail.
      await sql`select pg_advisory_xact_lock(hashtext('outbox:outside-registry'))`.execute(trx);
      const r = await trx
        .selectFrom('outbox')
        .select((e) => e.fn.countAll<string>().as('n'))
        .where('kind', '=', mail.kind)
        .where('agency_id', 'is', null)
        .where('created_at', '>=', global.since)
        .executeTakeFirstOrThrow();
      if (Number(r.n) >= global.max) return limited();
    }
    return addToOutbox(trx, row, files);
  });
}

/**
 * Put a mail in the outbox once, inside the caller's transaction (with what else it records): a second call
 * with the same dedupe key returns the first row.
 */
export async function addToOutbox(
  trx: Transaction<DB>,
  mail: Insertable<Outbox>,
  files: readonly OutboxFile[] = [],
): Promise<{ id: string; created: boolean }> {
  const inserted = await trx
    .insertInto('outbox')
    .values(mail)
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return { id: await outboxIdByKey(trx, mail.dedupe_key), created: false };
  await addFiles(trx, inserted.id, files);
  return { id: inserted.id, created: true };
}

async function outboxIdByKey(trx: Transaction<DB>, dedupeKey: string): Promise<string> {
  const existing = await trx
    .selectFrom('outbox')
    .select('id')
    .where('dedupe_key', '=', dedupeKey)
    .executeTakeFirstOrThrow();
  return existing.id;
}

async function addFiles(trx: Transaction<DB>, outboxId: string, files: readonly OutboxFile[]): Promise<void> {
  for (const f of files) {
    await trx
      .insertInto('outbox_attachments')
      .values({ outbox_id: outboxId, filename: f.filename, content_type: f.contentType, bytes: f.bytes })
      .execute();
  }
}

/**
 * Hold the outbox keys starting with `prefix` for this transaction: requests for the same mail run one at a
 * time.
 */
export async function lockOutboxKeys(db: Db, prefix: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`outbox-key:${prefix}`}))`.execute(db);
}

/** The mails whose dedupe key starts with `prefix` (letters, digits and dashes only), newest first. */
export async function outboxByKeyPrefix(db: Db, prefix: string) {
  if (!/^[a-z0-9-]+$/i.test(prefix)) throw new Error(`not a dedupe key prefix: ${prefix}`);
  return db
    .selectFrom('outbox')
    .select(['id', 'dedupe_key', 'to_addresses', 'status', 'created_at'])
    .where('dedupe_key', 'like', `${prefix}%`)
    .orderBy('id', 'desc')
    .execute();
}

/**
 * The mails due for sending (pending, their next attempt's time come), oldest due first, at most `limit`, each
 * claimed for sending on this connection where `claimed` (most have no files: `has_files` spares them a second
 * query). The claim is a session advisory lock on the mail, held until `markOutboxSentAndRelease`,
 * `markOutboxAttemptAndRelease` or `releaseAllClaims`, or until the connection ends: a sender that dies lets go at
 * once. A mail another sender holds comes back unclaimed and is left to it. The rows are locked for the statement and skipped when another
 * transaction is writing them (`for update skip locked`), so a mail another sender has just recorded sent is seen
 * sent, not claimed again. `skip`: mails found held by another sender earlier in the same pass.
 */
export async function claimDueOutbox(conn: Db, limit: number, skip: readonly string[] = []) {
  return claimDueQuery(conn, { limit, skip: [...skip] });
}
/** Let go of every claim this connection holds (after a failure left one it could not let go of). */
export async function releaseAllClaims(conn: Db): Promise<void> {
  await sql`select pg_advisory_unlock_all()`.execute(conn);
}
/**
 * The pending status as a literal, not a value, in every statement that looks for pending mail: statements are
 * prepared, and PostgreSQL's generic plan for one can use the indexes of pending mail (`outbox_due`,
 * `outbox_pending`: `where status = 'pending'`) only when the query says 'pending' itself. With a parameter, the
 * claim read the whole outbox, sent mail and all, on every pass (test/integration/partial-indexes.test.ts).
 */
export const PENDING_MAIL = sql.lit('pending' as const);

const claimDueQuery = reusableQuery((db, p: { limit: number; skip: string[] }) =>
  db
    .with(
      (w) => w('due').materialized(),
      (q) =>
        q
          .selectFrom('outbox')
          .select('id')
          .where('status', '=', PENDING_MAIL)
          .where('next_attempt_at', '<=', sql<Date>`now()`)
          // Mails another sender was found holding in this pass: the next ones are looked at instead.
          .where(sql<boolean>`id <> all(${p.skip}::bigint[])`)
          .orderBy('next_attempt_at')
          .orderBy('id')
          .limit(p.limit)
          .forUpdate()
          .skipLocked(),
    )
    .selectFrom('due')
    .innerJoin('outbox', 'outbox.id', 'due.id')
    .selectAll('outbox')
    .select((eb) => [
      eb
        .exists(
          eb.selectFrom('outbox_attachments as f').select('f.id').whereRef('f.outbox_id', '=', 'outbox.id'),
        )
        .as('has_files'),
      // In the select list, not the WHERE: evaluated once for each mail returned, never for one left out.
      sql<boolean>`pg_try_advisory_lock(hashtext('outbox-send:' || outbox.id))`.as('claimed'),
    ])
    .orderBy('outbox.next_attempt_at')
    .orderBy('outbox.id'),
);

export type DueMail = Awaited<ReturnType<typeof claimDueOutbox>>[number];

/** When the next pending mail is due (null: none is pending). */
export async function nextOutboxDue(db: Db): Promise<Date | null> {
  const r = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.min('next_attempt_at').as('due'))
    .where('status', '=', PENDING_MAIL)
    .executeTakeFirst();
  return r?.due ? new Date(r.due) : null;
}

export async function outboxFiles(db: Db, id: string): Promise<OutboxFile[]> {
  const rows = await db
    .selectFrom('outbox_attachments')
    .select(['filename', 'content_type', 'bytes'])
    .where('outbox_id', '=', id)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ filename: r.filename, contentType: r.content_type, bytes: r.bytes }));
}

/** Record a claimed mail as sent and let go of the claim, in one statement. */
export async function markOutboxSentAndRelease(
  conn: Db,
  id: string,
  smtpMessageId: string | null,
): Promise<void> {
  await markSentQuery(conn, { id, smtpMessageId });
}
const markSentQuery = reusableQuery((db, p: { id: string; smtpMessageId: string | null }) =>
  db
    .with('sent', (w) =>
      w
        .updateTable('outbox')
        .set({ status: 'sent', sent_at: sql`now()`, smtp_message_id: p.smtpMessageId, last_error: null })
        .where('id', '=', p.id)
        .returning('id'),
    )
    .selectFrom('sent')
    .select(sql<boolean>`pg_advisory_unlock(hashtext('outbox-send:' || sent.id))`.as('released')),
);

/**
 * Count a failed attempt at a mail and let go of its claim, in one statement: tried again from `retryAt`, or
 * failed for good when that is null.
 */
export async function markOutboxAttemptAndRelease(
  conn: Db,
  id: string,
  error: string,
  retryAt: Date | null,
): Promise<void> {
  await conn
    .with('tried', (w) =>
      w
        .updateTable('outbox')
        .set((eb) => ({
          attempts: eb('attempts', '+', 1),
          last_error: error,
          status: retryAt ? 'pending' : 'failed',
          ...(retryAt ? { next_attempt_at: retryAt } : {}),
        }))
        .where('id', '=', id)
        .where('status', '<>', 'sent')
        .returning('id'),
    )
    // Let go from a row of the update's own, so the update is made first: a sender that finds the claim free then
    // finds the row locked until this commits, and after that put off (not due) or failed.
    .selectFrom(sql<{ n: string }>`(select count(*) as n from tried)`.as('t'))
    .select(sql<boolean>`pg_advisory_unlock(hashtext(${`outbox-send:${id}`}))`.as('released'))
    .execute();
}

/**
 * A mail under a cap per recipient alone, by one statement: `outbox_recipient_room` takes the recipient's lock
 * (the same as `enqueueOutbox`'s other paths) and then finds the mail if it is already there and counts the
 * recipient's mails since `since` on a snapshot taken after the lock; the mail and its files are added only below
 * the cap, and the message it answers is settled with it (over the cap, with `rate_limited`). The statement's
 * commit tells the mailers.
 */
async function addUnderRecipientCap(
  db: Database,
  mail: Insertable<Outbox>,
  files: readonly OutboxFile[],
  recipient: OutboxCaps['recipient'],
  settles: MessageSettlement | undefined,
): Promise<{ id: string; created: boolean } | { limited: true }> {
  const [r] = await recipientCapQuery(db, {
    lock: `outbox:${recipient.key}`,
    kind: mail.kind,
    dedupeKey: mail.dedupe_key,
    to: [...mail.to_addresses],
    cc: [...(mail.cc_addresses ?? [])],
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    headers: typeof mail.headers === 'string' ? mail.headers : JSON.stringify(mail.headers ?? {}),
    messageId: mail.message_id ?? null,
    agencyId: mail.agency_id ?? null,
    campaignId: mail.campaign_id ?? null,
    key: recipient.key,
    since: recipient.since,
    max: recipient.max,
    files: JSON.stringify(
      files.map((f) => ({
        filename: f.filename,
        content_type: f.contentType,
        bytes: f.bytes.toString('base64'),
      })),
    ),
    ...settlementValues(settles),
  });
  if (r?.added) return { id: r.added, created: true };
  if (r?.existing) return { id: r.existing, created: false };
  if (Number(r?.recent ?? 0) >= recipient.max) return { limited: true };
  // Added by another worker between this statement's start and its insert: that row is the mail.
  const existing = await db
    .selectFrom('outbox')
    .select('id')
    .where('dedupe_key', '=', mail.dedupe_key)
    .executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}
const recipientCapQuery = reusableQuery(
  (
    db,
    p: {
      lock: string;
      kind: string;
      dedupeKey: string;
      to: string[];
      cc: string[];
      subject: string;
      html: string;
      text: string;
      headers: string;
      messageId: string | number | bigint | null;
      agencyId: string | number | bigint | null;
      campaignId: string | number | bigint | null;
      key: string;
      since: Date;
      max: number;
      files: string;
    } & SettlementValues,
  ) => ({
    compile: () =>
      sql<{ added: string | null; existing: string | null; recent: string }>`
        with room as materialized (
          select recent, existing from ${roomOf(p)}
        ),
        added as (
          insert into outbox (kind, dedupe_key, to_addresses, cc_addresses, subject, html, text, headers,
            message_id, agency_id, campaign_id, recipient_key, recipient_domain)
          select ${p.kind}::text, ${p.dedupeKey}::text, ${p.to}::text[], ${p.cc}::text[], ${p.subject}::text,
            ${p.html}::text, ${p.text}::text, ${p.headers}::jsonb, ${p.messageId}::bigint, ${p.agencyId}::bigint,
            ${p.campaignId}::bigint, ${p.key}::text, null
          from room where room.existing is null and room.recent < ${p.max}::int
          on conflict (dedupe_key) do nothing
          returning id
        ),
        files as (
          insert into outbox_attachments (outbox_id, filename, content_type, bytes)
          select added.id, f.filename, f.content_type, decode(f.bytes, 'base64')
          from added, jsonb_to_recordset(${p.files}::jsonb) as f(filename text, content_type text, bytes text)
        ),
        settled as (${settlementUpdate(
          settlementOf(p),
          sql<string | null>`(case when (select existing is null and recent >= ${p.max}::int from room)
            then 'rate_limited' else ${p.settleReason}::text end)`,
        )})
        select (select id from added) as added, existing, recent from room`.compile(db),
  }),
);

/**
 * In a transaction: the address's lock (`outbox_recipient_room`, as `addUnderRecipientCap` takes it), then this mail
 * if it is already in the outbox and how many of its kind went to the address since a moment, seen after the lock;
 * the message the mail answers settled by the same statement.
 */
async function recipientRoom(
  trx: Transaction<DB>,
  mail: Insertable<Outbox>,
  recipient: { key: string; since: Date },
  settles: MessageSettlement | undefined,
): Promise<{ existing: string | null; recent: number }> {
  const [r] = await recipientRoomQuery(trx, {
    lock: `outbox:${recipient.key}`,
    dedupeKey: mail.dedupe_key,
    kind: mail.kind,
    key: recipient.key,
    since: recipient.since,
    ...settlementValues(settles),
  });
  return { existing: r?.existing ?? null, recent: Number(r?.recent ?? 0) };
}
const recipientRoomQuery = reusableQuery(
  (
    db,
    p: { lock: string; dedupeKey: string; kind: string; key: string; since: Date } & SettlementValues,
  ) => ({
    compile: () =>
      sql<{ existing: string | null; recent: string }>`
        with settled as (${settlementUpdate(settlementOf(p))})
        select recent, existing from ${roomOf(p)}`.compile(db),
  }),
);

/** The recipient's lock and room (`outbox_recipient_room`), for a statement to select from. */
const roomOf = (p: { lock: string; kind: string; key: string; since: Date; dedupeKey: string }) =>
  sql`outbox_recipient_room(${p.lock}::text, ${p.kind}::text, ${p.key}::text, ${p.since}::timestamptz, ${p.dedupeKey}::text)`;

/** A settlement as a reusable query's values (a message id of null settles nothing). */
type SettlementValues = {
  settleId: string | null;
  settleState: string | null;
  settleReasons: string[];
  settleReason: string | null;
};
const settlementValues = (settles: MessageSettlement | undefined): SettlementValues => ({
  settleId: settles?.messageId ?? null,
  settleState: settles?.state ?? null,
  settleReasons: settles?.reviewReasons ?? [],
  settleReason: settles?.noReplyReason ?? null,
});
/** The settlement a reusable query's stand-ins make. */
const settlementOf = (p: SettlementValues): MessageSettlement => ({
  messageId: p.settleId as string,
  state: p.settleState as MessageSettlement['state'],
  reviewReasons: p.settleReasons,
  noReplyReason: p.settleReason,
});

/** When the last digest was put in the outbox (the start of "what is new"). */
export async function lastDigestAt(db: Db): Promise<Date | null> {
  const r = await db
    .selectFrom('outbox')
    .select(sql<Date | null>`max(created_at)`.as('at'))
    .where('kind', '=', 'digest')
    .executeTakeFirst();
  return r?.at ?? null;
}

/** Outbox dedupe keys already used, among the given ones. */
export async function usedDedupeKeys(db: Db, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.selectFrom('outbox').select('dedupe_key').where('dedupe_key', 'in', keys).execute();
  return new Set(rows.map((r) => r.dedupe_key));
}

/**
 * Give every mail that failed for good another attempt, now (an operator's request, once the cause is mended),
 * and tell the mailers; returns how many. A mail that fails again is failed again at once: its attempts are kept.
 */
export async function makeFailedMailDue(db: Db): Promise<number> {
  const r = await sql<{ n: string }>`
    with retried as (
      update outbox set status = 'pending', next_attempt_at = now() where status = 'failed' returning id
    )
    select count(*) as n, pg_notify('outbox_added', '') from retried`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}
