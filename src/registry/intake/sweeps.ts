import type { Config } from '../../config.js';
import type { Database } from '../../db/database.js';
import { attachmentIdsOf, stalledMessageIds, unansweredMessageIds } from '../../db/message.repository.js';
import { enqueueMessageFlow, messageJob, type Queues } from '../../queue/queues.js';

interface SweepDeps {
  db: Database;
  config: Config;
  queues: Queues;
}

/** How far back the sweep looks for a settled message whose answer was lost. */
const UNANSWERED_LOOKBACK_MS = 24 * 3_600_000;

/**
 * Queue again the work of every message left unhandled since `olderThan`, or settled without its answer: the database, not Redis, is the
 * record of what remains to do, so even a Redis that lost its data loses no mail. A failed acknowledgement is
 * retried; otherwise the message's whole flow is enqueued again (its job ids make that a no-op when present).
 */
export async function requeueStalledMessages(deps: SweepDeps, olderThan: Date): Promise<number> {
  const ids = [
    ...(await stalledMessageIds(deps.db, olderThan)),
    // Settled, but never answered nor told why not: the acknowledgement job runs again (it settles again, which
    // changes nothing, and queues the answer once, by its key).
    ...(await unansweredMessageIds(
      deps.db,
      new Date(olderThan.getTime() - UNANSWERED_LOOKBACK_MS),
      olderThan,
    )),
  ];
  for (const id of ids) {
    const ack = await messageJob(deps.queues, id);
    if (ack && (await ack.isFailed())) await ack.retry();
    else {
      const attachments = await attachmentIdsOf(deps.db, id);
      await enqueueMessageFlow(deps.queues, id, attachments, { attempts: deps.config.JOB_ATTEMPTS });
    }
  }
  return ids.length;
}
