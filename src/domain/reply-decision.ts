import type { SenderTrust } from './review-reasons.js';

/** What decides whether, and to whom, a message is answered. */
export interface ReplyFacts {
  /** Decided when the message was stored: '' may be answered, a reason when not; null when not decided then. */
  storedNoReplyReason: string | null;
  /** For a message stored before that decision was kept: the RFC 3834 guard read from its headers now. */
  guardReason: string | null;
  isAutomatic: boolean;
  /** The `From` address (lower case), or null. */
  from: string | null;
  /** The `Reply-To` address, if the message had one. */
  replyTo: string | null;
  /** The office's own addresses: never answered. */
  own: readonly string[];
  trust: SenderTrust;
  /** Whether the sender's address belongs to an agency of the registry. */
  registrySender: boolean;
  receivedAt: Date;
  now: Date;
  maxAgeDays: number;
}

export type ReplyDecision =
  | {
      send: true;
      /** Always the `From` address: a `Reply-To` is not authenticated by anyone. */
      to: string;
      /** A stranger is told only what happened to the files: not their subject, titles or any standing. */
      minimal: boolean;
      /** A `Reply-To` on another address that was not used (recorded for staff). */
      replyToIgnored: string | null;
    }
  | { send: false; reason: string };

/**
 * Whether to answer a message, and to whom. Never automatic mail, bulk, a bounce or our own address
 * (RFC 3834); never a sender whose authentication failed (a forger's victim would get the mail); never mail
 * older than the limit (an initial scan of an old mailbox); and only ever the `From` address.
 */
export function decideReply(f: ReplyFacts): ReplyDecision {
  const from = f.from?.trim().toLowerCase() || null;
  const blocked =
    (f.storedNoReplyReason || null) ??
    f.guardReason ??
    (f.isAutomatic ? 'auto_submitted' : null) ??
    (!from ? 'no_sender' : null) ??
    (from && f.own.includes(from) ? 'own_address' : null) ??
    (f.trust === 'forged' ? 'authentication_failed' : null) ??
    (f.trust === 'ambiguous' ? 'ambiguous_sender' : null) ??
    (f.now.getTime() - f.receivedAt.getTime() > f.maxAgeDays * 86_400_000 ? 'too_old' : null);
  if (blocked || !from) return { send: false, reason: blocked ?? 'no_sender' };
  const replyTo = f.replyTo?.trim().toLowerCase() || null;
  return {
    send: true,
    to: from,
    minimal: !f.registrySender,
    replyToIgnored: replyTo && replyTo !== from ? replyTo : null,
  };
}

/**
 * The caps on acknowledgements: per address (its `+tag` variants counted as one: see `recipientKey`), and for
 * addresses outside the registry per domain and all together.
 */
export interface ReplyCaps {
  perAddress: { windowMs: number; max: number };
  perDomain: { windowMs: number; max: number } | null;
  outsideRegistry: { windowMs: number; max: number } | null;
}

export function replyCaps(
  registrySender: boolean,
  config: {
    ACK_MAX_PER_SENDER_PER_HOUR: number;
    ACK_MAX_PER_UNKNOWN_ADDRESS_PER_DAY: number;
    ACK_MAX_PER_UNKNOWN_DOMAIN_PER_DAY: number;
    ACK_MAX_UNKNOWN_PER_HOUR: number;
  },
): ReplyCaps {
  // A registry domain (hanoi.gov.vn) is shared by every agency: only addresses outside the registry are capped by
  // domain.
  return registrySender
    ? {
        perAddress: { windowMs: 3_600_000, max: config.ACK_MAX_PER_SENDER_PER_HOUR },
        perDomain: null,
        outsideRegistry: null,
      }
    : {
        perAddress: { windowMs: 86_400_000, max: config.ACK_MAX_PER_UNKNOWN_ADDRESS_PER_DAY },
        perDomain: { windowMs: 86_400_000, max: config.ACK_MAX_PER_UNKNOWN_DOMAIN_PER_DAY },
        outsideRegistry: { windowMs: 3_600_000, max: config.ACK_MAX_UNKNOWN_PER_HOUR },
      };
}

/**
 * The address a reply cap counts under: lower case, without a `+tag` (`vanthu+1@x.vn` and `vanthu+2@x.vn` reach the
 * same mailbox, so they share one cap); and the domain it counts under.
 */
export function recipientKey(address: string): { key: string; domain: string } {
  const a = address.trim().toLowerCase();
  const at = a.lastIndexOf('@');
  const local = at < 0 ? a : a.slice(0, at);
  const domain = at < 0 ? '' : a.slice(at + 1);
  const plus = local.indexOf('+');
  return { key: `${plus > 0 ? local.slice(0, plus) : local}@${domain}`, domain };
}
