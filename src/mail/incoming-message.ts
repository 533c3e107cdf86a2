import { createHash } from 'node:crypto';
import { type AddressObject, type Attachment, type HeaderValue, simpleParser } from 'mailparser';
import {
  DEFAULT_INTAKE_LIMITS,
  type IntakeLimitCode,
  type IntakeLimits,
  MAX_STORED_ATTACHMENTS,
} from '../domain/intake-limits.js';
import { type ArchiveEntryRefusal, type ArchiveLimits, readArchive } from './archive.js';
import type { FromAmbiguity, TraceHeader } from './auth-results.js';
import { cleanHeader } from './clean-header.js';
import { fromAmbiguity } from './from-ambiguity.js';
import { headerFields, traceOf } from './header-fields.js';
import { mimeShape } from './mime-shape.js';
import { readTnef } from './tnef.js';

interface IncomingAttachment {
  /** Position in MIME order: "2", or "2.1" for the first file inside an attached message. */
  part: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  content: Buffer;
  /** Found inside an attached (forwarded) message or a winmail.dat. */
  nested: boolean;
  /** A winmail.dat (TNEF) or a zip archive whose files were taken out and listed after it: nothing of its own to parse. */
  unpacked?: boolean;
  /** A file of an archive that is not read, and why (an encrypted entry, an archive inside the archive…). */
  refused?: ArchiveEntryRefusal;
}

/** What the pipeline needs of one email, decoded (RFC 2047/2231 names, transfer encodings). */
export interface IncomingMessage {
  messageId: string | null;
  /** The first mailbox of the first From field (see `fromAmbiguity` for whether that is the sender). */
  from: { address: string; name: string | null } | null;
  /** Why the From cannot be read as one address (two From fields, several mailboxes…), or null. */
  fromAmbiguity: FromAmbiguity | null;
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
    /** Every Authentication-Results value, top first (the `trace` says where each stands). */
    authenticationResults: string[];
    contentType: string | null;
  };
  /** Authentication-Results values and Received fields of the message's own header block, top first. */
  trace: TraceHeader[];
  /** Documents, in MIME order, forwarded messages opened; inline images and logos left out. */
  attachments: IncomingAttachment[];
  /** Parts left out, and why. */
  skipped: { filename: string; reason: 'inline_image' }[];
  /**
   * Parts of the raw message that were not read, or read but not listed (over MAX_STORED_ATTACHMENTS), and the
   * limit that left them out (null when everything was read). The raw bytes still hold them.
   */
  unlisted: { count: number; reason: IntakeLimitCode | null };
  /** What was found wrong and dropped while reading the headers (`date_out_of_range`, `message_id_too_long`). */
  warnings: string[];
}

export interface ParseOptions {
  limits?: IntakeLimits;
  /** The bounds a zip archive's files are taken out under (src/mail/archive.ts). */
  archive?: ArchiveLimits;
  /** For an attached message: how deep it is, and the part number its files' numbers start with. */
  depth?: number;
  prefix?: string;
}

// PostgreSQL's timestamptz reaches from 4713 BC to 294276 AD, but a year outside 1..9999 is not a date anyone sent
// a mail on, and the driver cannot write every JavaScript date (year -10000, say) in a form the server accepts.
const EARLIEST = new Date('0001-01-01T00:00:00Z').getTime();
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59);

/** A date PostgreSQL can store and a person would believe, or null. */
export function storableDate(d: Date | null | undefined): Date | null {
  if (!(d instanceof Date)) return null;
  const t = d.getTime();
  return Number.isFinite(t) && t >= EARLIEST && t <= LATEST ? d : null;
}

// A unique B-tree index entry holds at most about 2.7 KB: a longer Message-ID would make the insert fail. No real
// Message-ID comes near this; the message is then keyed by its bytes instead.
const MAX_MESSAGE_ID_LENGTH = 900;

