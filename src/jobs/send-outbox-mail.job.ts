import { UnrecoverableError } from 'bullmq';
import { getOutbox, markOutboxAttempt, markOutboxSent, outboxFiles } from '../db/outbox.repository.js';
import { MailRefused } from '../errors.js';
import { MailPayload } from '../queue/queues.js';
import type { JobDeps } from './job-deps.js';

export type MailOutcome = { status: 'sent' | 'already_sent' } | { status: 'skipped'; reason: string };

/**
 * Send one outbox mail. Sent mail is never sent again; SMTP trouble throws, and BullMQ retries with backoff; a
 * permanent refusal (5xx) marks the mail failed with the server's answer at once and is not retried.
 */
export async function sendOutboxMailJob(
  data: unknown,
  deps: JobDeps,
  attempt = { made: 0, max: 1 },
): Promise<MailOutcome> {
  const input = MailPayload.safeParse(data);
  if (!input.success) throw new UnrecoverableError(`bad mail payload: ${input.error.message}`);
  const { db } = deps;
  const log = deps.log.child({ outboxId: input.data.outboxId });
  const mail = await getOutbox(db, input.data.outboxId);
  if (!mail) return { status: 'skipped', reason: 'outbox_gone' };
  if (mail.status === 'sent') return { status: 'already_sent' };
  const headers = (typeof mail.headers === 'string' ? JSON.parse(mail.headers) : mail.headers) as Record<
    string,
    string
  >;
  try {
    const files = mail.has_files ? await outboxFiles(db, mail.id) : [];
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
    await markOutboxSent(db, mail.id, messageId);
    log.info({ kind: mail.kind, to: mail.to_addresses }, 'mail sent');
    return { status: 'sent' };
  } catch (err) {
    if (err instanceof MailRefused) {
      await markOutboxAttempt(db, mail.id, err.message, true);
      log.warn({ err, code: err.code, response: err.context.response, final: true }, 'mail refused');
      throw new UnrecoverableError(err.message);
    }
    const final = attempt.made + 1 >= attempt.max;
    await markOutboxAttempt(db, mail.id, (err as Error).message, final);
    log.warn({ err, final }, 'mail not sent');
    throw err;
  }
}
