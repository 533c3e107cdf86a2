import type { AuthVerdict } from './kinds.js';

// Why a message or a submission waits for a person. Stored in messages.review_reasons and
// submissions.review_reasons; the database's check constraints list the same values.

export const REVIEW_REASONS = [
  /** The sender's address is not in the agency registry. */
  'unknown_sender',
  /** The form names another agency than the one that sent it. */
  'agency_mismatch',
  /** Sender authentication failed: possibly a forged sender. */
  'spoofing',
  /**
   * The sender's authentication did not pass (SENDER_AUTH=strict), or the trusted server's check ended in an
   * error: not proven, not known to be forged.
   */
  'unverified_sender',
  /** The From cannot be read as one address (two From fields, several mailboxes, a raw address of another domain). */
  'ambiguous_sender',
  /** A file could not be processed (our failure, not the file's). */
  'failed_attachment',
  /** A reported result matches none of the agency's registered initiatives. */
  'unmatched_result',
  /** The message was over the size limit and was not opened. */
  'too_large',
  /** A form was read but no campaign is loaded for it: it counts for nothing until one is. */
  'no_campaign',
  /** The parser is unsure of some fields: the form counts, but a person should check them. */
  'uncertain_fields',
  /** More files than MAX_ATTACHMENTS_PER_MESSAGE: the rest were kept but not read. */
  'too_many_attachments',
  /** More MIME parts than MAX_MIME_PARTS: the rest are in the raw mail only. */
  'too_many_parts',
  /** Parts nested deeper than MAX_MIME_DEPTH: not read. */
  'too_deeply_nested',
  /** The mail's structure could not be read at all: kept as raw bytes. */
  'unreadable_message',
] as const;
export type ReviewReason = (typeof REVIEW_REASONS)[number];

/** Reasons that hold a submission back from counting (the others only ask for a look). */
export const HOLDING_REASONS: readonly ReviewReason[] = [
  'unknown_sender',
  'agency_mismatch',
  'spoofing',
  'unverified_sender',
  'ambiguous_sender',
];

export function isReviewReason(s: string): s is ReviewReason {
  return (REVIEW_REASONS as readonly string[]).includes(s);
}

/**
 * How far a message's `From` may be believed, from its stored verdict, its doubt and SENDER_AUTH:
 * - `ambiguous`: the From cannot be read as one address: hold for review, count nothing, answer nobody (whoever
 *   it names may not have sent it), whatever SENDER_AUTH says: it is a matter of reading, not of checking;
 * - `forged`: authentication failed: hold for review as a possible forgery, count nothing, answer nobody;
 * - `untrusted`: not proven (SENDER_AUTH=strict without a pass, or the trusted host's check ended in an error):
 *   hold a registry sender for review, but it is not a forgery;
 * - `trusted`: a registry address counts as its agency.
 * With SENDER_AUTH=off every readable sender is `trusted` (the operators decided to check nothing).
 */
export type SenderTrust = 'trusted' | 'untrusted' | 'forged' | 'ambiguous';

export function senderTrust(
  verdict: AuthVerdict,
  config: { SENDER_AUTH: 'strict' | 'default' | 'off' },
  doubt: string | null = null,
): SenderTrust {
  if (doubt !== null && doubt !== 'auth_error') return 'ambiguous';
  if (config.SENDER_AUTH === 'off') return 'trusted';
  if (verdict === 'fail') return 'forged';
  if (doubt === 'auth_error') return 'untrusted';
  if (config.SENDER_AUTH === 'strict') return verdict === 'pass' ? 'trusted' : 'untrusted';
  return 'trusted';
}
