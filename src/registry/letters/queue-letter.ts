import type { Database } from '../../db/database.js';
import type { MessageSettlement } from '../../db/message.repository.js';
import { addToOutbox, enqueueOutbox, type OutboxCaps, type OutboxFile } from '../../db/outbox.repository.js';
import type { OutboxKind } from '../../domain/kinds.js';

/**
 * Who a letter comes from, as other mail systems are told (RFC 3834): an automatic answer to a mail, an automatic
 * letter of the office's own (a reminder, a digest), or one a person decided to send.
 */
type LetterOrigin = 'auto-replied' | 'auto-generated' | 'person';

/** One outgoing mail of the office, rendered. */
export interface Letter {
  kind: OutboxKind;
  /** The outbox's key: a second letter with the same key is the first one. */
  dedupeKey: string;
  to: readonly string[];
  cc?: readonly string[];
  rendered: { subject: string; html: string; text: string };
  origin: LetterOrigin;
  /** The mail it answers: its Message-ID and the thread's References, so the reply sits in the thread. */
  replyTo?: { messageId: string; references: string } | null;
  messageId?: string | null;
  agencyId?: string | null;
  campaignId?: string | null;
  files?: readonly OutboxFile[];
}

export interface LetterDeps {
  db: Database;
}

/** The outbox row of a letter, its headers decided here for every letter the office sends. */
function outboxRow(letter: Letter) {
  return {
    kind: letter.kind,
    dedupe_key: letter.dedupeKey,
    to_addresses: [...letter.to],
    ...(letter.cc ? { cc_addresses: [...letter.cc] } : {}),
    subject: letter.rendered.subject,
    html: letter.rendered.html,
    text: letter.rendered.text,
    headers: JSON.stringify({
      ...(letter.origin === 'person' ? {} : { 'Auto-Submitted': letter.origin }),
      // Nobody's out-of-office should answer the office's mail.
      'X-Auto-Response-Suppress': 'All',
      ...(letter.replyTo
        ? { 'In-Reply-To': letter.replyTo.messageId, References: letter.replyTo.references }
        : {}),
    }),
    message_id: letter.messageId ?? null,
    agency_id: letter.agencyId ?? null,
    campaign_id: letter.campaignId ?? null,
  };
}

export type QueuedLetter = { id: string; created: boolean } | { limited: true };

/**
 * Put a letter in the outbox (once per key; under `caps` only while they have room). Its commit is the hand-over:
 * it tells the mailers (NOTIFY outbox_added), which send it at once. An answer settles the message it answers
 * with it (`settles`).
 */
export async function queueLetter(
  deps: LetterDeps,
  letter: Letter,
  caps?: OutboxCaps,
  settles?: MessageSettlement,
): Promise<QueuedLetter> {
  return enqueueOutbox(deps.db, outboxRow(letter), letter.files ?? [], caps, settles);
}

/**
 * Write a letter inside the caller's transaction (with the decision it belongs to): the mailers are told when the
 * transaction commits.
 */
export async function writeLetter(
  trx: Parameters<typeof addToOutbox>[0],
  letter: Letter,
): Promise<{ id: string; created: boolean }> {
  return addToOutbox(trx, outboxRow(letter), letter.files ?? []);
}
