import { cleanHeader } from './clean-header.js';

/** One recipient a delivery report speaks of. */
interface ReportedRecipient {
  /** The address the mail was sent to: Original-Recipient when given, else Final-Recipient (lower case). */
  address: string;
  finalRecipient: string | null;
  originalRecipient: string | null;
  /** `failed`, `delayed`, `delivered`, `relayed`, `expanded` (RFC 3464 §2.3.3), or null when not said. */
  action: string | null;
  /** The enhanced status code (RFC 3463), `5.1.1`; null when the report gives none. */
  status: string | null;
  /** The remote server's words, one line, for a person to read in the log. */
  diagnostic: string | null;
}

/** What a bounce says: who could not be reached, and which of our messages it returns. */
export interface DeliveryReport {
  /** `dsn`: a multipart/report with a message/delivery-status part; `plain`: a text bounce from a mail server. */
  format: 'dsn' | 'plain';
  reportingMta: string | null;
  recipients: ReportedRecipient[];
  /** The recipients whose delivery failed for good (Action: failed with a 5.x.x status, or no status). */
  failed: ReportedRecipient[];
  /** The Message-ID of the returned message (its quoted headers, X-Original-Message-ID, or In-Reply-To). */
  originalMessageId: string | null;
}

interface Part {
  headers: Map<string, string>;
  type: string;
  params: Map<string, string>;
  body: string;
}

// Limits before work: a report is a few kilobytes; a hostile one must not make this walk deep or wide.
const MAX_DEPTH = 4;
const MAX_PARTS = 50;
const MAX_TEXT = 256 * 1024;
// A reminder goes to a handful of addresses: more recipients than this in one report are not ours to look up.
const MAX_RECIPIENTS = 100;

const ADDRESS = /[^\s<>"(),;:]+@[^\s<>"(),;:]+\.[^\s<>"(),;:]+/;

/** Header block → lower-case name to unfolded value (the first occurrence wins, as for Message-ID). */
function parseHeaderBlock(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  const unfolded = block.replace(/\r?\n[ \t]+/g, ' ');
  for (const line of unfolded.split(/\r?\n/)) {
    const m = /^([!-9;-~]+)[ \t]*:[ \t]*(.*)$/.exec(line);
    if (!m?.[1]) continue;
    const name = m[1].toLowerCase();
    if (!headers.has(name)) headers.set(name, (m[2] ?? '').trim());
  }
  return headers;
}

function splitHead(text: string): { head: string; body: string } {
  const m = /\r?\n\r?\n/.exec(text);
  if (!m) return { head: text, body: '' };
  return { head: text.slice(0, m.index), body: text.slice(m.index + m[0].length) };
}

function contentType(value: string | undefined): { type: string; params: Map<string, string> } {
  const [type = '', ...rest] = (value ?? 'text/plain').split(';');
  const params = new Map<string, string>();
  for (const p of rest) {
    const m = /^\s*([^=\s]+)\s*=\s*(?:"([^"]*)"|([^\s;]*))/.exec(p);
    if (m?.[1]) params.set(m[1].toLowerCase(), m[2] ?? m[3] ?? '');
  }
  return { type: type.trim().toLowerCase() || 'text/plain', params };
}

/** The body as text: base64 and quoted-printable undone, bytes read as UTF-8 (addresses are ASCII either way). */
function decodeBody(body: string, encoding: string | undefined): string {
  const enc = (encoding ?? '').trim().toLowerCase();
  let bytes: Buffer;
  if (enc === 'base64') bytes = Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  else if (enc === 'quoted-printable') {
    const soft = body.replace(/=\r?\n/g, '');
    bytes = Buffer.from(
      soft.replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
      'latin1',
    );
  } else bytes = Buffer.from(body, 'latin1');
  return bytes.toString('utf8');
}

/** The leaves of a MIME tree; message/* parts are leaves (their headers are what a report returns). */
function leaves(text: string, depth: number, out: Part[]): void {
  if (out.length >= MAX_PARTS) return;
  const { head, body } = splitHead(text);
  const headers = parseHeaderBlock(head);
  const { type, params } = contentType(headers.get('content-type'));
  const boundary = params.get('boundary');
  if (type.startsWith('multipart/') && boundary && depth < MAX_DEPTH) {
    const delimiter = `--${boundary}`;
    const lines = body.split(/\r?\n/);
    let current: string[] | null = null;
    for (const line of lines) {
      if (line.startsWith(delimiter)) {
        if (current) leaves(current.join('\n'), depth + 1, out);
        if (line.startsWith(`${delimiter}--`)) {
          current = null;
          break;
        }
        current = [];
      } else current?.push(line);
    }
    // A report cut short (no closing delimiter) still gives what it holds.
    if (current) leaves(current.join('\n'), depth + 1, out);
    return;
  }
  out.push({
    headers,
    type,
    params,
    body: type.startsWith('message/') ? body : decodeBody(body, headers.get('content-transfer-encoding')),
  });
}

