import type { Db } from '../../db/database.js';
import { countedFilesFrom, itemsForReview as reviewRows } from '../../db/review.repository.js';
import {
  ATTACHMENT_STATE_LABEL,
  labelOf,
  REJECTION_LABEL,
  REVIEW_REASON_LABEL,
} from '../../domain/labels.js';
import { arrivalOrder } from '../../domain/ledger-plan.js';
import { afterReplacement, type FileFacts, replacementOf } from '../../domain/replaced-files.js';
import { senderDoubted } from '../../domain/review-reasons.js';

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
  /** The agency the sender's address belongs to, where the registry knows it (a person reads its name). */
  agencyName: string | null;
  what: string;
  receivedAt: Date | null;
  /** Stable codes (for programs). */
  reasons: string[];
  /** The same reasons in Vietnamese (for people). */
  why: string;
}

type ReviewRows = Awaited<ReturnType<typeof reviewRows>>;

const factsOf = (f: {
  id: string;
  agency_id: string | null;
  from_address: string | null;
  filename: string;
  sha256: string;
  received_at: Date;
  uid: string;
}): FileFacts => ({
  id: f.id,
  agencyId: f.agency_id,
  from: f.from_address,
  filename: f.filename,
  sha256: f.sha256,
  order: arrivalOrder({ receivedAt: f.received_at, uid: f.uid }),
});

/**
 * The list without what a later copy replaced (`replacementOf`): a refused or failed file the agency sent again
 * and had read, and the failure of a message whose failed files all were.
 */
async function withoutReplaced(db: Db, rows: ReviewRows): Promise<ReviewRows> {
  if (rows.files.length === 0) return rows;
  const read = (
    await countedFilesFrom(db, {
      agencyIds: [...new Set(rows.files.flatMap((f) => (f.agency_id ? [f.agency_id] : [])))],
      addresses: [
        ...new Set(rows.files.flatMap((f) => (f.from_address ? [f.from_address.toLowerCase()] : []))),
      ],
    })
  ).map(factsOf);
  if (read.length === 0) return rows;
  const replaced = new Set(rows.files.filter((f) => replacementOf(factsOf(f), read)).map((f) => f.id));
  if (replaced.size === 0) return rows;
  const failedLeft = (messageId: string) =>
    rows.files.filter((f) => f.message_id === messageId && f.state === 'failed' && !replaced.has(f.id))
      .length;
  const messages = rows.messages.flatMap((m) => {
    if (m.state !== 'needs_review' || !m.review_reasons.includes('failed_attachment')) return [m];
    const after = afterReplacement(m.review_reasons, failedLeft(m.id));
    return after.state === 'processed' ? [] : [{ ...m, review_reasons: after.reasons }];
  });
  return { ...rows, messages, files: rows.files.filter((f) => !replaced.has(f.id)) };
}

/**
 * What waits for a person: messages held for review, files that could not be read (unless a later copy was read),
 * results not matched.
 */
export async function itemsForReview(db: Db): Promise<ReviewItem[]> {
  const rows = await withoutReplaced(db, await reviewRows(db));
  const resultMessages = new Set(rows.results.map((r) => r.message_id));
  return [
    ...rows.messages.flatMap((m): ReviewItem[] => {
      // An unmatched result is listed as itself, once: the mail it came in is not listed for it again.
      const all = [...m.review_reasons, ...(m.reject_reason ? [m.reject_reason] : [])];
      const reasons = all.filter((r) => r !== 'unmatched_result' || !resultMessages.has(m.id));
      if (reasons.length === 0 && all.length > 0) return [];
      return [
        {
          kind: 'message',
          id: m.id,
          messageId: m.id,
          reference: null,
          from: m.from_address ?? '',
          agencyName: senderDoubted(m.review_reasons) ? null : m.agency_name,
          what: m.subject ?? '',
          receivedAt: m.received_at,
          reasons,
          why: reasons.map((r) => labelOf(REVIEW_REASON_LABEL, r)).join('; '),
        },
      ];
    }),
    ...rows.files.map(
      (f): ReviewItem => ({
        kind: 'file',
        id: f.id,
        messageId: f.message_id,
        reference: null,
        from: f.from_address ?? '',
        agencyName: senderDoubted(f.message_reasons) ? null : f.agency_name,
        what: f.filename,
        receivedAt: f.received_at,
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
        agencyName: r.agency_name,
        what: r.title,
        receivedAt: r.received_at,
        reasons: ['unmatched_result'],
        why: REVIEW_REASON_LABEL.unmatched_result,
      }),
    ),
  ];
}
