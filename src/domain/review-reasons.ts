import type { IntakeLimitCode } from './intake-limits.js';
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
const HOLDING_REASONS: readonly ReviewReason[] = [
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

/** Whether these reasons hold a form back from counting (the others only ask for a look). */
export function isHeld(reasons: readonly string[]): boolean {
  return reasons.some((r) => (HOLDING_REASONS as readonly string[]).includes(r));
}

/** What is known of who sent a message: all the review of its sender needs. */
export interface SenderFacts {
  /** The `From` address belongs to an agency of the registry. */
  registered: boolean;
  /** Automatic mail (an out-of-office reply, a bounce, a list): kept, never a submission, never answered. */
  automatic: boolean;
  trust: SenderTrust;
}

/**
 * Why its sender alone holds a message, and every form in it, for a person: an address outside the registry
 * (automatic mail aside: it submits nothing), a `From` that is not one address, a failed authentication, or a
 * registry address whose authentication was not proven (SENDER_AUTH=strict, or the check ended in an error).
 * An unknown sender is held as unknown whatever its authentication: proving a stranger's address adds nothing.
 */
export function senderReviewReasons(f: SenderFacts): ReviewReason[] {
  const reasons: ReviewReason[] = [];
  if (!f.registered && !f.automatic) reasons.push('unknown_sender');
  if (f.trust === 'ambiguous') reasons.push('ambiguous_sender');
  else if (f.trust === 'forged') reasons.push('spoofing');
  else if (f.trust === 'untrusted' && f.registered) reasons.push('unverified_sender');
  return reasons;
}

/** Reasons that doubt who sent a mail (an agency mismatch doubts the form, not the sender). */
const SENDER_DOUBTS: readonly string[] = [
  'unknown_sender',
  'spoofing',
  'unverified_sender',
  'ambiguous_sender',
];

/** Whether a mail's sender is in doubt: a page then names it by its address alone, never as an agency. */
export function senderDoubted(reasons: readonly string[]): boolean {
  return reasons.some((r) => SENDER_DOUBTS.includes(r));
}

/**
 * Why a message waits for a person as it is stored: its sender, files past MAX_ATTACHMENTS_PER_MESSAGE kept
 * unread, and a part of it left out of the listing (too many parts, nested too deep); or a structure that could
 * not be read at all.
 */
export function intakeReviewReasons(
  f: SenderFacts & { filesBeyondLimit: boolean; unlisted: IntakeLimitCode | null },
): ReviewReason[] {
  const reasons = senderReviewReasons(f);
  if (f.filesBeyondLimit) reasons.push('too_many_attachments');
  if (f.unlisted && !reasons.includes(f.unlisted)) reasons.push(f.unlisted);
  return reasons;
}

/** The reasons of a message whose structure could not be read: kept as raw bytes for a person. */
export const UNREADABLE_MESSAGE_REASONS: readonly ReviewReason[] = ['unreadable_message'];

/**
 * Why a message waits for a person once every file of it has ended: what was decided when it was stored, what
 * holds or questions each of its forms, its sender (decided again by the same rule, for a message stored before
 * its reasons were kept), and a file that could not be processed.
 */
export function messageReviewReasons(m: {
  stored: readonly string[];
  sender: SenderFacts;
  files: readonly { state: string; submission: { review_reasons: readonly string[] } | null }[];
}): string[] {
  const reasons = new Set<string>(m.stored);
  for (const f of m.files) for (const r of f.submission?.review_reasons ?? []) reasons.add(r);
  for (const r of senderReviewReasons(m.sender)) reasons.add(r);
  if (m.files.some((f) => f.state === 'failed')) reasons.add('failed_attachment');
  return [...reasons];
}

/** Where a message ends once its files have: with a person when anything asks for one, else processed. */
export function settledState(reasons: readonly string[]): 'needs_review' | 'processed' {
  return reasons.length > 0 ? 'needs_review' : 'processed';
}

/** A message's reasons and state once one of its forms is held again (a replay, an undone confirmation). */
export function heldAgain(current: readonly string[], formReasons: readonly string[]) {
  return { state: 'needs_review' as const, reasons: [...new Set([...current, ...formReasons])] };
}

/**
 * A message's reasons and state once none of its forms is held: the holding reasons go, and it leaves the review
 * list unless another reason keeps it there.
 */
export function releasedFromHold(current: readonly string[]) {
  return settledWithout(current, (r) => isHeld([r]));
}

/**
 * A message's reasons and state once some of them no longer apply (its forms released, its results matched by a
 * later registration): it leaves the review list unless another reason keeps it there.
 */
export function settledWithout(current: readonly string[], gone: (reason: string) => boolean) {
  const reasons = current.filter((r) => !gone(r));
  return { state: settledState(reasons), reasons };
}

/** A message over MAX_MESSAGE_BYTES: refused whole (its headers kept), for a person to look at. */
export const OVERSIZED_MESSAGE = { state: 'rejected', reject_reason: 'too_large' } as const satisfies {
  state: string;
  reject_reason: ReviewReason;
};