/** `rfc822; Name@Example.org` or `<name@example.org>` → `name@example.org`. */
function addressField(value: string | undefined): string | null {
  if (!value) return null;
  // An address is at most 254 characters (RFC 5321): a longer field is cut before the search, which would
  // otherwise try every starting point of a long run of characters.
  const field = value.slice(0, 400);
  const bare = field.includes(';') ? field.slice(field.indexOf(';') + 1) : field;
  const m = ADDRESS.exec(bare);
  return m ? m[0].replace(/\.$/, '').toLowerCase() : null;
}

function statusCode(value: string | undefined): string | null {
  const m = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/.exec(value ?? '');
  return m ? `${m[1]}.${m[2]}.${m[3]}` : null;
}

function messageId(value: string | undefined): string | null {
  const m = /<[^<>\s]+@[^<>\s]+>/.exec((value ?? '').slice(0, 2000));
  return m ? m[0] : null;
}

const isFailed = (r: ReportedRecipient) =>
  (r.action === 'failed' || (r.action === null && r.status?.startsWith('5') === true)) &&
  (r.status === null || r.status.startsWith('5'));

/** The groups of a message/delivery-status body (RFC 3464 §2.1): per-message fields, then one per recipient. */
function readDeliveryStatus(body: string): { reportingMta: string | null; recipients: ReportedRecipient[] } {
  // Some servers put the status body behind its own header block or a transfer encoding: the groups are
  // what matters, so every paragraph is read as fields.
  const groups = body
    .split(/\r?\n[ \t]*\r?\n/)
    .map(parseHeaderBlock)
    .filter((g) => g.size > 0);
  let reportingMta: string | null = null;
  const recipients: ReportedRecipient[] = [];
  for (const g of groups) {
    const mta = g.get('reporting-mta');
    if (mta && !reportingMta) reportingMta = cleanHeader(mta.replace(/^[^;]*;\s*/, '')) || null;
    const finalRecipient = addressField(g.get('final-recipient'));
    const originalRecipient = addressField(g.get('original-recipient'));
    const address = originalRecipient ?? finalRecipient;
    if (!address) continue;
    if (recipients.length >= MAX_RECIPIENTS) break;
    recipients.push({
      address,
      finalRecipient,
      originalRecipient,
      action: g.get('action')?.trim().split(/\s/)[0]?.toLowerCase() || null,
      status: statusCode(g.get('status')),
      diagnostic: cleanHeader(g.get('diagnostic-code') ?? '').slice(0, 500) || null,
    });
  }
  return { reportingMta, recipients };
}

const RETURNED_HEADERS = new Set([
  'message/rfc822',
  'message/global',
  'text/rfc822-headers',
  'message/rfc822-headers',
  'message/global-headers',
]);

// Where a text bounce starts quoting the returned message (Exim, qmail, Sendmail, Exchange's plain form…).
const QUOTE_MARKER =
  /^[ \t-]*(?:this is a copy of the message|below this line is a copy of the message|original message(?: headers)?|returned message|unsent message below|original message follows|the original message was received)[^\n]*$/im;

// Where a text bounce lists the addresses that failed, one per line after it.
const FAILED_HEADING =
  /(?:following address(?:es|\(es\))? (?:failed|had permanent fatal errors)|delivery to the following recipients? failed(?: permanently)?|could not be delivered to the following recipients?|following recipients? could not be reached|following recipients? failed)[^\n]*\n/i;

const DELAY =
  /(?:delivery (?:has been )?delayed|not yet been delivered|will (?:continue|keep) (?:to )?try|still trying|warning: message .* delayed)/i;

