import { getDomain } from 'tldts';
import type { Config } from '../config.js';
import type { AuthVerdict } from '../domain/kinds.js';
import { cleanHeader } from './clean-header.js';

/** One `method=result` statement of an Authentication-Results header, with its reason and properties. */
interface AuthStatement {
  /** Lower case, without its version: `spf`, `dkim`, `dmarc`, `arc`, … */
  method: string;
  /** Lower case: `pass`, `fail`, `softfail`, `none`, `temperror`, `permerror`, … */
  result: string;
  reason: string | null;
  /** `ptype.property` (lower case) → value, in order; a key may repeat. */
  properties: [string, string][];
}

/** One Authentication-Results header (RFC 8601 section 2.2), comments removed. */
interface AuthResultsHeader {
  /** As written (case kept); compare case-insensitively. */
  authservId: string;
  statements: AuthStatement[];
  /** Something after the last statement read could not be read: it was left out, never guessed. */
  malformed: boolean;
}

/** What the `From` of a message is known to be, from the results that may be believed. */
export type AuthOutcome = 'pass' | 'fail' | 'none' | 'temperror' | 'permerror';

/** A verdict with the reason for it, for the log and for staff. */
export interface SenderAuthentication {
  outcome: AuthOutcome;
  /** The stored verdict: both error outcomes are stored as `none` (neither proven nor disproven). */
  verdict: AuthVerdict;
  /** Which header and statement decided, e.g. `dmarc=fail from mx.example.vn`. */
  basis: string | null;
}

const KEYWORD = /[A-Za-z0-9_-]/;
const WSP = /[ \t\r\n]/;

/** A reader over one header value that skips whitespace and (nested) comments wherever RFC 5322 allows CFWS. */
class Reader {
  pos = 0;
  constructor(private readonly s: string) {}

  get done(): boolean {
    return this.pos >= this.s.length;
  }

  peek(): string {
    return this.s[this.pos] ?? '';
  }

  /** Skip folding whitespace and comments; false when a comment never closes. */
  skipCfws(): boolean {
    for (;;) {
      while (WSP.test(this.peek())) this.pos++;
      if (this.peek() !== '(') return true;
      let depth = 0;
      while (!this.done) {
        const c = this.s[this.pos++];
        if (c === '\\') this.pos++;
        else if (c === '(') depth++;
        else if (c === ')' && --depth === 0) break;
      }
      if (depth > 0) return false;
    }
  }

  eat(c: string): boolean {
    if (this.peek() !== c) return false;
    this.pos++;
    return true;
  }

  keyword(): string {
    const start = this.pos;
    while (KEYWORD.test(this.peek())) this.pos++;
    return this.s.slice(start, this.pos);
  }

  /** A quoted-string's content (escapes resolved), or null when it never closes. */
  quoted(): string | null {
    let out = '';
    this.pos++; // the opening quote
    while (!this.done) {
      const c = this.s[this.pos++];
      if (c === '"') return out;
      out += c === '\\' ? (this.s[this.pos++] ?? '') : c;
    }
    return null;
  }

  /**
   * A value: a quoted-string, or everything up to whitespace, `;` or a comment. A property value such as
   * `smtp.mailfrom=dmarc=pass@evil` is read whole (`=` is legal in an address), so it can never start a
   * statement of its own: statements start only after a `;` outside quotes and comments.
   */
  value(): string | null {
    if (this.peek() === '"') {
      const q = this.quoted();
      if (q === null) return null;
      // "quoted local part"@domain
      return this.peek() === '@' ? `${q}${this.token()}` : q;
    }
    const t = this.token();
    return t.length > 0 ? t : null;
  }

  private token(): string {
    const start = this.pos;
    while (!this.done && !WSP.test(this.peek()) && !';()"'.includes(this.peek())) this.pos++;
    return this.s.slice(start, this.pos);
  }

  /** Skip to the next `;` outside quotes and comments (after a statement that could not be read). */
  skipToSemicolon(): void {
    while (!this.done && this.peek() !== ';') {
      if (this.peek() === '"') {
        if (this.quoted() === null) return;
      } else if (this.peek() === '(') {
        if (!this.skipCfws()) return;
      } else this.pos++;
    }
  }
}

