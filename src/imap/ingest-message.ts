import { createHash } from 'node:crypto';
import type { Config } from '../config.js';
import { findAgencyByAddress } from '../db/agency.repository.js';
import type { Database } from '../db/database.js';
import { storeMessage } from '../db/message.repository.js';
import { authVerdict, senderTrust } from '../mail/auth-results.js';
import { type IncomingMessage, parseIncomingMessage } from '../mail/incoming-message.js';
import { isAutomatic, ownAddresses, replyBlocked } from '../mail/reply-guard.js';
import { enqueueMessageFlow, type Queues } from '../queue/queues.js';

export interface MailboxPosition {
  mailbox: string;
  uidvalidity: string;
  uid: number;
  internalDate: Date;
}

export interface Ingested {
  messageId: string;
  created: boolean;
  /** Where the message goes in the mailbox: Processed, or Needs review when a person must look at it. */
  needsReview: boolean;
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** The columns every stored message has: where it sits in the mailbox, who sent what, may it be answered. */
function messageRow(m: IncomingMessage, at: MailboxPosition, agencyId: string | null, config: Config) {
  return {
    no_reply_reason: replyBlocked(m, ownAddresses(config)) ?? '',
    references: [...m.references, ...(m.messageId ? [m.messageId] : [])].join(' ') || null,
    mailbox: at.mailbox,
    uidvalidity: at.uidvalidity,
    uid: at.uid,
    message_id: m.messageId,
    from_address: m.from?.address ?? null,
    from_name: m.from?.name ?? null,
    reply_to: m.replyTo,
    return_path: m.headers.returnPath,
    subject: m.subject,
    sent_at: m.sentAt,
    received_at: at.internalDate,
    agency_id: agencyId,
  };
}

/**
 * Store one email and queue its work: the raw bytes, sender, headers and attachments in one transaction,
 * then the parse/acknowledge flow. Both steps are keyed, so doing it twice changes nothing.
 */
export async function ingestMessage(
  deps: { db: Database; queues: Queues; config: Config },
  raw: Buffer,
  at: MailboxPosition,
): Promise<Ingested> {
  const m = await parseIncomingMessage(raw);
  const sender = m.from ? await findAgencyByAddress(deps.db, m.from.address) : undefined;
  const automatic = isAutomatic(m);
  const verdict = authVerdict(
    m.headers.authenticationResults,
    deps.config.TRUSTED_AUTHSERV_ID,
    m.from?.address,
  );
  const trust = senderTrust(verdict, deps.config);
  const review: string[] = [];
  if (!sender && !automatic) review.push('unknown_sender');
  if (trust === 'forged') review.push('spoofing');
  else if (trust === 'untrusted' && sender) review.push('unverified_sender');
  const stored = await storeMessage(
    deps.db,
    {
      ...messageRow(m, at, sender?.id ?? null, deps.config),
      raw,
      raw_sha256: sha256(raw),
      raw_size: raw.length,
      in_reply_to: m.inReplyTo,
      authentication_results: m.headers.authenticationResults.join('\n') || null,
      auth_verdict: verdict,
      is_automatic: automatic,
      review_reasons: review,
    },
    m.attachments.map((a) => ({
      part: a.part,
      filename: a.filename,
      content_type: a.contentType,
      size: a.size,
      sha256: a.sha256,
      bytes: a.content,
      nested: a.nested,
      // Automatic mail (out-of-office, bounces) is kept, but its files are not submissions; an unpacked
      // winmail.dat is only the envelope of the files listed after it.
      state: automatic || a.unpacked ? 'skipped' : 'pending',
    })),
  );
  await enqueueMessageFlow(deps.queues, stored.id, stored.attachmentIds, {
    attempts: deps.config.JOB_ATTEMPTS,
    isNew: stored.created,
  });
  return { messageId: stored.id, created: stored.created, needsReview: review.length > 0 };
}

/** A message over the size limit: kept as rejected, headers only, and the sender is told the limit. */
export async function ingestOversized(
  deps: { db: Database; queues: Queues; config: Config },
  headers: Buffer,
  at: MailboxPosition & { size: number },
): Promise<Ingested> {
  const m = await parseIncomingMessage(headers);
  const sender = m.from ? await findAgencyByAddress(deps.db, m.from.address) : undefined;
  const stored = await storeMessage(
    deps.db,
    {
      ...messageRow(m, at, sender?.id ?? null, deps.config),
      raw: null,
      raw_sha256: sha256(headers),
      raw_size: at.size,
      is_automatic: isAutomatic(m),
      state: 'rejected',
      reject_reason: 'too_large',
    },
    [],
  );
  await enqueueMessageFlow(deps.queues, stored.id, [], {
    attempts: deps.config.JOB_ATTEMPTS,
    isNew: stored.created,
  });
  return { messageId: stored.id, created: stored.created, needsReview: true };
}