/** The content type an opened zip archive is stored with, whatever its mail called it. */
const ARCHIVE_TYPE = 'application/zip';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const clean = cleanHeader;

/** A header's value as one cleaned line of text (null when absent). */
function headerText(value: HeaderValue | undefined): string | null {
  return clean(rawHeaderText(value));
}

function rawHeaderText(value: HeaderValue | undefined): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((v) => rawHeaderText(v as HeaderValue) ?? '').join(', ');
  if (value instanceof Date) return storableDate(value)?.toISOString() ?? null;
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
  const address = clean(first?.address ?? '').toLowerCase();
  // RFC 5321 caps a path at 254 characters: anything longer is no address to answer (nor to index).
  if (!address || address.length > 254) return null;
  return { address, name: clean(first?.name) || null };
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

/**
 * Parse raw RFC 5322 bytes. Attached messages are opened, their files listed after the message itself. Every
 * header field comes out cleaned (cleanHeader); parts over the MIME limits are not read and files past
 * MAX_STORED_ATTACHMENTS not listed (both counted in `unlisted`). Throws only when the MIME parser itself does.
 */
export async function parseIncomingMessage(
  raw: Buffer,
  options: ParseOptions = {},
): Promise<IncomingMessage> {
  const limits = options.limits ?? DEFAULT_INTAKE_LIMITS;
  const depth = options.depth ?? 0;
  const prefix = options.prefix ?? '';
  // Limits before work: measured on the raw lines, so the MIME parser only ever sees the parts within them.
  const shape = mimeShape(raw, limits);
  const readable = shape.cutAt === null ? raw : raw.subarray(0, shape.cutAt);
  const mail = await simpleParser(readable, {
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipImageLinks: true,
    // The parser's own node limit (1,000 by default) must not be met below the configured one.
    ...(limits.maxParts >= 1000 ? { maxChildNodes: limits.maxParts + 10 } : {}),
  } as Parameters<typeof simpleParser>[1]);
  const h = mail.headers;
  // Trust is read from the header block as written: how many From fields, which results stand above which hop.
  const fields = headerFields(raw);
  const trace = traceOf(fields);
  const attachments: IncomingAttachment[] = [];
  const skipped: IncomingMessage['skipped'] = [];
  const warnings: string[] = [];
  const unlisted: IncomingMessage['unlisted'] = {
    count: shape.partsBeyond,
    reason: shape.cutReason,
  };
  // Files past the hard cap are counted, not kept: a winmail.dat or a forwarded mail can hold thousands.
  const list = (a: IncomingAttachment) => {
    if (attachments.length < MAX_STORED_ATTACHMENTS) attachments.push(a);
    else {
      unlisted.count++;
      unlisted.reason ??= 'too_many_attachments';
    }
  };
  // The files a container held (a winmail.dat, a zip): each listed after it, marked nested, under its own name.
  const listUnpacked = (
    part: string,
    files: readonly { filename: string; content: Buffer; refused?: IncomingAttachment['refused'] }[],
  ) => {
    for (const [i, f] of files.entries()) {
      list({
        part: `${part}.${i + 1}`,
        filename: clean(f.filename) || `part-${part}.${i + 1}`,
        contentType: 'application/octet-stream',
        size: f.content.length,
        sha256: sha256(f.content),
        content: f.content,
        nested: true,
        ...(f.refused ? { refused: f.refused } : {}),
      });
    }
  };
  let n = 0;
  for (const a of mail.attachments) {
    n++;
    const filename = clean(a.filename ?? '') || `part-${prefix}${n}`;
    if (isInlineImage(a)) {
      skipped.push({ filename, reason: 'inline_image' });
      continue;
    }
    const part = `${prefix}${n}`;
    const listedBefore = attachments.length;
    list({
      part,
      filename,
      contentType: clean(a.contentType) || 'application/octet-stream',
      size: a.content.length,
      sha256: sha256(a.content),
      content: a.content,
      nested: depth > 0,
    });
    // Outlook's winmail.dat: its files follow it, marked nested.
    if (isTnef(a) && attachments.length > listedBefore) {
      const files = readTnef(a.content);
      if (files) {
        (attachments[attachments.length - 1] as IncomingAttachment).unpacked = true;
        listUnpacked(part, files);
      }
    }
    // A zip archive of files (not a document that is a zip): its files follow it, marked nested, each under its
    // own name; the archive itself is kept and, like a winmail.dat, not parsed. One that breaks a bound as a
    // whole stays one file, for the parser to refuse with its reason.
    if (!isTnef(a) && !isMessage(a) && attachments.length > listedBefore) {
      const files = await readArchive(a.content, options.archive);
      if (files) {
        const container = attachments[attachments.length - 1] as IncomingAttachment;
        container.unpacked = true;
        // Named by its content: the acknowledgement says "tệp … trong tệp nén …" of the files after it.
        container.contentType = ARCHIVE_TYPE;
        listUnpacked(part, files);
      }
    }
    // A forwarded message: its own files follow it, marked nested (at most a few levels deep).
    if (isMessage(a) && depth < 3 && attachments.length > listedBefore) {
      // An attached message the reader gives up on stays one file (listed above); the rest of the mail is read.
      const inner = await parseIncomingMessage(a.content, {
        limits,
        ...(options.archive ? { archive: options.archive } : {}),
        depth: depth + 1,
        prefix: `${part}.`,
      }).catch(() => null);
      if (!inner) warnings.push('attached_message_unreadable');
      for (const x of inner?.attachments ?? []) list({ ...x, nested: true });
      skipped.push(...(inner?.skipped ?? []));
      if (inner && inner.unlisted.count > 0) {
        unlisted.count += inner.unlisted.count;
        unlisted.reason ??= inner.unlisted.reason;
      }
    }
  }
  let messageId = clean(mail.messageId) || null;
  if (messageId && messageId.length > MAX_MESSAGE_ID_LENGTH) {
    warnings.push('message_id_too_long');
    messageId = null;
  }
  const sentAt = storableDate(mail.date);
  if (mail.date && !sentAt) warnings.push('date_out_of_range');
  const references = (
    Array.isArray(mail.references) ? mail.references : mail.references ? [mail.references] : []
  )
    .map((r) => clean(r))
    .filter((r) => r.length > 0);
  const from = firstAddress(mail.from);
  return {
    messageId,
    from,
    fromAmbiguity: fromAmbiguity(fields, mail.from, from?.address ?? null),
    replyTo: firstAddress(mail.replyTo)?.address ?? null,
    subject: clean(mail.subject),
    sentAt,
    inReplyTo: clean(mail.inReplyTo) || null,
    references,
    headers: {
      autoSubmitted: headerText(h.get('auto-submitted')),
      precedence: headerText(h.get('precedence')),
      listId: headerText(h.get('list-id')),
      listUnsubscribe: headerText(h.get('list-unsubscribe')),
      xAutoreply: headerText(h.get('x-autoreply')) ?? headerText(h.get('x-autorespond')),
      xAutoResponseSuppress: headerText(h.get('x-auto-response-suppress')),
      returnPath: headerText(h.get('return-path')),
      authenticationResults: trace.filter((t): t is string => typeof t === 'string'),
      contentType: headerText(h.get('content-type')),
    },
    trace,
    attachments,
    skipped,
    unlisted,
    warnings,
  };
}

/** The header block of a raw message (up to the first empty line): enough for the reply rules, and cheap. */
export function headerBlock(raw: Buffer): Buffer {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const ends = [crlf >= 0 ? crlf + 4 : -1, lf >= 0 ? lf + 2 : -1].filter((i) => i >= 0);
  return ends.length ? raw.subarray(0, Math.min(...ends)) : raw;
}
