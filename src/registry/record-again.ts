import type { Transaction } from 'kysely';
import type { Config } from '../config.js';
import { attachmentForParsing } from '../db/attachment.repository.js';
import type { Database } from '../db/database.js';
import type { DB } from '../db/schema.js';
import { OperationRefused } from '../errors.js';
import type { ParsedForm } from '../parser/form-types.js';
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
