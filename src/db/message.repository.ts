import { type Insertable, type InsertObject, type RawBuilder, sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { INITIATIVE_COLUMNS } from '../domain/initiative-fields.js';
import type { MessageState } from '../domain/kinds.js';
import type { Database, Db } from './database.js';
import { reusableQuery, reusableQueryByShape } from './reusable-query.js';
import type { Attachments, DB, Messages } from './schema.js';

export type NewMessage = Insertable<Messages>;
export type NewAttachment = Omit<Insertable<Attachments>, 'message_id'>;

// Attachment rows per INSERT: 9 bind parameters each keeps a statement far below PostgreSQL's 65,535.
const ROWS_PER_INSERT = 500;

/**
 * Store a message and its attachments together or not at all: in one statement (a transaction only when there
 * are more than ROWS_PER_INSERT files). Keyed by (mailbox, uidvalidity, uid), by Message-ID, and by the raw
 * bytes' hash when there is no Message-ID: storing the same mail again (a re-read after a crash, a second
 * delivery, a rescan after UIDVALIDITY changed) adds nothing and returns the first. `parseIds` are the files
 * stored `pending`, in MIME order: the ones to queue for parsing.
 */
export async function storeMessage(
  db: Database,
  message: NewMessage,
  attachments: readonly NewAttachment[],
  sender?: SenderLookup,
): Promise<StoredMessage> {
  if (attachments.length > ROWS_PER_INSERT) {
    return db.transaction().execute(async (trx) => {
      const first = await insertMessageWith(trx, message, attachments.slice(0, ROWS_PER_INSERT), sender);
      if (!first) return storedBefore(trx, message);
      for (let i = ROWS_PER_INSERT; i < attachments.length; i += ROWS_PER_INSERT) {
        const chunk = attachments.slice(i, i + ROWS_PER_INSERT);
        first.rows.push(...(await insertAttachments(trx, first.messageId, chunk)));
      }
      return stored(first);
    });
  }
  const inserted = await insertMessageWith(db, message, attachments, sender);
  return inserted ? stored(inserted) : storedBefore(db, message);
}

export interface StoredMessage {
  id: string;
  created: boolean;
  attachmentIds: string[];
  parseIds: string[];
  /** The message's agency (its sender's, from the registry's addresses) and review reasons, as stored. */
  agencyId: string | null;
  reviewReasons: string[];
}

/**
 * The sender's address, to be found among the registry's addresses by the statement that stores the message (one
 * round trip fewer than looking first): the agency is the address's, and the review reasons are the first list
 * when the address is the registry's, the second when it is not.
 */
export interface SenderLookup {
  address: string;
  reviewIfListed: readonly string[];
  reviewIfNot: readonly string[];
}

// The row with its agency and reasons as expressions the insert evaluates.
function withSender(
  message: InsertObject<DB, 'messages'>,
  sender: { email: unknown; reviewIfListed: unknown; reviewIfNot: unknown },
): InsertObject<DB, 'messages'> {
  const listed = sql`exists (select 1 from agency_addresses where email = ${sender.email})`;
  return {
    ...message,
    agency_id: sql<string | null>`(select agency_id from agency_addresses where email = ${sender.email})`,
    review_reasons: sql<
      string[]
    >`case when ${listed} then ${sender.reviewIfListed}::text[] else ${sender.reviewIfNot}::text[] end`,
  };
}

type StoredRow = { id: string; state: string };
type Inserted = { messageId: string; agencyId: string | null; reviewReasons: string[]; rows: StoredRow[] };

function stored({ messageId, agencyId, reviewReasons, rows }: Inserted): StoredMessage {
  return {
    id: messageId,
    created: true,
    attachmentIds: rows.map((r) => r.id),
    parseIds: rows.filter((r) => r.state === 'pending').map((r) => r.id),
    agencyId,
    reviewReasons,
  };
}

async function storedBefore(db: Db, message: NewMessage): Promise<StoredMessage> {
  const existing = await findSameMessage(db, message);
  if (!existing) throw new Error('message vanished after a conflicting insert');
  const rows = await db
    .selectFrom('attachments')
    .select(['id', 'state'])
    .where('message_id', '=', existing.id)
    .orderBy('id')
    .execute();
  return {
    id: existing.id,
    created: false,
    attachmentIds: rows.map((r) => r.id),
    parseIds: rows.filter((r) => r.state === 'pending').map((r) => r.id),
    agencyId: existing.agency_id,
    reviewReasons: existing.review_reasons,
  };
}

/**
 * The message and its first files in one statement; undefined when the message was already stored. The statement
 * is built once for each shape (the message's columns, how many files, with or without the sender's lookup) and
 * reused: building it afresh for every mail was a visible share of the poller's CPU under a flood.
 */
async function insertMessageWith(
  db: Db,
  message: NewMessage,
  attachments: readonly NewAttachment[],
  sender: SenderLookup | undefined,
): Promise<Inserted | undefined> {
  const columns = (Object.keys(message) as (keyof NewMessage)[]).filter((k) => message[k] !== undefined);
  const values: Record<string, unknown> = {};
  for (const c of columns) values[`m_${c}`] = message[c];
  if (sender) {
    values.email = sender.address.trim().toLowerCase();
    values.reviewIfListed = [...sender.reviewIfListed];
    values.reviewIfNot = [...sender.reviewIfNot];
  }
  for (const [i, a] of attachments.entries()) Object.assign(values, prefixed(i, fileRow(a)));
  const shape = `${columns.join(',')}|${attachments.length}|${sender ? 'sender' : ''}`;
  const rows = await insertMessageQuery(db, shape, values);
  const first = rows[0];
  if (!first) return undefined;
  return {
    messageId: first.message_id,
    agencyId: first.agency_id,
    reviewReasons: first.review_reasons,
    // A message without files comes back as one row with no file.
    rows: rows.flatMap((r) => (r.id === null ? [] : [{ id: r.id, state: r.state as string }])),
  };
}
const insertMessageQuery = reusableQueryByShape((db, v: Record<string, unknown>, shape) => {
  const [columns = '', count = '0', sender = ''] = shape.split('|');
  const row = Object.fromEntries(columns.split(',').map((c) => [c, v[`m_${c}`]])) as InsertObject<
    DB,
    'messages'
  >;
  // Every key is a unique index: the insert itself finds out whether the mail is already stored.
  const insertMessage = db
    .insertInto('messages')
    .values(
      sender
        ? withSender(row, { email: v.email, reviewIfListed: v.reviewIfListed, reviewIfNot: v.reviewIfNot })
        : row,
    )
    .onConflict((oc) => oc.doNothing())
    .returning(['id', 'agency_id', 'review_reasons']);
  const files = Array.from({ length: Number(count) }, (_, i) => fileValues(i, v));
  if (files.length === 0)
    return db
      .with('m', () => insertMessage)
      .selectFrom('m')
      .select([
        sql<string | null>`null::bigint`.as('id'),
        'm.id as message_id',
        sql<string | null>`null::text`.as('state'),
        'm.agency_id',
        'm.review_reasons',
      ]);
  // The first file of a new message is always inserted, so no row back means the message was there.
  return db
    .with('m', () => insertMessage)
    .insertInto('attachments')
    .columns(ATTACHMENT_COLUMNS)
    .expression(
      sql`select m.id, f.* from m cross join (values ${sql.join(files)}) as f(part, filename, content_type, size, sha256, bytes, nested, state, reason_code)`,
    )
    .onConflict((oc) => oc.columns(['message_id', 'sha256']).doNothing())
    .returning(['id', 'message_id', 'state'])
    .returning([
      sql<string | null>`(select agency_id from m)`.as('agency_id'),
      sql<string[]>`(select review_reasons from m)`.as('review_reasons'),
    ]);
});

async function insertAttachments(
  db: Db,
  messageId: string,
  attachments: readonly NewAttachment[],
): Promise<StoredRow[]> {
  return db
    .insertInto('attachments')
    .columns(ATTACHMENT_COLUMNS)
    .expression(
      sql`select ${messageId}::bigint, f.* from (values ${sql.join(
        attachments.map((a, i) => fileValues(i, prefixed(i, fileRow(a)))),
      )}) as f(part, filename, content_type, size, sha256, bytes, nested, state, reason_code)`,
    )
    .onConflict((oc) => oc.columns(['message_id', 'sha256']).doNothing())
    .returning(['id', 'state'])
    .execute();
}

const ATTACHMENT_COLUMNS = [
  'message_id',
  'part',
  'filename',
  'content_type',
  'size',
  'sha256',
  'bytes',
  'nested',
  'state',
  'reason_code',
] as const;

/** A file's values, its defaults filled in. */
const fileRow = (a: NewAttachment) => ({
  part: a.part,
  filename: a.filename,
  content_type: a.content_type,
  size: a.size,
  sha256: a.sha256,
  bytes: a.bytes,
  nested: a.nested ?? false,
  state: a.state ?? 'pending',
  reason_code: a.reason_code ?? null,
});

const prefixed = (i: number, row: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(row).map(([k, value]) => [`f${i}_${k}`, value]));

/** The `i`th file's row of values, from `v` (`f<i>_<column>`). */
const fileValues = (i: number, v: Record<string, unknown>) => {
  const f = (k: string) => v[`f${i}_${k}`];
  return sql`(${f('part')}::text, ${f('filename')}::text, ${f('content_type')}::text, ${f('size')}::integer, ${f('sha256')}::text, ${f('bytes')}::bytea, ${f('nested')}::boolean, ${f('state')}::text, ${f('reason_code')}::text)`;
};

async function findSameMessage(db: Db, m: NewMessage) {
  return db
    .selectFrom('messages')
    .select(['id', 'agency_id', 'review_reasons'])
    .where((eb) =>
      eb.or([
        eb.and([
          eb('mailbox', '=', m.mailbox),
          eb('uidvalidity', '=', String(m.uidvalidity)),
          eb('uid', '=', String(m.uid)),
        ]),
        m.message_id
          ? eb('message_id', '=', m.message_id)
          : eb.and([eb('message_id', 'is', null), eb('raw_sha256', '=', m.raw_sha256)]),
      ]),
    )
    .orderBy('id')
    .executeTakeFirst();
}

/** Attachment ids of a message, in MIME order. */
export async function attachmentIdsOf(db: Db, messageId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('attachments')
    .select('id')
    .where('message_id', '=', messageId)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/**
 * A message with what its answer reports, in one statement: its own columns, and its attachments in MIME order,
 * each with the submission made from it (or null) and that submission's initiatives or results. Undefined when
 * the message is gone.
 */
export async function messageWithFiles(db: Db, id: string) {
  const rows = await messageWithFilesQuery(db, { id });
  const first = rows[0];
  if (!first) return undefined;
  const message = {
    id: first.m_id,
    message_id: first.m_message_id,
    from_address: first.m_from_address,
    reply_to: first.m_reply_to,
    subject: first.m_subject,
    received_at: first.m_received_at,
    raw_size: first.m_raw_size,
    reject_reason: first.m_reject_reason,
    is_automatic: first.m_is_automatic,
    auth_verdict: first.m_auth_verdict,
    sender_doubt: first.m_sender_doubt,
    agency_id: first.m_agency_id,
    state: first.m_state,
    review_reasons: first.m_review_reasons,
    no_reply_reason: first.m_no_reply_reason,
    references: first.m_references,
    head: first.m_head,
  };
  const files = rows.flatMap((r) => {
    const { id: fileId, part, filename, content_type, state, reason_code, warnings } = r;
    if (fileId === null || part === null || filename === null || content_type === null || state === null)
      return [];
    const s = r; // the submission's columns, when the file made one
    const submission =
      s.submission_id && s.campaign_id && s.kind && s.status && s.reference
        ? {
            id: s.submission_id,
            attachment_id: fileId,
            campaign_id: s.campaign_id,
            agency_id: s.agency_id,
            kind: s.kind,
            status: s.status,
            reference: s.reference,
            review_reasons: s.review_reasons ?? [],
            supersedes_id: s.supersedes_id,
            late: s.late ?? false,
            originalReference: s.original_reference,
            formAgencyName: s.form_agency_name,
            replaces: s.replaces_reference
              ? { reference: s.replaces_reference, receivedAt: s.replaces_received_at }
              : null,
            initiatives: s.initiatives,
            results: s.results,
          }
        : null;
    return [{ id: fileId, part, filename, content_type, state, reason_code, warnings, submission }];
  });
  return { message, files };
}
const messageWithFilesQuery = reusableQuery((db, p: { id: string }) =>
  db
    .selectFrom('messages as m')
    .leftJoin('attachments as a', 'a.message_id', 'm.id')
    .leftJoin('submissions as s', 's.attachment_id', 'a.id')
    .leftJoin('submissions as original', 'original.id', 's.duplicate_of_id')
    .leftJoin('submissions as replaced', 'replaced.id', 's.supersedes_id')
    .leftJoin('agencies as named', 'named.code', 's.form_agency_code')
    .select([
      'm.id as m_id',
      'm.message_id as m_message_id',
      'm.from_address as m_from_address',
      'm.reply_to as m_reply_to',
      'm.subject as m_subject',
      'm.received_at as m_received_at',
      'm.raw_size as m_raw_size',
      'm.reject_reason as m_reject_reason',
      'm.is_automatic as m_is_automatic',
      'm.auth_verdict as m_auth_verdict',
      'm.sender_doubt as m_sender_doubt',
      'm.agency_id as m_agency_id',
      'm.state as m_state',
      'm.review_reasons as m_review_reasons',
      'm.no_reply_reason as m_no_reply_reason',
      'm.references as m_references',
      // The header block, only needed for messages stored before the reply decision was kept (repeated on each
      // file's row: such messages are few, and have few files).
      sql<Buffer | null>`case when m.no_reply_reason is null then substring(m.raw from 1 for 65536) end`.as(
        'm_head',
      ),
      'a.id',
      'a.part',
      'a.filename',
      'a.content_type',
      'a.state',
      'a.reason_code',
      // Of what was read, only the warnings: the acknowledgement says when a file was only a scan.
      sql<string[] | null>`a.parse_result -> 'warnings'`.as('warnings'),
      's.id as submission_id',
      's.campaign_id',
      's.agency_id',
      's.kind',
      's.status',
      's.reference',
      's.review_reasons',
      's.supersedes_id',
      's.late',
      // A copy is known by the reference of the form it repeats.
      'original.reference as original_reference',
      // The agency the form names (an agency mismatch names both) and the receipt a revision replaces.
      // As the registry names it, else as the form wrote it.
      sql<string | null>`coalesce(named.name, s.form_agency_name)`.as('form_agency_name'),
      'replaced.reference as replaces_reference',
      'replaced.received_at as replaces_received_at',
    ])
    .select((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom('initiatives as i')
          .select(INITIATIVE_COLUMNS.map((c) => `i.${c}` as const))
          .whereRef('i.submission_id', '=', 's.id')
          .orderBy('i.position'),
      ).as('initiatives'),
      jsonArrayFrom(
        eb
          .selectFrom('initiative_results as r')
          .select(['r.title', 'r.status', 'r.needs_review'])
          .whereRef('r.submission_id', '=', 's.id')
          .orderBy('r.position'),
      ).as('results'),
    ])
    .where('m.id', '=', p.id)
    .orderBy('a.id'),
);

export async function setMessageState(
  db: Db,
  id: string,
  state: MessageState,
  reviewReasons: string[] = [],
): Promise<void> {
  await setMessageStateQuery(db, { id, state, reviewReasons });
}
const setMessageStateQuery = reusableQuery(
  (db, p: { id: string; state: MessageState; reviewReasons: string[] }) =>
    db
      .updateTable('messages')
      .set({ state: p.state, review_reasons: p.reviewReasons, updated_at: sql`now()` })
      .where('id', '=', p.id),
);

/** Messages stored a while ago whose work never finished (their jobs were lost with Redis, say). */
export async function stalledMessageIds(db: Db, olderThan: Date, limit = 200): Promise<string[]> {
  const rows = await db
    .selectFrom('messages')
    .select('id')
    .where('state', '=', 'received')
    .where('created_at', '<', olderThan)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Messages settled between `since` and `olderThan` that may be answered but have neither their acknowledgement
 * in the outbox nor a reason for none: their answer was lost (the process died between settling and queueing it,
 * and the job with it). Rare; the window keeps the look cheap (index messages_may_be_answered).
 */
export async function unansweredMessageIds(
  db: Db,
  since: Date,
  olderThan: Date,
  limit = 200,
): Promise<string[]> {
  const rows = await db
    .selectFrom('messages')
    .select('id')
    // A literal, not a value, for the partial index in the prepared statement's generic plan (as PENDING_MAIL in outbox.repository.ts).
    .where('state', '<>', sql.lit('received'))
    .where(sql<boolean>`coalesce(no_reply_reason, '') = ''`)
    .where('updated_at', '>=', since)
    .where('updated_at', '<', olderThan)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('outbox')
            .select('outbox.id')
            .whereRef('outbox.dedupe_key', '=', sql<string>`'ack-' || messages.id`),
        ),
      ),
    )
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Whether a message with this Message-ID is already stored. */
export async function isMessageStored(db: Db, messageId: string): Promise<boolean> {
  return (
    (await db.selectFrom('messages').select('id').where('message_id', '=', messageId).executeTakeFirst()) !==
    undefined
  );
}

