import type { Config } from '../../config.js';
import type { Database, Db } from '../../db/database.js';
import {
  claimDueOutbox,
  type DueMail,
  makeFailedMailDue,
  markOutboxAttemptAndRelease,
  markOutboxSentAndRelease,
  outboxFiles,
  releaseAllClaims,
} from '../../db/outbox.repository.js';
import { nextMailAttempt } from '../../domain/mail-retry.js';
import { asError, MailRefused } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { MailTransport } from '../../mail/transport.js';

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
  clock: { now(): Date };
}

/** What became of one mail: sent; tried again later (`retryAt`); or failed for good (a 5xx, or its last attempt). */
export type MailOutcome =
  | { status: 'sent' }
  | { status: 'retry'; retryAt: Date; error: string }
  | { status: 'failed'; error: string };

/** What one batch did: each mail sent, failed or put off, and those another sender held (their ids). */
export interface DrainOutcome {
  sent: number;
  retry: Date[];
  failed: number;
  inHand: string[];
}

export interface BatchOptions {
  /** Mails another sender was found holding earlier in the same pass: the next ones are claimed instead. */
  skip?: readonly string[];
  /** Each mail's outcome, for the process's metrics. */
  onMail?: (outcome: MailOutcome) => void;
  /** Asked before each send: a closing mailer starts no more (their claims are let go). */
  stopping?: () => boolean;
}

/**
 * Send the mails due now, up to `limit` (a batch): claimed on one connection (`claimDueOutbox`), sent up to
 * MAIL_CONCURRENCY at a time over the transport's pooled SMTP connections, each recorded as soon as its answer
 * comes. Sent mail is never sent again; a temporary failure (4xx, a connection down) puts the mail off with a
 * doubling delay (`nextMailAttempt`), a permanent refusal (5xx) fails it at once with the server's answer. A mail
 * another sender holds is left to it. When a record cannot be written (the database away), no further mail of the
 * batch is sent: its claims may have ended with the connection, and another sender may already be sending it.
 * What remains is the moment between the SMTP server's acceptance and the record of it: a process that dies there,
 * or a record that fails, sends the mail again later, with the same Message-ID.
 */
export async function sendDueMail(
  deps: SendDeps,
  limit: number,
  opts: BatchOptions = {},
): Promise<DrainOutcome> {
  return deps.db.connection().execute(async (conn) => {
    const due = await claimDueOutbox(conn, limit, opts.skip);
    const claimed = due.filter((m) => m.claimed);
    const done: DrainOutcome = {
      sent: 0,
      retry: [],
      failed: 0,
      inHand: due.filter((m) => !m.claimed).map((m) => m.id),
    };
    const batch = { unrecorded: false, left: claimed.length };
    let next = 0;
    const sender = async () => {
      for (let mail = claimed[next++]; mail; mail = claimed[next++]) {
        if (batch.unrecorded || opts.stopping?.()) return;
        const outcome = await sendClaimed(conn, mail, deps, batch);
        batch.left--;
        if (outcome.status === 'sent') done.sent++;
        else if (outcome.status === 'retry') done.retry.push(outcome.retryAt);
        else done.failed++;
        try {
          opts.onMail?.(outcome);
        } catch (err) {
          deps.log.warn({ err: asError(err) }, 'a mail outcome could not be counted');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(deps.config.MAIL_CONCURRENCY, claimed.length) }, sender));
    // Claims still held (mails not started, or one whose record and release both failed) are let go together, so
    // that the connection goes back to the pool holding none.
    if (batch.left > 0 || batch.unrecorded) await releaseAllClaims(conn).catch(() => undefined);
    return done;
  });
}

/** Send one claimed mail and record what came of it, letting go of the claim. */
async function sendClaimed(
  conn: Db,
  mail: DueMail,
  deps: SendDeps,
  batch: { unrecorded: boolean },
): Promise<MailOutcome> {
  const log = deps.log.child({ outboxId: mail.id });
  let messageId: string | null;
  try {
    const headers = {
      ...((typeof mail.headers === 'string' ? JSON.parse(mail.headers) : mail.headers) as Record<
        string,
        string
      >),
      'Message-ID': outboxMessageId(mail, deps.config.MAIL_FROM),
    };
    const files = mail.has_files ? await outboxFiles(conn, mail.id) : [];
    ({ messageId } = await deps.transport.send({
      from: deps.config.MAIL_FROM,
      to: mail.to_addresses,
      cc: mail.cc_addresses,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      headers,
      attachments: files.map((f) => ({ filename: f.filename, contentType: f.contentType, content: f.bytes })),
    }));
  } catch (err) {
    return recordFailure(conn, mail, deps, batch, err);
  }
  try {
    await markOutboxSentAndRelease(conn, mail.id, messageId);
  } catch (err) {
    // Taken by the SMTP server, but not recorded: it stays pending and goes again later, as the same message.
    batch.unrecorded = true;
    log.error(
      { err: asError(err) },
      'mail sent but its sending could not be recorded; it will be sent again',
    );
    return { status: 'sent' };
  }
  log.info({ kind: mail.kind, to: mail.to_addresses }, 'mail sent');
  return { status: 'sent' };
}

/** Count a failed attempt (put off, or failed for good) and let go of the claim. */
async function recordFailure(
  conn: Db,
  mail: DueMail,
  deps: SendDeps,
  batch: { unrecorded: boolean },
  err: unknown,
): Promise<MailOutcome> {
  const log = deps.log.child({ outboxId: mail.id });
  const e = asError(err);
  const refused = err instanceof MailRefused;
  const retryAt = refused
    ? null
    : nextMailAttempt(mail.attempts + 1, deps.clock.now(), deps.config.MAIL_RETRY_BASE_MS);
  try {
    await markOutboxAttemptAndRelease(conn, mail.id, e.message, retryAt);
  } catch (recordErr) {
    // Not counted (the database away): the batch sends no more, and its claims are let go at its end.
    batch.unrecorded = true;
    log.warn({ err: asError(recordErr) }, 'a failed attempt could not be recorded');
  }
  if (err instanceof MailRefused) {
    log.warn({ err, code: err.code, response: err.context.response, final: true }, 'mail refused');
    return { status: 'failed', error: e.message };
  }
  log.warn({ err: e, final: retryAt === null, retryAt }, 'mail not sent');
  return retryAt ? { status: 'retry', retryAt, error: e.message } : { status: 'failed', error: e.message };
}

/**
 * An operator's request, once the cause is mended (`reform retry-failed --queue mail`): every mail that failed for
 * good is due again now, and the mailers are told. Returns how many.
 */
export async function retryFailedMail(db: Database): Promise<number> {
  return makeFailedMailDue(db);
}