/**
 * Read one Authentication-Results header value (RFC 8601): the authserv-id, an optional version, then
 * `; method[/version]=result [reason=…] [ptype.property=value …]` statements; comments are dropped. Returns
 * null when not even the authserv-id can be read. A statement that cannot be read is left out and the
 * header marked malformed; what was read before and after it is kept.
 */
export function parseAuthenticationResults(value: string): AuthResultsHeader | null {
  const r = new Reader(value);
  if (!r.skipCfws()) return null;
  const authservId = r.value();
  if (!authservId || authservId.includes('=')) return null;
  const header: AuthResultsHeader = { authservId, statements: [], malformed: false };
  if (!r.skipCfws()) return { ...header, malformed: true };
  // authres-version: digits before the first `;`
  if (/[0-9]/.test(r.peek())) {
    r.keyword();
    r.skipCfws();
  }
  while (!r.done) {
    if (!r.eat(';')) {
      header.malformed = true;
      r.skipToSemicolon();
      continue;
    }
    const statement = readStatement(r);
    if (statement === 'empty') continue;
    if (statement === null) {
      header.malformed = true;
      r.skipToSemicolon();
      continue;
    }
    header.statements.push(statement);
  }
  return header;
}

function readStatement(r: Reader): AuthStatement | 'empty' | null {
  if (!r.skipCfws()) return null;
  if (r.done || r.peek() === ';') return 'empty';
  const method = r.keyword().toLowerCase();
  if (!method) return null;
  if (!r.skipCfws()) return null;
  if (r.eat('/')) {
    r.skipCfws();
    if (!r.keyword()) return null;
    r.skipCfws();
  }
  // `; none` (no-result): nothing was checked.
  if (method === 'none' && (r.done || r.peek() === ';')) return 'empty';
  if (!r.eat('=')) return null;
  r.skipCfws();
  const result = r.keyword().toLowerCase();
  if (!result) return null;
  const statement: AuthStatement = { method, result, reason: null, properties: [] };
  for (;;) {
    if (!r.skipCfws()) return null;
    if (r.done || r.peek() === ';') return statement;
    const ptype = r.keyword().toLowerCase();
    if (!ptype) return null;
    r.skipCfws();
    let key = ptype;
    if (r.eat('.')) {
      r.skipCfws();
      const property = r.keyword().toLowerCase();
      if (!property) return null;
      key = `${ptype}.${property}`;
      r.skipCfws();
    }
    if (!r.eat('=')) return null;
    r.skipCfws();
    const v = r.value();
    if (v === null) return null;
    // `reason=` is the statement's reason; a bare `key=value` (some servers write `action=none`) is kept as a
    // property nobody reads.
    if (key === 'reason') statement.reason = v;
    else statement.properties.push([key, v]);
  }
}

const prop = (s: AuthStatement, ...keys: string[]): string | undefined => {
  for (const key of keys) {
    const found = s.properties.find(([k]) => k === key)?.[1];
    if (found !== undefined && found !== '') return found;
  }
  return undefined;
};

/** The domain of an address or a bare domain (`user@Example.VN.` → `example.vn`). */
export function domainOf(addressOrDomain: string | null | undefined): string | null {
  if (!addressOrDomain) return null;
  const d = addressOrDomain
    .slice(addressOrDomain.lastIndexOf('@') + 1)
    .trim()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  return d.length > 0 ? d : null;
}

/**
 * DMARC relaxed alignment (RFC 7489 section 3.1): the same organizational domain, found with the public
 * suffix list, so `tuphap.hanoi.gov.vn` aligns with `hanoi.gov.vn` but `a.gov.vn` never with `b.gov.vn`
 * (`gov.vn` is a public suffix). A domain with no organizational domain (a suffix itself, an IP) aligns only
 * with itself.
 */
export function aligned(a: string | null | undefined, b: string | null | undefined): boolean {
  const x = domainOf(a);
  const y = domainOf(b);
  if (!x || !y) return false;
  if (x === y) return true;
  const ox = getDomain(x, { allowPrivateDomains: true });
  const oy = getDomain(y, { allowPrivateDomains: true });
  return ox !== null && ox === oy;
}

/** Whether a statement is about this `From`: DMARC names the From domain it checked; when it does not, yes. */
function aboutFrom(s: AuthStatement, fromDomain: string | null): boolean {
  const checked = prop(s, 'header.from');
  return checked === undefined || (fromDomain !== null && domainOf(checked) === fromDomain);
}