/** Add a reason to a message's review reasons (once). */
export async function addMessageReviewReason(db: Db, id: string, reason: string): Promise<void> {
  await db
    .updateTable('messages')
    .set({ review_reasons: sql`array_append(review_reasons, ${reason})` })
    .where('id', '=', id)
    .where(sql<boolean>`not (${reason} = any(review_reasons))`)
    .execute();
}

/**
 * How a message is settled when it is answered or not: its state and review reasons (null leaves them: a mail
 * refused as a whole stays `rejected`), and why it gets no answer (null when it gets one; an earlier reason stays).
 * Written in the same transaction as the answer (`enqueueOutbox`) or alone with the reason, so no message is ever
 * settled without its answer or the reason it has none.
 */
export interface MessageSettlement {
  messageId: string;
  state: MessageState | null;
  reviewReasons: string[];
  noReplyReason: string | null;
}

type SettleValues = { id: string; state: string | null; reasons: string[]; reason: string | null };
const SETTLE = (
  p: Omit<SettleValues, 'reason'> & { reason: string | null | RawBuilder<string | null> },
) => sql`
  update messages set
    state = coalesce(${p.state}::text, state),
    review_reasons = case when ${p.state}::text is null then review_reasons else ${p.reasons}::text[] end,
    updated_at = case when ${p.state}::text is null then updated_at else now() end,
    no_reply_reason = case when ${p.reason}::text is not null and coalesce(no_reply_reason, '') = ''
      then ${p.reason}::text else no_reply_reason end
  where id = ${p.id}::bigint`;
const settleQuery = reusableQuery((db, p: SettleValues) => ({
  compile: () => SETTLE(p).compile(db),
}));

/**
 * The update that settles a message, for a statement of another repository to carry (the outbox's); `reason`, when
 * given, is the SQL that decides why the sender gets no answer instead of the settlement's own.
 */
export function settlementUpdate(s: MessageSettlement, reason?: RawBuilder<string | null>) {
  return SETTLE({
    id: s.messageId,
    state: s.state,
    reasons: s.reviewReasons,
    reason: reason ?? s.noReplyReason,
  });
}

/** Settle a message (`MessageSettlement`). */
export async function settleMessage(db: Db, s: MessageSettlement): Promise<void> {
  await settleQuery(db, {
    id: s.messageId,
    state: s.state,
    reasons: s.reviewReasons,
    reason: s.noReplyReason,
  });
}

/** Where a message stands on the review list: its state and why. */
export async function messageReviewState(db: Db, id: string) {
  return db
    .selectFrom('messages')
    .select(['state', 'review_reasons'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Serialise the decisions people take about one mail (confirm, undo, count as, forgery, replay). */
export async function lockMessageDecisions(db: Db, id: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`decisions:message:${id}`}))`.execute(db);
}
