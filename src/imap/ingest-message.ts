import { createHash } from 'node:crypto';
import { type Config, intakeLimits } from '../config.js';
import type { Database } from '../db/database.js';
import { storeMessage } from '../db/message.repository.js';
import { planAttachments, UNREADABLE_MESSAGE } from '../domain/intake-limits.js';
import {
  intakeReviewReasons,
  OVERSIZED_MESSAGE,
  senderTrust,
  UNREADABLE_MESSAGE_REASONS,
} from '../domain/review-reasons.js';
import { AppError, asError } from '../errors.js';
import { senderAuthentication, senderDoubt } from '../mail/auth-results.js';
import { withoutNul } from '../mail/clean-header.js';
import { parseDeliveryReport } from '../mail/delivery-status.js';
import { type IncomingMessage, parseIncomingMessage } from '../mail/incoming-message.js';
import { isAutomatic, ownAddresses, replyBlocked } from '../mail/reply-guard.js';
import { enqueueMessageFlow, type Queues } from '../queue/queues.js';
import { recordBounce } from '../registry/intake/bounces.js';

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
  /** What was dropped or left unread while storing it (for the log): `date_out_of_range`, `too_many_parts`… */
  warnings?: string[];
}

export interface IngestDeps {
  db: Database;
  queues: Queues;
  config: Config;
  /** How the raw bytes are read (parseIncomingMessage unless a test replaces it). */
  read?: typeof parseIncomingMessage;
}

/**
 * Storing a message failed because of what the message holds (not because a service is out of reach), even in
 * its reduced form: retrying cannot help, so the poller sets it aside at once.
 */
export class MessageNotStorable extends AppError<'message_not_storable'> {}

/**
 * Whether an error comes from a message's content rather than from a service: a PostgreSQL data exception
 * (class 22: a NUL in text, a date out of range…), an integrity violation (class 23) other than a unique key (which
 * means "already stored"), a program limit (class 54: an index entry too large), or MessageNotStorable.
 */
export function isContentError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof MessageNotStorable) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^(22|23|54)[0-9A-Z]{3}$/.test(code) && code !== '23505') return true;
  }
  return false;
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** The columns every stored message has: where it sits in the mailbox, who sent what, may it be answered. */
function messageRow(m: IncomingMessage, at: MailboxPosition, config: Config) {
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
    unlisted_parts: m.unlisted.count,
  };
}

/**
 * How far the From of a message may be believed: the verdict of its Authentication-Results, what made its From
 * doubtful (kept with the message, so a replay or a person's confirmation later decides from what the intake
 * read), and the trust they come to under SENDER_AUTH.
 */
function senderChecks(m: IncomingMessage, config: Config) {
  const auth = senderAuthentication(m.trace, {
    trustedAuthservId: config.TRUSTED_AUTHSERV_ID,
    from: m.from?.address,
  });
  const doubt = senderDoubt(m.fromAmbiguity, auth.outcome);
  return { verdict: auth.verdict, doubt, trust: senderTrust(auth.verdict, config, doubt) };
}

/**
 * Store one email and queue its work: the raw bytes, sender, headers and attachments in one transaction,
 * then the parse/acknowledge flow. Both steps are keyed, so doing it twice changes nothing.
 */
