import { UnrecoverableError } from 'bullmq';
import type { ParserPool } from '../parser/parser-pool.js';
import { ParsePayload } from '../queue/queues.js';
import { type ParseAttachmentOutcome, parseAttachment } from '../registry/parse-attachment.js';
import type { JobDeps } from './job-deps.js';

export type ParseJobOutcome = ParseAttachmentOutcome;

/** The parse job: its payload names one attachment; the operation parses and records it. */
export async function parseAttachmentJob(
  data: unknown,
  deps: JobDeps & { parser: ParserPool },
  attempt = { made: 0, max: 1 },
): Promise<ParseJobOutcome> {
  const input = ParsePayload.safeParse(data);
  if (!input.success) throw new UnrecoverableError(`bad parse payload: ${input.error.message}`);
  return parseAttachment(deps, input.data.attachmentId, attempt.made + 1 >= attempt.max);
}
