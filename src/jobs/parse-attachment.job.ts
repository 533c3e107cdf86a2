import { UnrecoverableError } from 'bullmq';
import type { ParserPool } from '../parser/parser-pool.js';
import { ParsePayload } from '../queue/queues.js';
import { type ParseAttachmentOutcome, parseAttachment } from '../registry/intake/parse-attachment.js';
import { type AcknowledgeOutcome, acknowledgeMessage } from '../registry/letters/acknowledge.js';
import type { JobDeps } from './job-deps.js';

export type ParseJobOutcome = ParseAttachmentOutcome & { acknowledgement?: AcknowledgeOutcome };

/**
 * The parse job: its payload names one attachment; the operation parses and records it. For a message's only
 * file it then answers the message, as the acknowledge job does after a flow: after a recorded parse, and after
 * the last attempt of one that failed (the file is marked failed, the sender is still answered). A retry finds
 * the file already recorded and only answers; an answer already queued is not queued twice.
 */
export async function parseAttachmentJob(
  data: unknown,
  deps: JobDeps & { parser: ParserPool },
  attempt = { made: 0, max: 1 },
): Promise<ParseJobOutcome> {
  const input = ParsePayload.safeParse(data);
  if (!input.success) throw new UnrecoverableError(`bad parse payload: ${input.error.message}`);
  const { attachmentId, acknowledge } = input.data;
  const lastAttempt = attempt.made + 1 >= attempt.max;
  let parsed: ParseAttachmentOutcome;
  try {
    parsed = await parseAttachment(deps, attachmentId, lastAttempt);
  } catch (err) {
    if (acknowledge && lastAttempt) {
      // The parse's own failure is what the job reports; one of the answer's is logged beside it.
      await acknowledgeMessage(deps, acknowledge).catch((ackErr: unknown) =>
        deps.log.error(
          { err: ackErr, attachmentId, messageId: acknowledge },
          'the message could not be answered',
        ),
      );
    }
    throw err;
  }
  if (!acknowledge) return parsed;
  return { ...parsed, acknowledgement: await acknowledgeMessage(deps, acknowledge) };
}