export async function ingestMessage(deps: IngestDeps, raw: Buffer, at: MailboxPosition): Promise<Ingested> {
  const limits = intakeLimits(deps.config);
  let m: IncomingMessage;
  try {
    m = await (deps.read ?? parseIncomingMessage)(raw, {
      limits,
      // A zip archive's files are bounded as any file the parser reads.
      archive: {
        maxEntries: deps.config.MAX_ZIP_ENTRIES,
        maxEntryBytes: deps.config.MAX_ATTACHMENT_BYTES,
        maxTotalBytes: deps.config.MAX_UNCOMPRESSED_BYTES,
      },
    });
  } catch (err) {
    // The MIME reader gave up on this mail: keep its bytes for a person rather than retry what cannot change.
    return storeUnreadable(deps, raw, at, err);
  }
  const automatic = isAutomatic(m);
  const { verdict, doubt, trust } = senderChecks(m, deps.config);
  // Automatic mail (out-of-office, bounces) is kept, but its files are not submissions; an unpacked
  // winmail.dat is only the envelope of the files listed after it. Past the limit, files are kept unparsed.
  const plan = planAttachments(
    m.attachments.map((a) => !automatic && !a.unpacked && !a.refused),
    limits,
  );
  // The reasons for a registry sender and for anyone else: the statement that stores the mail finds which it is.
  const review = (registered: boolean) =>
    intakeReviewReasons({
      registered,
      automatic,
      trust,
      filesBeyondLimit: plan.some((p) => p.reason !== null),
      unlisted: m.unlisted.reason,
    });
  const warnings = [...m.warnings, ...(m.unlisted.reason ? [m.unlisted.reason] : [])];
  let stored: Awaited<ReturnType<typeof storeMessage>>;
  try {
    stored = await storeMessage(
      deps.db,
      {
        ...messageRow(m, at, deps.config),
        raw,
        raw_sha256: sha256(raw),
        raw_size: raw.length,
        in_reply_to: m.inReplyTo,
        authentication_results: m.headers.authenticationResults.join('\n') || null,
        auth_verdict: verdict,
        sender_doubt: doubt,
        is_automatic: automatic,
        review_reasons: review(false),
      },
      m.attachments.map((a, i) => ({
        part: a.part,
        filename: a.filename,
        content_type: a.contentType,
        size: a.size,
        sha256: a.sha256,
        bytes: a.content,
        nested: a.nested,
        // A file of an archive that cannot be read (encrypted, an archive inside it) is refused as it is stored.
        state: a.refused && !automatic ? 'rejected' : (plan[i]?.state ?? 'skipped'),
        reason_code: a.refused && !automatic ? a.refused : (plan[i]?.reason ?? null),
      })),
      m.from
        ? { address: m.from.address, reviewIfListed: review(true), reviewIfNot: review(false) }
        : undefined,
    );
  } catch (err) {
    if (!isContentError(err)) throw err;
    // Something in this mail's headers or files was refused by PostgreSQL despite the cleaning: keep the bytes.
    return storeUnreadable(deps, raw, at, err);
  }
  if (automatic) {
    // A bounce flags the registered address it failed for (never answered: it is automatic). Run on every read,
    // not only the first: keyed by the report's arrival, so a crash before this line is made good by a re-read.
    const report = parseDeliveryReport(raw);
    if (report && report.failed.length > 0)
      await recordBounce(deps.db, { messageId: stored.id, receivedAt: at.internalDate, report });
  }
  await enqueueMessageFlow(deps.queues, stored.id, stored.parseIds, {
    attempts: deps.config.JOB_ATTEMPTS,
    isNew: stored.created,
  });
  return {
    messageId: stored.id,
    created: stored.created,
    needsReview: stored.reviewReasons.length > 0,
    warnings,
  };
}

/**
 * A mail that could not be read or stored as it is: kept with its raw bytes only (keyed by them), for a person to
 * look at, and not answered (whom it is from was not read reliably). Throws MessageNotStorable when even that
 * fails because of the data, so the poller sets the mail aside at once.
 */
async function storeUnreadable(
  deps: { db: Database },
  raw: Buffer,
  at: MailboxPosition,
  cause: unknown,
): Promise<Ingested> {
  const error = asError(cause);
  try {
    const stored = await storeMessage(
      deps.db,
      {
        mailbox: at.mailbox,
        uidvalidity: at.uidvalidity,
        uid: at.uid,
        message_id: null,
        raw,
        raw_sha256: sha256(raw),
        raw_size: raw.length,
        received_at: at.internalDate,
        state: 'needs_review',
        review_reasons: [...UNREADABLE_MESSAGE_REASONS],
        no_reply_reason: UNREADABLE_MESSAGE,
        last_error: withoutNul(error.message).slice(0, 2000),
      },
      [],
    );
    return {
      messageId: stored.id,
      created: stored.created,
      needsReview: true,
      warnings: [UNREADABLE_MESSAGE],
    };
  } catch (err) {
    if (!isContentError(err)) throw err;
    throw new MessageNotStorable(
      'message_not_storable',
      'the message cannot be stored, even reduced',
      { reason: error.message },
      { cause: err },
    );
  }
}

/** A message over the size limit: kept as rejected, headers only, and the sender is told the limit. */
export async function ingestOversized(
  deps: { db: Database; queues: Queues; config: Config },
  headers: Buffer,
  at: MailboxPosition & { size: number },
): Promise<Ingested> {
  // Headers only: a header block the reader cannot make sense of leaves a message known only by its size.
  const m = await parseIncomingMessage(headers).catch(() => parseIncomingMessage(Buffer.alloc(0)));
  // Told the limit like any sender, unless its From is forged or not one address: the reply would go to a victim.
  const { verdict, doubt } = senderChecks(m, deps.config);
  const stored = await storeMessage(
    deps.db,
    {
      ...messageRow(m, at, deps.config),
      raw: null,
      raw_sha256: sha256(headers),
      raw_size: at.size,
      authentication_results: m.headers.authenticationResults.join('\n') || null,
      auth_verdict: verdict,
      sender_doubt: doubt,
      is_automatic: isAutomatic(m),
      ...OVERSIZED_MESSAGE,
    },
    [],
    // No reason either way (it is rejected as a whole); the statement finds the sender's agency.
    m.from ? { address: m.from.address, reviewIfListed: [], reviewIfNot: [] } : undefined,
  );
  await enqueueMessageFlow(deps.queues, stored.id, [], {
    attempts: deps.config.JOB_ATTEMPTS,
    isNew: stored.created,
  });
  return { messageId: stored.id, created: stored.created, needsReview: true };
}
