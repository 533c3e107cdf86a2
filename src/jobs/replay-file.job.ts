import { UnrecoverableError } from 'bullmq';
import type { ParserPool } from '../parser/parser-pool.js';
import { ReplayPayload } from '../queue/queues.js';
import { type Replayed, replayFiles } from '../registry/intake/replay-attachment.js';
import type { JobDeps } from './job-deps.js';

export type ReplayJobOutcome =
  | { status: 'replayed' | 'unchanged'; attachmentId: string; changes: string[] }
  | { status: 'skipped'; reason: 'attachment_gone'; attachmentId: string };

/**
 * The replay job (a person asked from the staff console): read one stored file again with the current parser
 * and record what changed, in their name. Running it again changes nothing.
 */
export async function replayFileJob(
  data: unknown,
  deps: Pick<JobDeps, 'db' | 'config'> & { parser: ParserPool },
): Promise<ReplayJobOutcome> {
  const input = ReplayPayload.safeParse(data);
  if (!input.success) throw new UnrecoverableError(`bad replay payload: ${input.error.message}`);
  const { attachmentId, by } = input.data;
  const [replayed]: Replayed[] = await replayFiles(
    deps,
    { name: by.name, via: 'console' },
    { attachmentId, apply: true },
  );
  if (!replayed) return { status: 'skipped', reason: 'attachment_gone', attachmentId };
  return {
    status: replayed.applied ? 'replayed' : 'unchanged',
    attachmentId,
    changes: replayed.changes,
  };
}
