import { domainToASCII } from 'node:url';
import type { AddressObject } from 'mailparser';
import { domainOf, type FromAmbiguity } from './auth-results.js';
import type { HeaderField } from './header-fields.js';

// RFC 2047 encoded words: decoded they are display text, never an address, whatever they spell.
const ENCODED_WORD = /=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=/g;
const AT_DOMAIN = /@\s*(\[[^\]]*\]|[^\s@<>,;:"()[\]]+)/g;

/**
 * The domains that follow an `@` in a From field as written, outside quoted strings, comments and encoded words;
 * null when a quoted string or a comment never closes (the field cannot be read one way only).
 */
function rawAddressDomains(value: string): string[] | null {
  const s = value.replace(ENCODED_WORD, ' ');
  let text = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && (quoted || depth > 0)) i++;
    else if (quoted) quoted = c !== '"';
    else if (depth > 0) depth += c === '(' ? 1 : c === ')' ? -1 : 0;
    else if (c === '"') [quoted, text] = [true, `${text} `];
    else if (c === '(') [depth, text] = [1, `${text} `];
    else text += c;
  }
  if (quoted || depth > 0) return null;
  return [...text.matchAll(AT_DOMAIN)].map((m) => comparable(m[1]));
}

const comparable = (domain: string | undefined): string => {
  const d = domainOf(domain) ?? '';
  return domainToASCII(d) || d;
};

/**
 * Why a message's From cannot be read as one address, or null when it can: two From fields (a reader may take
 * either), a group or several mailboxes (whose mail is it?), or a field whose raw address names another domain
 * than the address read from it (`<agency@hanoi.gov.vn>@evil.example` is read as the agency's address here while
 * a receiving server checks `evil.example`). A mail with no From at all is not ambiguous: it has no sender.
 */
export function fromAmbiguity(
  fields: readonly HeaderField[],
  parsed: AddressObject | AddressObject[] | undefined,
  address: string | null,
): FromAmbiguity | null {
  const written = fields.filter((f) => f.name === 'from');
  if (written.length > 1) return 'several_from_fields';
  const entries = (parsed === undefined ? [] : [parsed].flat()).flatMap((o) => o.value);
  if (entries.some((e) => e.group !== undefined)) return 'group_address';
  if (entries.length > 1) return 'several_mailboxes';
  const field = written[0];
  if (!field || !address) return null;
  const domains = rawAddressDomains(field.value);
  const read = comparable(address);
  if (domains === null || domains.some((d) => d !== read)) return 'address_mismatch';
  return null;
}
