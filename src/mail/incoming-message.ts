import { createHash } from 'node:crypto';
import { type AddressObject, type Attachment, type HeaderValue, simpleParser } from 'mailparser';
import { readTnef } from './tnef.js';

export interface IncomingAttachment {
  /** Position in MIME order: "2", or "2.1" for the first file inside an attached message. */
  part: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  content: Buffer;
  /** Found inside an attached (forwarded) message or a winmail.dat. */
  nested: boolean;
  /** A winmail.dat (TNEF) whose files were taken out and listed after it: nothing of its own to parse. */
  unpacked?: boolean;
}

/** What the pipeline needs of one email, decoded (RFC 2047/2231 names, transfer encodings). */
export interface IncomingMessage {
  messageId: string | null;
  from: { address: string; name: string | null } | null;
  replyTo: string | null;
  subject: string | null;
  sentAt: Date | null;
  inReplyTo: string | null;
  references: string[];
  /** Headers that RFC 3834 and common practice use to mark automatic mail and lists. */
  headers: {
    autoSubmitted: string | null;
    precedence: string | null;
    listId: string | null;
    listUnsubscribe: string | null;
    xAutoreply: string | null;
    xAutoResponseSuppress: string | null;
    returnPath: string | null;
    authenticationResults: string[];
    contentType: string | null;
  };
  /** Documents, in MIME order, forwarded messages opened; inline images and logos left out. */
  attachments: IncomingAttachment[];
  /** Parts left out, and why. */
  skipped: { filename: string; reason: 'inline_image' }[];
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Text as PostgreSQL can store it and a person can read it: NFC, no NUL or other control characters. */
function clean(s: string): string;
function clean(s: string | null | undefined): string | null;
function clean(s: string | null | undefined): string | null {
  if (s === null || s === undefined) return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '').normalize('NFC');
}

function headerText(value: HeaderValue | undefined): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((v) => headerText(v as HeaderValue) ?? '').join(', ');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && 'value' in value) {
    const v = (value as { value: unknown }).value;
    if (typeof v === 'string') return v;
    if (Array.isArray(v)) return (value as AddressObject).text ?? null;
  }
  return String(value);
}

function firstAddress(
  a: AddressObject | AddressObject[] | undefined,
): { address: string; name: string | null } | null {
  const obj = Array.isArray(a) ? a[0] : a;
  const first = obj?.value[0];
  if (!first?.address) return null;
  return { address: clean(first.address).toLowerCase(), name: clean(first.name) || null };
}

/** A signature logo or an image shown in the body: not a document anyone sent on purpose. */
function isInlineImage(a: Attachment): boolean {
  return (
    a.contentType.startsWith('image/') && (a.contentDisposition === 'inline' || !!a.cid || a.related === true)
  );
}

function isTnef(a: Attachment): boolean {
  return a.contentType === 'application/ms-tnef' || /^winmail\.dat$/i.test(a.filename ?? '');
}

function isMessage(a: Attachment): boolean {
  return a.contentType === 'message/rfc822' || /\.eml$/i.test(a.filename ?? '');
}

/** Parse raw RFC 5322 bytes. Attached messages are opened, their files listed after the message itself. */
export async function parseIncomingMessage(raw: Buffer, depth = 0, prefix = ''): Promise<IncomingMessage> {
  const mail = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
  const h = mail.headers;
  const authResults = h.get('authentication-results');
  const attachments: IncomingAttachment[] = [];
  const skipped: IncomingMessage['skipped'] = [];
  let n = 0;
  for (const a of mail.attachments) {
    n++;
    const filename = clean(a.filename ?? '') || `part-${prefix}${n}`;
    if (isInlineImage(a)) {
      skipped.push({ filename, reason: 'inline_image' });
      continue;
    }
    const part = `${prefix}${n}`;
    attachments.push({
      part,
      filename,
      contentType: a.contentType,
      size: a.content.length,
      sha256: sha256(a.content),
      content: a.content,
      nested: depth > 0,
    });
    // Outlook's winmail.dat: its files follow it, marked nested.
    if (isTnef(a)) {
      const files = readTnef(a.content);
      if (files) {
        (attachments[attachments.length - 1] as IncomingAttachment).unpacked = true;
        for (const [i, f] of files.entries()) {
          attachments.push({
            part: `${part}.${i + 1}`,
            filename: clean(f.filename) || `part-${part}.${i + 1}`,
            contentType: 'application/octet-stream',
            size: f.content.length,
            sha256: sha256(f.content),
            content: f.content,
            nested: true,
          });
        }
      }
    }
    // A forwarded message: its own files follow it, marked nested (at most a few levels deep).
    if (isMessage(a) && depth < 3) {
      const inner = await parseIncomingMessage(a.content, depth + 1, `${part}.`);
      attachments.push(...inner.attachments.map((x) => ({ ...x, nested: true })));
      skipped.push(...inner.skipped);
    }
  }
  return {
    messageId: clean(mail.messageId?.trim()) || null,
    from: firstAddress(mail.from),
    replyTo: firstAddress(mail.replyTo)?.address ?? null,
    subject: clean(mail.subject),
    sentAt: mail.date ?? null,
    inReplyTo: clean(mail.inReplyTo),
    references: Array.isArray(mail.references) ? mail.references : mail.references ? [mail.references] : [],
    headers: {
      autoSubmitted: headerText(h.get('auto-submitted')),
      precedence: headerText(h.get('precedence')),
      listId: headerText(h.get('list-id')),
      listUnsubscribe: headerText(h.get('list-unsubscribe')),
      xAutoreply: headerText(h.get('x-autoreply')) ?? headerText(h.get('x-autorespond')),
      xAutoResponseSuppress: headerText(h.get('x-auto-response-suppress')),
      returnPath: headerText(h.get('return-path')),
      authenticationResults:
        authResults === undefined ? [] : [authResults].flat().map((v) => headerText(v as HeaderValue) ?? ''),
      contentType: headerText(h.get('content-type')),
    },
    attachments,
    skipped,
  };
}

/** The header block of a raw message (up to the first empty line): enough for the reply rules, and cheap. */
export function headerBlock(raw: Buffer): Buffer {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const ends = [crlf >= 0 ? crlf + 4 : -1, lf >= 0 ? lf + 2 : -1].filter((i) => i >= 0);
  return ends.length ? raw.subarray(0, Math.min(...ends)) : raw;
}
