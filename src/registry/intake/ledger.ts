import type { Db } from '../../db/database.js';
import {
  deactivateInitiatives,
  setInitiativesLedgerState,
  setResultsLedgerState,
} from '../../db/initiative.repository.js';
import { messageReviewState, setMessageState } from '../../db/message.repository.js';
import {
  agencySubmissions,
  lockAgencyLedger,
  messageHasSubmissionReason,
  setSubmissionsLedgerState,
} from '../../db/submission.repository.js';
import { arrivalOrder, type LedgerSubmission, planLedger } from '../../domain/ledger-plan.js';
import { heldAgain, isHeld, settledWithout } from '../../domain/review-reasons.js';

/**
 * Bring one agency's registry in one campaign to the state its submissions call for (`planLedger`), inside the
 * caller's transaction and under a lock on that ledger: statuses, what replaced what, copies, result links.
 * Only what differs is written. Whatever order the files were recorded in, the outcome is the same.
 */
export async function rebuildLedger(trx: Db, campaignId: string, agencyId: string | null): Promise<void> {
  if (!agencyId) return;
  await lockAgencyLedger(trx, campaignId, agencyId);
  const rows = await agencySubmissions(trx, campaignId, agencyId);
  if (rows.length === 0) return;
  // jsonb carries numbers for the bigint ids: they are compared as the strings the rest of the code uses.
  const initiatives = rows.flatMap((r) =>
    r.initiatives.map((i) => ({
      ...i,
      id: String(i.id),
      submission_id: r.id,
      superseded_by_id: i.superseded_by_id === null ? null : String(i.superseded_by_id),
      withdrawn: i.withdrawn_at !== null,
    })),
  );
  const results = rows.flatMap((r) =>
    r.results.map((x) => ({
      ...x,
      id: String(x.id),
      submission_id: r.id,
      initiative_id: x.initiative_id === null ? null : String(x.initiative_id),
    })),
  );
  const ledger: LedgerSubmission[] = rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    held: isHeld(r.review_reasons),
    messageId: r.message_id,
    order: arrivalOrder(
      { receivedAt: r.received_at, uid: r.uid },
      { filename: r.filename, contentType: r.content_type, attachmentId: r.attachment_id },
    ),
    contentHash: r.content_hash,
    // A person's word on it (file_decisions) over what its mail said.
    revisionHint: (r.counts_as ?? r.revision_hint) as LedgerSubmission['revisionHint'],
    initiatives: initiatives.filter((i) => i.submission_id === r.id),
    results: results
      .filter((x) => x.submission_id === r.id)
      .map((x) => ({ ...x, manualInitiativeId: x.linked_by ? x.initiative_id : null })),
  }));
  const plan = planLedger(ledger);

  const changedInitiatives = initiatives.filter((i) => {
    const p = plan.initiatives.get(i.id);
    return p && (p.status !== i.status || p.supersededBy !== i.superseded_by_id);
  });
  await deactivateInitiatives(
    trx,
    changedInitiatives.filter((i) => i.status === 'active').map((i) => i.id),
  );
  // Each kind of row changed by one statement: a revision replacing a dozen initiatives is one round trip.
  await setInitiativesLedgerState(
    trx,
    changedInitiatives.flatMap((i) => {
      const p = plan.initiatives.get(i.id);
      return p ? [{ id: i.id, status: p.status, superseded_by_id: p.supersededBy }] : [];
    }),
  );
  await setResultsLedgerState(
    trx,
    results.flatMap((r) => {
      const p = plan.results.get(r.id);
      if (
        !p ||
        (p.initiativeId === r.initiative_id &&
          p.needsReview === r.needs_review &&
          p.superseded === r.superseded)
      )
        return [];
      return [
        {
          id: r.id,
          initiative_id: p.initiativeId,
          needs_review: p.needsReview,
          superseded: p.superseded,
          match_score: p.score ?? (p.initiativeId === r.initiative_id ? r.match_score : null),
        },
      ];
    }),
  );
  const submissionChanges: Parameters<typeof setSubmissionsLedgerState>[1][number][] = [];
  const unmatchedChanged = new Set<string>();
  for (const r of rows) {
    const p = plan.submissions.get(r.id);
    if (!p) continue;
    const unmatched = results.some((x) => x.submission_id === r.id && plan.results.get(x.id)?.needsReview);
    const reasons = [...r.review_reasons.filter((x) => x !== UNMATCHED), ...(unmatched ? [UNMATCHED] : [])];
    if (unmatched !== r.review_reasons.includes(UNMATCHED)) unmatchedChanged.add(r.message_id);
    if (
      p.status !== r.status ||
      p.duplicateOf !== r.duplicate_of_id ||
      p.supersedes !== r.supersedes_id ||
      reasons.join() !== r.review_reasons.join()
    )
      submissionChanges.push({
        id: r.id,
        status: p.status,
        duplicate_of_id: p.duplicateOf,
        supersedes_id: p.supersedes,
        review_reasons: reasons,
      });
  }
  await setSubmissionsLedgerState(trx, submissionChanges);
  for (const messageId of unmatchedChanged) await followResults(trx, messageId);
}

const UNMATCHED = 'unmatched_result';

/**
 * A settled message whose reports' rows were matched (or unmatched) by a later change of the registry: on the
 * review list while one of its forms has a result that matches nothing, off it (unless another reason keeps it)
 * when none has. A message not yet settled gets its reasons when it is.
 */
async function followResults(trx: Db, messageId: string): Promise<void> {
  const message = await messageReviewState(trx, messageId);
  if (!message || message.state === 'received' || message.state === 'rejected') return;
  const unmatched = await messageHasSubmissionReason(trx, messageId, UNMATCHED);
  const next = unmatched
    ? heldAgain(message.review_reasons, [UNMATCHED])
    : settledWithout(message.review_reasons, (r) => r === UNMATCHED);
  if (next.state !== message.state || next.reasons.join() !== message.review_reasons.join())
    await setMessageState(trx, messageId, next.state, next.reasons);
}
