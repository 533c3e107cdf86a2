import { isHeld, type ReviewReason, type SenderTrust, senderReviewReasons } from './review-reasons.js';

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
  const sender = senderReviewReasons({ registered: agencyId !== null, automatic: false, trust: f.trust });
  let mismatch = false;
  if (!agencyId) agencyId = f.formAgencyId;
  else if (f.formAgencyId && f.formAgencyParentId === agencyId) {
    // A district sending the form of one of its communes or wards: the form is the commune's own.
    agencyId = f.formAgencyId;
  } else mismatch = Boolean(f.formAgencyId && f.formAgencyId !== agencyId);
  // A mismatch is found only for a registry sender, so it never sits beside `unknown_sender`.
  if (mismatch) reasons.push('agency_mismatch');
  reasons.push(...sender);
  const status = isHeld(reasons) ? 'pending_review' : 'active';
  if (f.uncertain.length > 0) reasons.push('uncertain_fields');
  return { agencyId, status, reviewReasons: reasons };
}
