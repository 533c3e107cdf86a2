import type { IncomingMessage } from './incoming-message.js';

/** The bare address of "Name <address>". */
export const addressOf = (from: string) => (/<([^>]+)>/.exec(from)?.[1] ?? from).trim().toLowerCase();

/** The addresses mail from the office goes out under: never to be answered. */
export const ownAddresses = (config: { MAIL_FROM: string; IMAP_USER: string }) =>
  [addressOf(config.MAIL_FROM), config.IMAP_USER.toLowerCase()].filter((a) => a.includes('@'));

export type NoReplyReason =
  | 'auto_submitted'
  | 'auto_reply_header'
  | 'bulk_precedence'
  | 'mailing_list'
  | 'bounce'
  | 'own_address'
  | 'no_sender';

/**
 * Whether an automatic reply may go to this message's sender (RFC 3834 §2): never to automatic mail
 * (Auto-Submitted other than "no", X-Autoreply, X-Auto-Response-Suppress), bulk or list mail, a bounce
 * (empty return path, MAILER-DAEMON, a delivery report), nor to one of our own addresses.
 */
export function replyBlocked(
  m: Pick<IncomingMessage, 'from' | 'headers'>,
  own: readonly string[],
): NoReplyReason | null {
  const h = m.headers;
  const from = m.from?.address.toLowerCase() ?? '';
  if (!from) return 'no_sender';
  if (own.some((a) => a.toLowerCase() === from)) return 'own_address';
  if (h.autoSubmitted && h.autoSubmitted.trim().toLowerCase().split(';')[0]?.trim() !== 'no')
    return 'auto_submitted';
  if (h.xAutoreply || /\b(oof|autoreply|all)\b/i.test(h.xAutoResponseSuppress ?? ''))
    return 'auto_reply_header';
  if (/^(bulk|junk|list|auto_reply)$/i.test(h.precedence?.trim() ?? '')) return 'bulk_precedence';
  if (h.listId || h.listUnsubscribe) return 'mailing_list';
  const returnPath = h.returnPath?.trim();
  if (returnPath !== undefined && returnPath !== null && /^<?\s*>?$/.test(returnPath)) return 'bounce';
  if (/^(mailer-daemon|postmaster|no-?reply|do-?not-?reply)@/i.test(from)) return 'bounce';
  if (/multipart\/report/i.test(h.contentType ?? '') && /delivery-status/i.test(h.contentType ?? ''))
    return 'bounce';
  return null;
}

/** Whether the message itself is automatic mail (an out-of-office reply, a bounce): never a submission. */
export function isAutomatic(m: Pick<IncomingMessage, 'from' | 'headers'>): boolean {
  const reason = replyBlocked(m, []);
  return reason === 'auto_submitted' || reason === 'auto_reply_header' || reason === 'bounce';
}
