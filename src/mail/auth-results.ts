import type { AuthVerdict } from '../domain/kinds.js';

/**
 * The sender-authentication verdict from Authentication-Results (RFC 8601), reading only the header the
 * trusted receiving host added (its authserv-id first): anyone can write such a header into a message.
 * DMARC decides when present; otherwise a DKIM or SPF pass is a pass, and an SPF fail without DKIM a fail.
 */
export function authVerdict(headers: readonly string[], trustedAuthservId: string | undefined): AuthVerdict {
  if (!trustedAuthservId) return 'none';
  const trusted = headers.find(
    (h) => h.trim().split(/[;\s]/)[0]?.toLowerCase() === trustedAuthservId.toLowerCase(),
  );
  if (!trusted) return 'none';
  const result = (method: string) =>
    new RegExp(`\\b${method}=([a-z]+)`, 'i').exec(trusted)?.[1]?.toLowerCase();
  const dmarc = result('dmarc');
  const dkim = result('dkim');
  const spf = result('spf');
  if (dmarc === 'pass') return 'pass';
  if (dmarc === 'fail') return 'fail';
  if (dkim === 'pass' || spf === 'pass') return 'pass';
  if (dkim === 'fail' || spf === 'fail') return 'fail';
  return 'none';
}
