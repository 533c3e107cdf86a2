import { FlowProducer, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { z } from 'zod';

export const QUEUE = {
  parse: 'parse',
  acknowledge: 'acknowledge',
  mail: 'mail',
  schedule: 'schedule',
} as const;
export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];

// Job data holds ids only: the bytes stay in Postgres.
export const ParsePayload = z.object({ attachmentId: z.string().regex(/^\d+$/) });
export const AcknowledgePayload = z.object({ messageId: z.string().regex(/^\d+$/) });
export const MailPayload = z.object({ outboxId: z.string().regex(/^\d+$/) });

// Deterministic job ids from the data: adding the same job twice is a no-op.
export const jobId = {
  parse: (attachmentId: string) => `parse-${attachmentId}`,
  acknowledge: (messageId: string) => `ack-${messageId}`,
  mail: (outboxId: string) => `mail-${outboxId}`,
};

/** A Redis connection as BullMQ needs it (blocking commands must not time out). */
export function createRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

export interface Queues {
  parse: Queue;
  acknowledge: Queue;
  mail: Queue;
  schedule: Queue;
  flow: FlowProducer;
  close(): Promise<void>;
}

/**
 * The queues the processes add jobs to, over one connection, under the deployment's prefix. Connection errors
 * (Redis restarting) go to `onError` once per queue instead of to stderr; the connection retries by itself.
 */
export function openQueues(
  connection: Redis,
  prefix: string,
  onError: (err: Error) => void = () => undefined,
): Queues {
  const opts = { connection, prefix };
  const parse = new Queue(QUEUE.parse, opts);
  const acknowledge = new Queue(QUEUE.acknowledge, opts);
  const mail = new Queue(QUEUE.mail, opts);
  const schedule = new Queue(QUEUE.schedule, opts);
  const flow = new FlowProducer(opts);
  for (const queue of [parse, acknowledge, mail, schedule]) queue.on('error', onError);
  flow.on('error', onError);
  return {
    parse,
    acknowledge,
    mail,
    schedule,
    flow,
    close: async () => {
      await Promise.all([parse.close(), acknowledge.close(), mail.close(), schedule.close(), flow.close()]);
    },
  };
}

export interface RetryPolicy {
  attempts: number;
  /** The message was stored just now, so no flow can exist for it yet. */
  isNew?: boolean;
}

// Finished jobs are kept a while (for the dashboard and for idempotent re-adds), then removed.
const KEEP = {
  removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

/**
 * One flow per message: a parse job per attachment, then the acknowledgement once every parse has ended,
 * successfully or not (a failed parse does not hold the acknowledgement back).
 */
export async function enqueueMessageFlow(
  queues: Queues,
  messageId: string,
  attachmentIds: readonly string[],
  retry: RetryPolicy,
): Promise<void> {
  const ackId = jobId.acknowledge(messageId);
  // A flow already added (a re-read after a crash, a duplicate delivery) is left as it is.
  if (!retry.isNew && (await queues.acknowledge.getJob(ackId))) return;
  await queues.flow.add({
    name: 'acknowledge',
    queueName: QUEUE.acknowledge,
    data: { messageId },
    opts: { jobId: ackId, attempts: retry.attempts, backoff: { type: 'exponential', delay: 2000 }, ...KEEP },
    children: attachmentIds.map((attachmentId) => ({
      name: 'parse',
      queueName: QUEUE.parse,
      data: { attachmentId },
      opts: {
        jobId: jobId.parse(attachmentId),
        attempts: retry.attempts,
        backoff: { type: 'exponential', delay: 2000 },
        ignoreDependencyOnFailure: true,
        ...KEEP,
      },
    })),
  });
}

/** Queue an outgoing mail for the mailer; retried with doubling delays while SMTP stays down (about a day). */
export async function enqueueMail(queues: Queues, outboxId: string, retryBaseMs = 5000): Promise<void> {
  await queues.mail.add(
    'send',
    { outboxId },
    {
      jobId: jobId.mail(outboxId),
      attempts: 14,
      backoff: { type: 'exponential', delay: retryBaseMs },
      ...KEEP,
    },
  );
}
