import { UnrecoverableError } from 'bullmq';
import { parserLimits } from '../config.js';
import {
  attachmentForParsing,
  claimAttachmentForParsing,
  setAttachmentOutcome,
} from '../db/submission.repository.js';
import type { ParserPool } from '../parser/parser-pool.js';
import { ParsePayload } from '../queue/queues.js';
import type { JobDeps } from './job-deps.js';
import { recordParseResult } from './record-parse-result.js';
import { agencyIdsByCode, parserRegistry } from './reference-data.js';

export type ParseJobOutcome =
  | { status: 'parsed' | 'rejected'; submissionId: string | null }
  | { status: 'skipped'; reason: string };

const CONTAINER_TYPES = /^message\/rfc822$/;
const TNEF = /^application\/ms-tnef$|^winmail\.dat$/i;

/**
 * Parse one stored attachment and record the result. Idempotent: an attachment already in a terminal state
 * is left alone. A bad file is a recorded rejection; only a failure of our own (database, worker) throws.
 */
export async function parseAttachmentJob(
  data: unknown,
  deps: JobDeps & { parser: ParserPool },
  attempt = { made: 0, max: 1 },
): Promise<ParseJobOutcome> {
  const input = ParsePayload.safeParse(data);
  if (!input.success) throw new UnrecoverableError(`bad parse payload: ${input.error.message}`);
  const { db, config } = deps;
  const log = deps.log.child({ attachmentId: input.data.attachmentId });
  const attachment = await claimAttachmentForParsing(db, input.data.attachmentId);
  if (!attachment) {
    const found = await attachmentForParsing(db, input.data.attachmentId);
    return { status: 'skipped', reason: found ? `already_${found.state}` : 'attachment_gone' };
  }
  if (CONTAINER_TYPES.test(attachment.content_type)) {
    // A forwarded message: its own files were stored beside it and are parsed on their own.
    await setAttachmentOutcome(db, attachment.id, { state: 'skipped' });
    return { status: 'skipped', reason: 'container' };
  }
  if (TNEF.test(attachment.content_type) || TNEF.test(attachment.filename)) {
    // A winmail.dat still pending is one that could not be unpacked: the sender is asked to resend.
    await setAttachmentOutcome(db, attachment.id, {
      state: 'rejected',
      reason_code: 'unsupported_type',
      error_message: 'an Outlook winmail.dat (TNEF) that could not be unpacked',
    });
    return { status: 'rejected', submissionId: null };
  }
  const agencies = await parserRegistry(db);
  try {
    const started = performance.now();
    const outcome = await deps.parser.parse(attachment.bytes, attachment.filename, {
      registry: agencies,
      limits: parserLimits(config),
    });
    const parseMs = Math.round(performance.now() - started);
    const recorded = await recordParseResult(
      db,
      {
        id: attachment.id,
        sha256: attachment.sha256,
        senderAgencyId: attachment.sender_agency_id,
        receivedAt: attachment.received_at,
        authVerdict: attachment.auth_verdict,
      },
      outcome,
      await agencyIdsByCode(db),
      parseMs,
    );
    if (outcome.ok) {
      const { kind } = outcome.form;
      log.info(
        { kind, submissionId: recorded.submissionId, status: recorded.status, parseMs },
        'attachment parsed',
      );
    } else
      log.warn({ code: outcome.error.code, reason: outcome.error.message, parseMs }, 'attachment rejected');
    return { status: recorded.state, submissionId: recorded.submissionId };
  } catch (err) {
    // Our own failure (not the file's): retried; after the last attempt the attachment is marked failed.
    if (attempt.made + 1 >= attempt.max) {
      await setAttachmentOutcome(db, attachment.id, {
        state: 'failed',
        reason_code: 'processing_failed',
        error_message: (err as Error).message,
      }).catch(() => undefined);
    }
    throw err;
  }
}