/** A text bounce (no delivery-status part): X-Failed-Recipients, the addresses listed under a heading, qmail's `<a>:`. */
function readPlainBounce(
  headers: Map<string, string>,
  text: string,
): { recipients: ReportedRecipient[]; quoted: string | null } {
  const marker = QUOTE_MARKER.exec(text);
  const explanation = marker ? text.slice(0, marker.index) : text;
  const quoted = marker ? text.slice(marker.index + marker[0].length) : null;
  const found = new Set<string>();
  for (const a of (headers.get('x-failed-recipients') ?? '').split(',')) {
    const address = addressField(a);
    if (address) found.add(address);
  }
  const heading = FAILED_HEADING.exec(explanation);
  if (heading) {
    const after = explanation.slice(heading.index + heading[0].length).split(/\r?\n/);
    let seen = false;
    for (const line of after) {
      const trimmed = line.trim();
      if (!trimmed) {
        if (seen) break;
        continue;
      }
      // A line that is an address alone (`user@host`, `<user@host>`, `user@host:`); the server's explanation
      // lines below it mention addresses too, but never alone.
      const m = /^<?([^\s<>"(),;:]+@[^\s<>"(),;:]+)>?:?$/.exec(trimmed);
      if (m?.[1]) {
        found.add(m[1].toLowerCase());
        seen = true;
      } else if (!seen) break;
    }
  }
  // qmail: "<user@host>:" at the start of a line, the reason on the next.
  for (const m of explanation.matchAll(/^<([^\s<>]+@[^\s<>]+)>:[ \t]*$/gm)) {
    if (m[1]) found.add(m[1].toLowerCase());
  }
  const delayed = DELAY.test(`${headers.get('subject') ?? ''}\n${explanation}`);
  const status = statusCode(/\b5\.\d{1,3}\.\d{1,3}\b/.exec(explanation)?.[0]);
  const diagnostic =
    cleanHeader(/^[ \t]*(5\d\d[ -][^\r\n]*)/m.exec(explanation)?.[1] ?? '').slice(0, 500) || null;
  const recipients = [...found].slice(0, MAX_RECIPIENTS).map((address) => ({
    address,
    finalRecipient: address,
    originalRecipient: null,
    action: delayed ? 'delayed' : 'failed',
    status: delayed ? null : status,
    diagnostic: delayed ? null : diagnostic,
  }));
  return { recipients, quoted };
}

/** Whether the mail comes from a mail system rather than a person: how text bounces are told from other mail. */
function fromMailSystem(headers: Map<string, string>): boolean {
  const from = headers.get('from') ?? '';
  const returnPath = headers.get('return-path');
  return (
    /\b(?:mailer-daemon|postmaster)@/i.test(from) ||
    /mail delivery (?:subsystem|system)/i.test(from) ||
    headers.has('x-failed-recipients') ||
    (returnPath !== undefined && /^<?\s*>?$/.test(returnPath.trim()))
  );
}

/**
 * Read a delivery-status notification (RFC 3464: multipart/report; report-type=delivery-status) or a text
 * bounce from a mail server quoting the original headers. Returns null for any other mail, and a report with
 * no `failed` recipients for a delay warning or a success notice. Pure: the raw bytes in, no I/O.
 */
export function parseDeliveryReport(raw: Buffer | string): DeliveryReport | null {
  const text =
    typeof raw === 'string' ? raw.slice(0, MAX_TEXT) : raw.subarray(0, MAX_TEXT).toString('latin1');
  const { head } = splitHead(text);
  const headers = parseHeaderBlock(head);
  const parts: Part[] = [];
  leaves(text, 0, parts);
  const ownId = (): string | null =>
    messageId(headers.get('x-original-message-id')) ?? messageId(headers.get('in-reply-to'));
  const returned = parts.find((p) => RETURNED_HEADERS.has(p.type));
  const returnedId = returned
    ? messageId(parseHeaderBlock(splitHead(returned.body).head).get('message-id'))
    : null;

  const status = parts.find(
    (p) => p.type === 'message/delivery-status' || p.type === 'message/global-delivery-status',
  );
  if (status) {
    const body =
      status.headers.get('content-transfer-encoding') !== undefined
        ? decodeBody(status.body, status.headers.get('content-transfer-encoding'))
        : status.body;
    const { reportingMta, recipients } = readDeliveryStatus(body);
    return {
      format: 'dsn',
      reportingMta,
      recipients,
      failed: recipients.filter(isFailed),
      originalMessageId: returnedId ?? ownId(),
    };
  }

  if (!fromMailSystem(headers)) return null;
  const bodyText = parts
    .filter((p) => p.type === 'text/plain')
    .map((p) => p.body)
    .join('\n');
  const { recipients, quoted } = readPlainBounce(headers, bodyText);
  if (recipients.length === 0) return null;
  let quotedId: string | null = null;
  if (quoted) {
    // The quoted headers start after blank lines (and, in some servers, indented by a space or two).
    const block = quoted.replace(/^\s*\n/, '').replace(/^[ \t]{1,4}(?=\S)/gm, '');
    quotedId =
      messageId(parseHeaderBlock(splitHead(block).head).get('message-id')) ??
      messageId(/^[ \t]*Message-ID:[ \t]*(<[^>\s]+>)/im.exec(quoted)?.[1]);
  }
  return {
    format: 'plain',
    reportingMta: null,
    recipients,
    failed: recipients.filter(isFailed),
    originalMessageId: returnedId ?? quotedId ?? ownId(),
  };
}
