import { UnrecoverableError } from 'bullmq';
import { AcknowledgePayload } from '../queue/queues.js';
import { type AcknowledgeOutcome, acknowledgeMessage } from '../registry/letters/acknowledge.js';
import type { JobDeps } from './job-deps.js';

export type { AcknowledgeOutcome };

/** The acknowledge job: runs once every file of a message has ended; the operation decides and composes. */
export async function acknowledgeMessageJob(data: unknown, deps: JobDeps): Promise<AcknowledgeOutcome> {
  const input = AcknowledgePayload.safeParse(data);
  if (!input.success) throw new UnrecoverableError(`bad acknowledge payload: ${input.error.message}`);
  return acknowledgeMessage(deps, input.data.messageId);
}
