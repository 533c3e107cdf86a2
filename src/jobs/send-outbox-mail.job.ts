import type { Config } from '../config.js';
import type { Database, Db } from '../db/database.js';
import {
  claimDueOutbox,
  type DueMail,
  markOutboxAttemptAndRelease,
  markOutboxSentAndRelease,
  outboxFiles,
  releaseOutboxClaim,
} from '../db/outbox.repository.js';
import { nextMailAttempt } from '../domain/mail-retry.js';
import { asError, MailRefused } from '../errors.js';
import type { Logger } from '../logger.js';
import type { MailTransport } from '../mail/transport.js';
import type { Clock } from './job-deps.js';

/**
 * The Message-ID of an outbox mail: the same on every attempt, so that the one repeat left possible (a sender
 * that dies after the SMTP server took the mail, before the record of it) is the same message again, which the
 * recipient's mail system shows once, and not a second answer.
 */
function outboxMessageId(mail: { id: string; created_at: Date }, from: string): string {
  const domain = /@([^\s>]+)/.exec(from)?.[1] ?? 'localhost';
  return `<outbox-${mail.id}.${mail.created_at.getTime().toString(36)}@${domain}>`;
}

export interface SendDeps {
  config: Pick<Config, 'MAIL_FROM' | 'MAIL_CONCURRENCY' | 'MAIL_RETRY_BASE_MS'>;
  db: Database;
  log: Logger;
  transport: MailTransport;
  clock: Clock;
}

/** What became of one mail: sent; tried again later (`retryAt`); or failed for good (a 5xx, or its last attempt). */
export type MailOutcome =
  | { status: 'sent' }
  | { status: 'retry'; retryAt: Date; error: string }
  | { status: 'failed'; error: string };

/** What one pass over the due mail did: each mail sent, failed or put off, and those another sender held. */
export interface DrainOutcome {
  sent: number;
  retry: Date[];
  failed: number;
  inHand: number;
}

/**
 * Send the mails due now, up to `limit` (a batch): claimed on one connection (`claimDueOutbox`), sent up to
 * MAIL_CONCURRENCY at a time over the transport's pooled SMTP connections, each recorded as soon as its answer
 * comes. Sent mail is never sent again; a temporary failure (4xx, a connection down) puts the mail off with a
 * doubling delay (`nextMailAttempt`), a permanent refusal (5xx) fails it at once with the server's answer. A mail
 * another sender holds is left to it. What remains is the moment between the SMTP server's acceptance and the
 * record of it: a process that dies there sends the mail again, with the same Message-ID.
 */
export async function sendDueMail(
  deps: SendDeps,
  limit: number,
  onSent: (outcome: MailOutcome) => void = () => undefined,
): Promise<DrainOutcome> {
  return deps.db.connection().execute(async (conn) => {
    const due = await claimDueOutbox(conn, limit);
    const claimed = due.filter((m) => m.claimed);
    const done: DrainOutcome = { sent: 0, retry: [], failed: 0, inHand: due.length - claimed.length };
    let next = 0;
    const sender = async () => {
      for (let mail = claimed[next++]; mail; mail = claimed[next++]) {
        const outcome = await sendClaimed(conn, mail, deps);
        if (outcome.status === 'sent') done.sent++;
        else if (outcome.status === 'retry') done.retry.push(outcome.retryAt);
        else done.failed++;
        onSent(outcome);
      }
    };
    await Promise.all(Array.from({ length: Math.min(deps.config.MAIL_CONCURRENCY, claimed.length) }, sender));
    return done;
  });
}

/** Send one claimed mail and record what came of it, letting go of the claim. */
async function sendClaimed(conn: Db, mail: DueMail, deps: SendDeps): Promise<MailOutcome> {
  const log = deps.log.child({ outboxId: mail.id });
  try {
    const headers = {
      ...((typeof mail.headers === 'string' ? JSON.parse(mail.headers) : mail.headers) as Record<
        string,
        string
      >),
      'Message-ID': outboxMessageId(mail, deps.config.MAIL_FROM),
    };
    const files = mail.has_files ? await outboxFiles(conn, mail.id) : [];
    const { messageId } = await deps.transport.send({
      from: deps.config.MAIL_FROM,
      to: mail.to_addresses,
      cc: mail.cc_addresses,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      headers,
      attachments: files.map((f) => ({ filename: f.filename, contentType: f.contentType, content: f.bytes })),
    });
    await markOutboxSentAndRelease(conn, mail.id, messageId);
    log.info({ kind: mail.kind, to: mail.to_addresses }, 'mail sent');
    return { status: 'sent' };
  } catch (err) {
    const e = asError(err);
    const retryAt =
      err instanceof MailRefused
        ? null
        : nextMailAttempt(mail.attempts + 1, deps.clock.now(), deps.config.MAIL_RETRY_BASE_MS);
    try {
      await markOutboxAttemptAndRelease(conn, mail.id, e.message, retryAt);
    } catch (recordErr) {
      // The attempt is not counted (the database is away): the claim must still go, or this connection would
      // hold the mail from every other sender.
      await releaseOutboxClaim(conn, mail.id).catch(() => undefined);
      log.warn({ err: asError(recordErr) }, 'a failed attempt could not be recorded');
    }
    if (err instanceof MailRefused) {
      log.warn({ err, code: err.code, response: err.context.response, final: true }, 'mail refused');
      return { status: 'failed', error: e.message };
    }
    log.warn({ err: e, final: retryAt === null, retryAt }, 'mail not sent');
    return retryAt ? { status: 'retry', retryAt, error: e.message } : { status: 'failed', error: e.message };
  }
}
