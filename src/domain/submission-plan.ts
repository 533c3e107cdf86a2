import type { ReviewReason, SenderTrust } from './review-reasons.js';
import { bestTitleMatch } from './title-match.js';

export interface SubmissionFacts {
  /** The agency that owns the sender's address, per the registry. */
  senderAgencyId: string | null;
  /** The agency the form's header names, resolved against the registry. */
  formAgencyId: string | null;
  /** That agency's district, when it is a commune or ward. */
  formAgencyParentId?: string | null;
  trust: SenderTrust;
  /** Fields the parser is unsure of. */
  uncertain: readonly string[];
  /** The agency a person confirmed the form for: it is that agency's, and counts. */
  confirmedAgencyId?: string | null;
}

export interface SubmissionPlan {
  /** Whose form it is: the sender's agency, else (held) the one the form names. */
  agencyId: string | null;
  /** Held submissions count nothing until a person confirms them. */
  status: 'active' | 'pending_review';
  reviewReasons: ReviewReason[];
}

/**
 * Whose form it is and whether it counts. The agency is the sender's, from the registry's addresses; an unknown
 * sender, a header naming another agency, a failed or (in strict mode) unproven authentication holds it for a
 * person, until a person confirms it for an agency. Fields the parser is unsure of ask for a look but do not hold
 * the form back.
 */
export function planSubmission(f: SubmissionFacts): SubmissionPlan {
  const reasons: ReviewReason[] = [];
  if (f.confirmedAgencyId) {
    // A person vouched for sender and agency: nothing holds it; what the parser was unsure of still asks a look.
    if (f.uncertain.length > 0) reasons.push('uncertain_fields');
    return { agencyId: f.confirmedAgencyId, status: 'active', reviewReasons: reasons };
  }
  let agencyId = f.senderAgencyId;
  if (!agencyId) {
    reasons.push('unknown_sender');
    agencyId = f.formAgencyId;
  } else if (f.formAgencyId && f.formAgencyParentId === agencyId) {
    // A district sending the form of one of its communes or wards: the form is the commune's own.
    agencyId = f.formAgencyId;
  } else if (f.formAgencyId && f.formAgencyId !== agencyId) reasons.push('agency_mismatch');
  if (f.trust === 'ambiguous') reasons.push('ambiguous_sender');
  else if (f.trust === 'forged') reasons.push('spoofing');
  else if (f.trust === 'untrusted') reasons.push('unverified_sender');
  const status = reasons.length > 0 ? 'pending_review' : 'active';
  if (f.uncertain.length > 0) reasons.push('uncertain_fields');
  return { agencyId, status, reviewReasons: reasons };
}

/**
 * Which earlier initiative each new one replaces: the active initiative with the closest title (one title
 * matcher everywhere), each earlier one replaced at most once. Keys are the new initiatives' positions (1-based).
 */
export function planReplacements<T extends { id: string; title: string }>(
  titles: readonly string[],
  active: readonly T[],
): Map<number, T> {
  const open = [...active];
  const replacing = new Map<number, T>();
  titles.forEach((title, i) => {
    const previous = bestTitleMatch(title, open);
    if (previous) {
      replacing.set(i + 1, previous.match);
      open.splice(open.indexOf(previous.match), 1);
    }
  });
  return replacing;
}
