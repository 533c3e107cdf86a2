import { type ExpressionBuilder, sql } from 'kysely';
import type { ParsedKind } from '../domain/kinds.js';
import type { Db } from './database.js';
import { reusableQuery } from './reusable-query.js';
import type { DB } from './schema.js';

// What the parse job needs of an attachment and its message.
const PARSE_COLUMNS = [
  'attachments.id',
  'attachments.message_id',
  'attachments.filename',
  'attachments.content_type',
  'attachments.sha256',
  'attachments.bytes',
  'attachments.state',
  'attachments.attempts',
  'messages.agency_id as sender_agency_id',
  'messages.received_at',
  'messages.auth_verdict',
  'messages.sender_doubt',
  'messages.subject',
  'messages.uid',
] as const;

/** The agency a person confirmed the file's form for, if any (file_decisions): a parse of it must keep that. */
const confirmedAgency = (eb: ExpressionBuilder<DB, 'attachments'>) =>
  eb
    .selectFrom('file_decisions as decision')
    .select('decision.confirmed_agency_id')
    .whereRef('decision.attachment_id', '=', 'attachments.id')
    .as('confirmed_agency_id');

const claimQuery = reusableQuery((db, p: { id: string }) =>
  db
    .updateTable('attachments')
    .from('messages')
    .set((eb) => ({ attempts: eb('attachments.attempts', '+', 1) }))
    .whereRef('messages.id', '=', 'attachments.message_id')
    .where('attachments.id', '=', p.id)
    .where('attachments.state', '=', 'pending')
    .returning(PARSE_COLUMNS)
    // How many files its message has: a message's only file needs no look for siblings when it is recorded.
    .returning((eb) => [
      eb
        .selectFrom('attachments as sibling')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('sibling.message_id', '=', 'attachments.message_id')
        .as('files_in_message'),
      confirmedAgency(eb),
    ]),
);

/**
 * Claim a pending attachment for one parse attempt (its attempts counted) and read what the parse job needs
 * of it and its message, in one round trip; undefined when it is gone or no longer pending.
 */
export async function claimAttachmentForParsing(db: Db, id: string) {
  return (await claimQuery(db, { id }))[0];
}

/** An attachment with what the parse job needs of its message. */
export async function attachmentForParsing(db: Db, id: string) {
  return db
    .selectFrom('attachments')
    .innerJoin('messages', 'messages.id', 'attachments.message_id')
    .select([
      ...PARSE_COLUMNS,
      'attachments.parse_result',
      'attachments.reason_code',
      'attachments.error_message',
    ])
    .select((eb) => confirmedAgency(eb))
    .where('attachments.id', '=', id)
    .executeTakeFirst();
}

/**
 * End every file of a message still pending, as failed: its parse never recorded an outcome (its worker died each
 * time it tried). One statement; returns how many were ended.
 */
export async function failPendingFiles(db: Db, messageId: string, why: string): Promise<number> {
  const r = await db
    .updateTable('attachments')
    .set({
      state: 'failed',
      reason_code: 'processing_failed',
      error_message: why,
      parsed_at: sql`now()`,
      updated_at: sql`now()`,
    })
    .where('message_id', '=', messageId)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function setAttachmentOutcome(
  db: Db,
  id: string,
  outcome: {
    state: 'parsed' | 'rejected' | 'failed' | 'skipped';
    reason_code?: string | null;
    error_message?: string | null;
    parsed_kind?: ParsedKind | null;
    parse_result?: unknown;
    parse_ms?: number | null;
  },
): Promise<void> {
  await setOutcomeQuery(db, {
    id,
    state: outcome.state,
    reason_code: outcome.reason_code ?? null,
    error_message: outcome.error_message ?? null,
    parsed_kind: outcome.parsed_kind ?? null,
    parse_result: outcome.parse_result === undefined ? null : JSON.stringify(outcome.parse_result),
    parse_ms: outcome.parse_ms ?? null,
  });
}
const setOutcomeQuery = reusableQuery(
  (
    db,
    p: {
      id: string;
      state: 'parsed' | 'rejected' | 'failed' | 'skipped';
      reason_code: string | null;
      error_message: string | null;
      parsed_kind: ParsedKind | null;
      parse_result: string | null;
      parse_ms: number | null;
    },
  ) =>
    db
      .updateTable('attachments')
      .set({
        state: p.state,
        reason_code: p.reason_code,
        error_message: p.error_message,
        parsed_kind: p.parsed_kind,
        parse_result: p.parse_result,
        parse_ms: p.parse_ms,
        parsed_at: sql`now()`,
        updated_at: sql`now()`,
      })
      .where('id', '=', p.id),
);

/** An attachment without its bytes: which message it came in, its name and what became of it. */
export async function attachmentSummary(db: Db, id: string) {
  return db
    .selectFrom('attachments')
    .select(['id', 'message_id', 'filename', 'state', 'reason_code'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Hold one attachment for this transaction: a person's requests about it run one at a time. */
export async function lockAttachment(db: Db, id: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`attachment:${id}`}))`.execute(db);
}
