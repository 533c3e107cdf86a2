import type { Db } from '../../db/database.js';
import { itemsForReview as reviewRows } from '../../db/review.repository.js';
import {
  ATTACHMENT_STATE_LABEL,
  labelOf,
  REJECTION_LABEL,
  REVIEW_REASON_LABEL,
} from '../../domain/labels.js';

/** One thing waiting for a person, with why, in words. */
export interface ReviewItem {
  kind: 'message' | 'file' | 'result';
  /** The id the CLI and the console act on: a message id, an attachment id, a result id. */
  id: string;
  /** The message it came in (a message's own id, a file's message), for asking its sender to resend. */
  messageId: string | null;
  /** The submission reference, where there is one. */
  reference: string | null;
  from: string;
  what: string;
  receivedAt: Date | null;
  /** Stable codes (for programs). */
  reasons: string[];
  /** The same reasons in Vietnamese (for people). */
  why: string;
}

/** What waits for a person: messages held for review, files that could not be read, results not matched. */
export async function itemsForReview(db: Db): Promise<ReviewItem[]> {
  const rows = await reviewRows(db);
  return [
    ...rows.messages.map((m): ReviewItem => {
      const reasons = [...m.review_reasons, ...(m.reject_reason ? [m.reject_reason] : [])];
      return {
        kind: 'message',
        id: m.id,
        messageId: m.id,
        reference: null,
        from: m.from_address ?? '',
        what: m.subject ?? '',
        receivedAt: m.received_at,
        reasons,
        why: reasons.map((r) => labelOf(REVIEW_REASON_LABEL, r)).join('; '),
      };
    }),
    ...rows.files.map(
      (f): ReviewItem => ({
        kind: 'file',
        id: f.id,
        messageId: f.message_id,
        reference: null,
        from: f.from_address ?? '',
        what: f.filename,
        receivedAt: null,
        reasons: [f.reason_code ?? f.state],
        why: f.reason_code
          ? `${labelOf(ATTACHMENT_STATE_LABEL, f.state)}: ${labelOf(REJECTION_LABEL, f.reason_code)}`
          : labelOf(ATTACHMENT_STATE_LABEL, f.state),
      }),
    ),
    ...rows.results.map(
      (r): ReviewItem => ({
        kind: 'result',
        id: r.id,
        messageId: null,
        reference: r.reference,
        from: r.agency_name ?? '',
        what: r.title,
        receivedAt: null,
        reasons: ['unmatched_result'],
        why: REVIEW_REASON_LABEL.unmatched_result,
      }),
    ),
  ];
}
