import { type Config, parserLimits } from '../../config.js';
import {
  attachmentForParsing,
  claimAttachmentForParsing,
  setAttachmentOutcome,
} from '../../db/attachment.repository.js';
import type { Database } from '../../db/database.js';
import { storeRendering } from '../../db/rendering.repository.js';
import type { Logger } from '../../logger.js';
import type { ParserPool } from '../../parser/parser-pool.js';
import { parserRegistry } from '../reference/reference-data.js';
import { drawingOf } from './keep-rendering.js';
import { recordingContext, recordParseResult } from './record-parse-result.js';

/**
 * What became of the file. A recorded one carries what the parser's metrics observe of it (the parse's time, a
 * rejection's reason, when its message arrived, in ms since the epoch), so that they need no look at the database.
 */
export type ParseAttachmentOutcome =
  | {
      status: 'parsed' | 'rejected';
      submissionId: string | null;
      parseMs?: number;
      reasonCode?: string;
      arrivedAt?: number;
    }
  | { status: 'skipped'; reason: string };

const CONTAINER_TYPES = /^message\/rfc822$/;
const TNEF = /^application\/ms-tnef$|^winmail\.dat$/i;

export interface ParseDeps {
  db: Database;
  config: Config;
  log: Logger;
  parser: ParserPool;
}

/**
 * Parse one stored attachment and record the result. Idempotent: an attachment already in a terminal state
 * is left alone. A bad file is a recorded rejection; only a failure of our own (database, worker) throws, and
 * on the last attempt (`lastAttempt`) the attachment is marked failed first, so it never stays pending.
 */
export async function parseAttachment(
  deps: ParseDeps,
  attachmentId: string,
  lastAttempt: boolean,
): Promise<ParseAttachmentOutcome> {
  const { db, config } = deps;
  const log = deps.log.child({ attachmentId });
  const attachment = await claimAttachmentForParsing(db, attachmentId);
  if (!attachment) {
    const found = await attachmentForParsing(db, attachmentId);
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
    return {
      status: 'rejected',
      submissionId: null,
      reasonCode: 'unsupported_type',
      arrivedAt: attachment.received_at.getTime(),
    };
  }
  try {
    const started = performance.now();
    const outcome = await deps.parser.parse(attachment.bytes, attachment.filename, {
      registry: await parserRegistry(db),
      limits: parserLimits(config),
      render: true,
    });
    const parseMs = Math.round(performance.now() - started);
    // A text document's drawing is written by the statement that records its reading; a scan's pages, by a
    // transaction of their own first (a retried job draws and writes them again).
    const drawing = drawingOf(outcome);
    const inline = drawing && drawing.images.length === 0 ? drawing : null;
    if (drawing && !inline) await storeRendering(db, attachment.id, drawing);
    const context = { ...recordingContext(attachment, config), drawing: inline };
    const recorded = await recordParseResult(db, context, outcome, parseMs);
    if (outcome.ok) {
      log.info(
        { kind: outcome.form.kind, submissionId: recorded.submissionId, status: recorded.status, parseMs },
        'attachment parsed',
      );
    } else
      log.warn({ code: outcome.error.code, reason: outcome.error.message, parseMs }, 'attachment rejected');
    return {
      status: recorded.state,
      submissionId: recorded.submissionId,
      parseMs,
      ...(outcome.ok ? {} : { reasonCode: outcome.error.code }),
      arrivedAt: attachment.received_at.getTime(),
    };
  } catch (err) {
    // Our own failure (not the file's): retried; after the last attempt the attachment is marked failed.
    if (lastAttempt) {
      await setAttachmentOutcome(db, attachment.id, {
        state: 'failed',
        reason_code: 'processing_failed',
        error_message: (err as Error).message,
      }).catch(() => undefined);
    }
    throw err;
  }
}