const ERRORS = ['temperror', 'permerror'] as const;

function alignedDkimPass(statements: readonly AuthStatement[], fromDomain: string | null): boolean {
  return statements.some(
    (s) =>
      s.method === 'dkim' &&
      s.result === 'pass' &&
      aligned(prop(s, 'header.d') ?? domainOf(prop(s, 'header.i')), fromDomain),
  );
}

/**
 * What one host's statements say about the From (RFC 7489 in short): DMARC decides when it has a result;
 * otherwise an SPF fail or softfail is a fail unless a DKIM signature aligned with the From passes, and an SPF
 * or DKIM pass counts only when aligned with the From domain (an unaligned pass proves nothing about it).
 */
function outcomeOf(
  statements: readonly AuthStatement[],
  fromDomain: string | null,
  options: { dkimVouched?: boolean; trusted?: boolean } = {},
): [AuthOutcome, string | null] {
  const of = (method: string) => statements.filter((s) => s.method === method);
  // The trusted host checked DMARC on another From than the one read here: the two readings of the From differ
  // (a From written to be read one way by the server and another way by us), so its result proves nothing and
  // the mail is not what it seems. Another host's result about another domain is only left out.
  const elsewhere = options.trusted ? of('dmarc').find((s) => !aboutFrom(s, fromDomain)) : undefined;
  if (elsewhere) return ['fail', `dmarc=${elsewhere.result} about another From`];
  const dmarc = of('dmarc').filter((s) => aboutFrom(s, fromDomain));
  const failed = dmarc.find((s) => s.result === 'fail');
  if (failed) return ['fail', 'dmarc=fail'];
  if (dmarc.some((s) => s.result === 'pass')) return ['pass', 'dmarc=pass'];
  const dkimAligned = options.dkimVouched || alignedDkimPass(statements, fromDomain);
  const spf = of('spf');
  const spfFail = spf.find((s) => s.result === 'fail' || s.result === 'softfail');
  if (spfFail && !dkimAligned) return ['fail', `spf=${spfFail.result}`];
  if (dkimAligned) return ['pass', 'dkim=pass (aligned)'];
  // RFC 7489: SPF's identity is the MAIL FROM domain, or the HELO name for a null sender.
  if (
    spf.some(
      (s) => s.result === 'pass' && aligned(prop(s, 'smtp.mailfrom') ?? prop(s, 'smtp.helo'), fromDomain),
    )
  )
    return ['pass', 'spf=pass (aligned)'];
  for (const e of ERRORS) {
    const hit = [...dmarc, ...of('dkim'), ...spf].find((s) => s.result === e);
    if (hit) return [e, `${hit.method}=${e}`];
  }
  return ['none', null];
}

/** TRUSTED_AUTHSERV_ID as a list: a site with several receiving hosts names each, separated by commas. */
function trustedAuthservIds(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s.length > 0);
}

/**
 * A header field of the message's trace, in the order the fields stand (top first): an Authentication-Results
 * value, or a Received field. Only their order relative to each other matters.
 */
export type TraceHeader = string | { received: string };

/** The host a Received field says received the mail (its `by` clause), lower case; null when it names none. */
export function receivedBy(received: string): string | null {
  // Comments out (the `from` clause's comment holds what the client said of itself), then the clauses in pairs:
  // `from` takes one value, whatever it is, so a client that greets as "by" cannot name the receiving host.
  const r = new Reader(received);
  let text = '';
  while (!r.done) {
    const at = r.pos;
    if (!r.skipCfws()) break;
    if (r.pos > at) text += ' ';
    else text += received[r.pos++];
  }
  const tokens = (text.split(';')[0] ?? '').split(/\s+/).filter(Boolean);
  for (let i = 0; i < tokens.length - 1; i++) {
    const clause = (tokens[i] ?? '').toLowerCase();
    if (clause === 'by') return domainOf(tokens[i + 1]);
    if (['from', 'via', 'with', 'id', 'for'].includes(clause)) i++;
  }
  return null;
}

