import type { TraceHeader } from './auth-results.js';
import { cleanHeader } from './clean-header.js';

/** One field of a header block, unfolded: its name in lower case and its value as written (not decoded). */
export interface HeaderField {
  name: string;
  value: string;
}

// RFC 5322 field names are printable ASCII but the colon; the obsolete syntax allows blanks before the colon.
const FIELD = /^([!-9;-~]+)[ \t]*:/;

/**
 * The fields of a raw message's own header block (up to the first empty line), in the order they stand, each
 * unfolded. The MIME parser merges and reorders fields; what a field says about the mail's trust depends on how
 * many there are (two From fields) and where it stands (above or below a relay's Received), so those questions
 * are asked of the bytes. A line that is no field (no name, no colon) is skipped.
 */
export function headerFields(raw: Buffer): HeaderField[] {
  const fields: HeaderField[] = [];
  let at = 0;
  while (at < raw.length) {
    const nl = raw.indexOf(0x0a, at);
    const next = nl < 0 ? raw.length : nl + 1;
    let end = nl < 0 ? raw.length : nl;
    if (end > at && raw[end - 1] === 0x0d) end--;
    if (end === at) break; // the empty line: the body starts
    const line = raw.toString('utf8', at, end);
    at = next;
    const last = fields[fields.length - 1];
    if ((line[0] === ' ' || line[0] === '\t') && last) {
      last.value += line;
      continue;
    }
    const m = FIELD.exec(line);
    if (m) fields.push({ name: (m[1] ?? '').toLowerCase(), value: line.slice(m[0].length) });
  }
  return fields;
}

/**
 * The trace of a message, top first: each Authentication-Results value (cleaned to one line), and each Received
 * field as `{ received }`. See `senderAuthentication` for why their order matters.
 */
export function traceOf(fields: readonly HeaderField[]): TraceHeader[] {
  const trace: TraceHeader[] = [];
  for (const f of fields) {
    if (f.name === 'authentication-results') trace.push(cleanHeader(f.value));
    else if (f.name === 'received') trace.push({ received: cleanHeader(f.value) });
  }
  return trace;
}
