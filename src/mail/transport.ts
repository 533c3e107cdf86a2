import { createRequire } from 'node:module';
import type { Transporter } from 'nodemailer';
import type { Config } from '../config.js';
import { MailRefused, Transient } from '../errors.js';
import { cleanHeader } from './clean-header.js';

interface OutgoingMail {
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  attachments: { filename: string; contentType: string; content: Buffer }[];
}

export interface MailTransport {
  send(mail: OutgoingMail): Promise<{ messageId: string | null }>;
  close(): void;
}

/** nodemailer over SMTP as configured; a refused or dropped connection is a Transient error (retry later). */
export function createMailTransport(
  config: Pick<
    Config,
    'SMTP_HOST' | 'SMTP_PORT' | 'SMTP_SECURITY' | 'SMTP_USER' | 'SMTP_PASSWORD' | 'MAIL_CONCURRENCY'
  >,
): MailTransport {
  // Loaded by the first transport: a process that sends no mail never holds it.
  const nodemailer = createRequire(import.meta.url)('nodemailer') as typeof import('nodemailer');
  const transporter: Transporter = nodemailer.createTransport({
    host: config.SMTP_HOST,
    port: config.SMTP_PORT,
    secure: config.SMTP_SECURITY === 'tls',
    requireTLS: config.SMTP_SECURITY === 'starttls',
    ignoreTLS: config.SMTP_SECURITY === 'plain',
    auth: config.SMTP_USER ? { user: config.SMTP_USER, pass: config.SMTP_PASSWORD ?? '' } : undefined,
    // Connections are kept open and reused (up to MAIL_CONCURRENCY at once, 100 messages each), not opened per
    // mail; one the server closed or dropped is replaced on the next send.
    pool: true,
    maxConnections: config.MAIL_CONCURRENCY,
    maxMessages: 100,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(mail) {
      try {
        const info = await transporter.sendMail({
          from: mail.from,
          to: mail.to,
          cc: mail.cc.length ? mail.cc : undefined,
          subject: mail.subject,
          html: mail.html,
          text: mail.text,
          headers: mail.headers,
          attachments: mail.attachments,
          // Vietnamese text is mostly non-ASCII: base64 is smaller than quoted-printable, and cheaper to make.
          textEncoding: 'base64',
        });
        return { messageId: info.messageId ?? null };
      } catch (err) {
        const e = err as Error & { code?: string; responseCode?: number; response?: string };
        // A 5xx answer to the envelope or the message (RFC 5321 4.2.1: permanent) will not get better. A 5xx to
        // the login (EAUTH) is our configuration, not the mail: that one is retried until someone fixes it.
        if (isPermanentRefusal(e)) {
          throw new MailRefused(
            'smtp_rejected',
            `SMTP refused the mail: ${oneLine(e.response ?? e.message)}`,
            { responseCode: e.responseCode, response: e.response, code: e.code, host: config.SMTP_HOST },
            { cause: err },
          );
        }
        throw new Transient(
          'smtp_unavailable',
          `SMTP: ${e.message}`,
          { code: e.code, host: config.SMTP_HOST },
          { cause: err },
        );
      }
    },
    close: () => transporter.close(),
  };
}

/** A refusal that no retry can cure: a 5xx answer to MAIL FROM, RCPT TO or the message data. */
function isPermanentRefusal(e: { code?: string; responseCode?: number }): boolean {
  const permanent = e.responseCode !== undefined && e.responseCode >= 500 && e.responseCode < 600;
  return permanent && (e.code === 'EENVELOPE' || e.code === 'EMESSAGE');
}

/** A server's answer on one line, bounded and cleaned (it echoes addresses senders wrote; operators see it). */
const oneLine = (s: string) => cleanHeader(s).slice(0, 500);
