import MailComposer from 'nodemailer/lib/mail-composer/index.js';

/** A mail the office wrote, as it waits in (or went out of) the outbox. */
export interface WrittenMail {
  from: string;
  to: readonly string[];
  cc: readonly string[];
  subject: string;
  text: string;
  html: string;
  /** The threading and automatic-reply headers it was sent with. */
  headers: Record<string, string>;
  /** When it was sent (else when it was written) and the Message-ID the SMTP server gave it, when known. */
  date: Date;
  messageId: string | null;
  files: readonly { filename: string; contentType: string; bytes: Buffer }[];
}

/**
 * A written mail as an .eml file, built by nodemailer's own composer the way the mailer sends it, so what an
 * assessor opens is the letter the agency received (its Date the moment it was sent).
 */
export function writtenMailEml(mail: WrittenMail): Promise<Buffer> {
  const composer = new MailComposer({
    from: mail.from,
    to: [...mail.to],
    cc: mail.cc.length ? [...mail.cc] : undefined,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    date: mail.date,
    headers: mail.headers,
    ...(mail.messageId ? { messageId: mail.messageId } : {}),
    attachments: mail.files.map((f) => ({
      filename: f.filename,
      contentType: f.contentType,
      content: f.bytes,
    })),
  });
  return new Promise((resolve, reject) =>
    composer.compile().build((err, message) => (err ? reject(err) : resolve(message))),
  );
}
