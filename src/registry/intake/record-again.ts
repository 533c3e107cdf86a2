import type { Transaction } from 'kysely';
import type { Config } from '../../config.js';
import { attachmentForParsing } from '../../db/attachment.repository.js';
import type { Database, Db } from '../../db/database.js';
import { lockMessageDecisions, messageReviewState, setMessageState } from '../../db/message.repository.js';
import type { DB } from '../../db/schema.js';
import { heldSubmissionsOfMessage, submissionByReference } from '../../db/submission.repository.js';
import { heldAgain, releasedFromHold } from '../../domain/review-reasons.js';
import { OperationRefused } from '../../errors.js';
import type { ParsedForm } from '../../parser/form-types.js';
import { type RecordedOutcome, recordingContext, reRecordParseResult } from './record-parse-result.js';

/**
 * Record a stored form's reading again as things stand now — a person's decision about the file just made or
 * undone — without parsing it again, keeping the reference its sender was told. Inside the caller's transaction.
 */
export async function recordStoredFormAgain(
  deps: { db: Database; config: Config },
  trx: Transaction<DB>,
  attachmentId: string,
  reference: string,
): Promise<RecordedOutcome> {
  const a = await attachmentForParsing(trx, attachmentId);
  if (a?.state !== 'parsed' || !a.parse_result)
    throw new OperationRefused('wrong_state', `file ${attachmentId} holds no form read`, { attachmentId });
  const form = a.parse_result as unknown as ParsedForm;
  return reRecordParseResult(deps.db, trx, recordingContext(a, deps.config), { ok: true, form }, reference);
}

/**
 * The message after a person's decision or a replay changed one of its forms: back on the review list when the
 * form is held now; when none of its forms is held any more, off it — for every reason when a person has just
 * looked at the mail and vouched for it (`reviewed`), else only for the holding ones.
 */
export async function settleMessage(
  trx: Db,
  messageId: string,
  recorded: RecordedOutcome,
  reviewed = false,
): Promise<void> {
  const message = await messageReviewState(trx, messageId);
  if (!message) return;
  if (recorded.status === 'pending_review') {
    const next = heldAgain(message.review_reasons, recorded.reviewReasons);
    await setMessageState(trx, messageId, next.state, next.reasons);
  } else if ((await heldSubmissionsOfMessage(trx, messageId)) === 0) {
    if (reviewed) await setMessageState(trx, messageId, 'processed', []);
    // A rejected message stays so: only one waiting for review leaves the list.
    else if (message.state === 'needs_review') {
      const next = releasedFromHold(message.review_reasons);
      await setMessageState(trx, messageId, next.state, next.reasons);
    }
  }
}

/**
 * A submission a person is about to decide on, read again under the lock on its mail's decisions, so that two
 * people (or a person and a replay) acting at once on one mail take turns and each sees the other's result.
 */
export async function decidedSubmission(trx: Db, reference: string) {
  const first = await submissionByReference(trx, reference);
  if (!first) throw new OperationRefused('not_found', `no submission ${reference}`, { reference });
  await lockMessageDecisions(trx, first.message_id);
  const s = await submissionByReference(trx, reference);
  if (!s) throw new OperationRefused('not_found', `no submission ${reference}`, { reference });
  return s;
}
