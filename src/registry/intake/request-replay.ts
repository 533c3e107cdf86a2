import { attachmentSummary, lockAttachment } from '../../db/attachment.repository.js';
import { auditOf } from '../../db/audit.repository.js';
import type { Database } from '../../db/database.js';
import { replayRefusal } from '../../domain/follow-up.js';
import { OperationRefused } from '../../errors.js';
import { enqueueReplay, jobPending, type Queues } from '../../queue/queues.js';
import { type Actor, recordAudit } from '../audit.js';

export interface ReplayRequested {
  attachmentId: string;
  messageId: string;
  jobId: string;
  /** False when an earlier request for the file still waits: that job will do it, no second one is added. */
  queued: boolean;
}

/**
 * Ask the parser process to read one stored file again with the current parser (after a parser fix) and record
 * what changed, as `reform replay --attachment ID --apply` does; the process that asks needs no parser. Refused
 * for a file still being read the first time, and for one that is not a file to read (a forwarded mail's
 * container, an automatic mail's file). A request while an earlier one for the file still waits adds nothing.
 */
export async function requestReplay(
  deps: { db: Database; queues: Queues },
  by: Actor,
  input: { attachmentId: string },
): Promise<ReplayRequested> {
  const id = input.attachmentId.trim();
  if (!/^\d{1,18}$/.test(id)) throw new OperationRefused('not_found', `no attachment ${input.attachmentId}`);
  return deps.db.transaction().execute(async (trx) => {
    await lockAttachment(trx, id);
    const file = await attachmentSummary(trx, id);
    if (!file) throw new OperationRefused('not_found', `no attachment ${id}`, { attachmentId: id });
    const refusal = replayRefusal(file);
    if (refusal)
      throw new OperationRefused(
        'wrong_state',
        `attachment ${id} ${refusal === 'pending' ? 'is still being read' : 'is not a file to read'}`,
        { attachmentId: id, reason: refusal },
      );
    const earlier = await auditOf(trx, 'request_replay', { type: 'attachment', id });
    const last = (earlier[0]?.after ?? null) as { jobId?: unknown } | null;
    if (typeof last?.jobId === 'string' && (await jobPending(deps.queues.parse, last.jobId)))
      return { attachmentId: id, messageId: file.message_id, jobId: last.jobId, queued: false };
    // Queued inside the transaction: if Redis refuses, the request is not recorded either. A job whose request
    // then failed to commit only replays the file, which changes nothing a second time.
    const jobId = await enqueueReplay(
      deps.queues,
      { attachmentId: id, by: { name: by.name } },
      earlier.length,
    );
    await recordAudit(trx, by, {
      action: 'request_replay',
      subject: ['attachment', id],
      before: { state: file.state, reason_code: file.reason_code },
      after: { jobId },
    });
    return { attachmentId: id, messageId: file.message_id, jobId, queued: true };
  });
}

const REFUSAL_TEXT: Record<string, string> = {
  pending: 'Tệp này đang được đọc lần đầu; hãy chờ kết quả rồi mới yêu cầu đọc lại.',
  not_a_file:
    'Đây không phải tệp cần đọc (phần chứa của thư chuyển tiếp hoặc tệp của thư tự động); các tệp bên trong được đọc riêng.',
};

/** The refusal of `requestReplay` in words for the console; undefined for any other refusal. */
export function replayRefusalText(err: OperationRefused): string | undefined {
  const reason = err.context.reason;
  return typeof reason === 'string' ? REFUSAL_TEXT[reason] : undefined;
}
