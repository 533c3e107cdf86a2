import { UnrecoverableError } from 'bullmq';
import {
  claimOutbox,
  markOutboxAttempt,
  markOutboxSentAndRelease,
  outboxFiles,
  releaseOutboxClaim,
} from '../db/outbox.repository.js';
import { MailRefused, Transient } from '../errors.js';
import { MailPayload } from '../queue/queues.js';
import type { JobDeps } from './job-deps.js';

/**
 * The Message-ID of an outbox mail: the same on every attempt, so that the one repeat left possible (a sender
 * that dies after the SMTP server took the mail, before the record of it) is the same message again, which the
 * recipient's mail system shows once, and not a second answer.
 */
function outboxMessageId(mail: { id: string; created_at: Date }, from: string): string {
  const domain = /@([^\s>]+)/.exec(from)?.[1] ?? 'localhost';
  return `<outbox-${mail.id}.${mail.created_at.getTime().toString(36)}@${domain}>`;
}

export type MailOutcome = { status: 'sent' | 'already_sent' } | { status: 'skipped'; reason: string };

/**
 * Send one outbox mail. Sent mail is never sent again; SMTP trouble throws, and BullMQ retries with backoff; a
 * permanent refusal (5xx) marks the mail failed with the server's answer at once and is not retried. The mail is
 * claimed for the time of its sending on a connection of its own (`claimOutbox`): a second job for the same mail
 * while the first still sends waits for a retry instead of sending it again. What remains is the moment between
 * the SMTP server's acceptance and the record of it: a process that dies there sends the mail again.
 */
export async function sendOutboxMailJob(
  data: unknown,
  deps: JobDeps,
  attempt = { made: 0, max: 1 },
): Promise<MailOutcome> {
  const input = MailPayload.safeParse(data);
  if (!input.success) throw new UnrecoverableError(`bad mail payload: ${input.error.message}`);
  const { outboxId } = input.data;
  const log = deps.log.child({ outboxId });
  return deps.db.connection().execute(async (conn) => {
    const mail = await claimOutbox(conn, outboxId);
    if (!mail) return { status: 'skipped', reason: 'outbox_gone' };
    if (!mail.claimed) {
      if (mail.status === 'sent') return { status: 'already_sent' };
      throw new Transient('mail_in_hand', 'another sender holds this mail', { outboxId });
    }
    let released = false;
    try {
      if (mail.status === 'sent') return { status: 'already_sent' };
      const headers = {
        ...((typeof mail.headers === 'string' ? JSON.parse(mail.headers) : mail.headers) as Record<
          string,
          string
        >),
        'Message-ID': outboxMessageId(mail, deps.config.MAIL_FROM),
      };
      try {
        const files = mail.has_files ? await outboxFiles(conn, mail.id) : [];
        const { messageId } = await deps.transport.send({
          from: deps.config.MAIL_FROM,
          to: mail.to_addresses,
          cc: mail.cc_addresses,
          subject: mail.subject,
          html: mail.html,
          text: mail.text,
          headers,
          attachments: files.map((f) => ({
            filename: f.filename,
            contentType: f.contentType,
            content: f.bytes,
          })),
        });
        await markOutboxSentAndRelease(conn, mail.id, messageId);
        released = true;
        log.info({ kind: mail.kind, to: mail.to_addresses }, 'mail sent');
        return { status: 'sent' };
      } catch (err) {
        if (err instanceof MailRefused) {
          await markOutboxAttempt(conn, mail.id, err.message, true);
          log.warn({ err, code: err.code, response: err.context.response, final: true }, 'mail refused');
          throw new UnrecoverableError(err.message);
        }
        const final = attempt.made + 1 >= attempt.max;
        await markOutboxAttempt(conn, mail.id, (err as Error).message, final);
        log.warn({ err, final }, 'mail not sent');
        throw err;
      }
    } finally {
      if (!released) await releaseOutboxClaim(conn, mail.id).catch(() => undefined);
    }
  });
}
