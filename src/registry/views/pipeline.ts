import type { Db } from '../../db/database.js';
import { isMessageStored } from '../../db/message.repository.js';
import { pipelineCounts } from '../../db/ops.repository.js';

export type PipelineCounts = Awaited<ReturnType<typeof pipelineCounts>>;

/** What the inbox received and what became of it. */
export async function inboxCounts(db: Db): Promise<PipelineCounts> {
  return pipelineCounts(db);
}

/** Whether everything received has been handled: no message in progress, no file pending, no mail unsent. */
export function isIdle(c: PipelineCounts, atLeastMessages = 0): boolean {
  return c.messages >= atLeastMessages && c.in_progress === 0 && c.pending === 0 && c.outbox.unsent === 0;
}

/** Whether a message with this Message-ID is already stored. */
export async function alreadyStored(db: Db, messageId: string): Promise<boolean> {
  return isMessageStored(db, messageId);
}