/**
 * The sender-authentication verdict of a message from its Authentication-Results headers, asymmetric on
 * purpose: a `pass` is believed only from the office's own receiving host (every header it added, merged:
 * OpenDKIM and OpenDMARC often add one each), because anyone can write such a header into a mail; a `fail`
 * is believed from any header, because a forged fail can only hurt its forger.
 *
 * A header with the trusted id counts as the trusted host's only above the first Received field that host did not
 * write: headers are added on top, so whatever stands below a relay's Received came with the mail (the trusted
 * host's own Received may stand above or below its results, as milters on Postfix place them). Below that line it
 * is read like any other host's header. The receiving server must still delete such headers arriving with mail
 * sent to it directly, with no relay between (docs/security.md).
 */
export function senderAuthentication(
  headers: readonly TraceHeader[],
  options: { trustedAuthservId: string | undefined; from: string | null | undefined },
): SenderAuthentication {
  const trustedIds = trustedAuthservIds(options.trustedAuthservId);
  const fromDomain = domainOf(options.from);
  const trusted: AuthResultsHeader[] = [];
  const others: AuthResultsHeader[] = [];
  let belowForeignHop = false;
  for (const field of headers) {
    if (typeof field !== 'string') {
      const by = receivedBy(field.received);
      if (!by || !trustedIds.includes(by)) belowForeignHop = true;
      continue;
    }
    const h = parseAuthenticationResults(field);
    if (!h) continue;
    if (!belowForeignHop && trustedIds.includes(h.authservId.toLowerCase())) trusted.push(h);
    else others.push(h);
  }
  // The basis names a host a sender may have written: cleaned like any header text before it is logged or shown.
  const host = (h: AuthResultsHeader | undefined) => cleanHeader(h?.authservId ?? '').slice(0, 100);
  const trustedStatements = trusted.flatMap((h) => h.statements);
  const [outcome, basis] = outcomeOf(trustedStatements, fromDomain, { trusted: true });
  const result = (o: AuthOutcome, why: string | null): SenderAuthentication => ({
    outcome: o,
    verdict: o === 'pass' || o === 'fail' ? o : 'none',
    basis: why,
  });
  if (outcome === 'fail') return result('fail', `${basis} from ${host(trusted[0])}`);
  // Another host's SPF fail is outweighed by a DKIM signature aligned with the From that the trusted host
  // verified itself (as DMARC would conclude: forwarding breaks SPF, not DKIM); its DMARC fail is not.
  const dkimVouched = alignedDkimPass(trustedStatements, fromDomain);
  for (const h of others) {
    const [other, why] = outcomeOf(h.statements, fromDomain, { dkimVouched });
    if (other === 'fail') return result('fail', `${why} from ${host(h)} (not the trusted host)`);
  }
  return result(outcome, basis ? `${basis} from ${host(trusted[0])}` : null);
}

/**
 * What makes a message's `From` doubtful beside its verdict, found when it was stored (`messages.sender_doubt`):
 * - the From cannot be read as one address: two From fields, several mailboxes, a group, or a raw address whose
 *   domain is not the one read (`<agency@hanoi.gov.vn>@evil.example`);
 * - `auth_error`: the trusted host's check ended in `temperror` or `permerror`: neither proven nor disproven.
 */
const SENDER_DOUBTS = [
  'several_from_fields',
  'several_mailboxes',
  'group_address',
  'address_mismatch',
  'auth_error',
] as const;
export type SenderDoubt = (typeof SENDER_DOUBTS)[number];
export type FromAmbiguity = Exclude<SenderDoubt, 'auth_error'>;

/** The doubt to store with a message: its From's ambiguity first, else an error of the trusted host's check. */
export function senderDoubt(fromAmbiguity: FromAmbiguity | null, outcome: AuthOutcome): SenderDoubt | null {
  return fromAmbiguity ?? (outcome === 'temperror' || outcome === 'permerror' ? 'auth_error' : null);
}

/**
 * What is missing from the sender checking, in one line for the start-up log, /readyz and the digest; null when
 * a receiving host is configured and checking is on.
 */
export function senderAuthWarning(
  config: Pick<Config, 'TRUSTED_AUTHSERV_ID' | 'SENDER_AUTH'>,
): string | null {
  if (config.SENDER_AUTH === 'off') {
    return 'SENDER_AUTH=off: senders are not checked, a mail from a forged agency address counts as that agency';
  }
  if (!trustedAuthservIds(config.TRUSTED_AUTHSERV_ID).length) {
    return "TRUSTED_AUTHSERV_ID is not set: sender checking is not configured (no authentication pass is believed, only failures); set it to the authserv-id of the office's receiving mail server";
  }
  return null;
}
