import { FlowProducer, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { z } from 'zod';

export const QUEUE = {
  parse: 'parse',
  acknowledge: 'acknowledge',
  schedule: 'schedule',
} as const;
export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];

// Job data holds ids only: the bytes stay in Postgres.
// `acknowledge`: the message's only file, whose parse job also answers the message (no flow needed).
export const ParsePayload = z.object({
  attachmentId: z.string().regex(/^\d+$/),
  acknowledge: z.string().regex(/^\d+$/).optional(),
});
export const AcknowledgePayload = z.object({ messageId: z.string().regex(/^\d+$/) });
/** A person's request to read a stored file again with the current parser (job name `replay`, parse queue). */
export const ReplayPayload = z.object({
  attachmentId: z.string().regex(/^\d+$/),
  by: z.object({ name: z.string().trim().min(1).max(200) }),
});
export type ReplayRequest = z.infer<typeof ReplayPayload>;
export const REPLAY_JOB = 'replay';

// Deterministic job ids from the data: adding the same job twice is a no-op.
const jobId = {
  parse: (attachmentId: string) => `parse-${attachmentId}`,
  acknowledge: (messageId: string) => `ack-${messageId}`,
  /** The n-th request (from 0) to replay an attachment. */
  replay: (attachmentId: string, n: number) => `replay-${attachmentId}-${n}`,
};

/** A Redis connection as BullMQ needs it (blocking commands must not time out). */
export function createRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

export interface Queues {
  parse: Queue;
  acknowledge: Queue;
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
  const schedule = new Queue(QUEUE.schedule, opts);
  const flow = new FlowProducer(opts);
  for (const queue of [parse, acknowledge, schedule]) queue.on('error', onError);
  flow.on('error', onError);
  return {
    parse,
    acknowledge,
    schedule,
    flow,
    close: async () => {
      await Promise.all([parse.close(), acknowledge.close(), schedule.close(), flow.close()]);
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

/** The job that will answer a message, wherever it is: the acknowledge queue's, or its only file's parse job. */
export async function messageJob(queues: Queues, messageId: string) {
  return (
    (await queues.acknowledge.getJob(jobId.acknowledge(messageId))) ??
    (await queues.parse.getJob(jobId.acknowledge(messageId)))
  );
}

/**
 * One flow per message: a parse job per attachment, then the acknowledgement once every parse has ended,
 * successfully or not (a failed parse does not hold the acknowledgement back). A message with one file (most
 * of them) gets one job that parses it and then answers: the same order, without a flow's bookkeeping in
 * Redis (a parent job, its dependencies, a second job's start and end), which under a flood was a visible
 * share of the machine's time. A message without files gets its acknowledge job alone.
 */
export async function enqueueMessageFlow(
  queues: Queues,
  messageId: string,
  attachmentIds: readonly string[],
  retry: RetryPolicy,
): Promise<void> {
  const ackId = jobId.acknowledge(messageId);
  // A flow already added (a re-read after a crash, a duplicate delivery) is left as it is.
  if (!retry.isNew && (await messageJob(queues, messageId))) return;
  const opts = { attempts: retry.attempts, backoff: { type: 'exponential', delay: 2000 }, ...KEEP };
  const [only, ...more] = attachmentIds;
  if (only === undefined) {
    await queues.acknowledge.add('acknowledge', { messageId }, { jobId: ackId, ...opts });
    return;
  }
  if (more.length === 0) {
    // Named by the message (on the parse queue): the sweep finds it as it finds an acknowledge job.
    await queues.parse.add(
      'parse-and-acknowledge',
      { attachmentId: only, acknowledge: messageId },
      {
        jobId: ackId,
        ...opts,
      },
    );
    return;
  }
  await queues.flow.add({
    name: 'acknowledge',
    queueName: QUEUE.acknowledge,
    data: { messageId },
    opts: { jobId: ackId, ...opts },
    children: attachmentIds.map((attachmentId) => ({
      name: 'parse',
      queueName: QUEUE.parse,
      data: { attachmentId },
      opts: { jobId: jobId.parse(attachmentId), ignoreDependencyOnFailure: true, ...opts },
    })),
  });
}

/**
 * Queue a replay of one file for the parser process (the ops process has no parser pool). `n` counts the
 * earlier requests for the file, so a request added twice is one job and a later request is a new one.
 */
export async function enqueueReplay(queues: Queues, request: ReplayRequest, n: number): Promise<string> {
  // The n-th request's id, or a later one when that id is taken (a request whose record did not commit): a job
  // added under a kept id would be dropped by BullMQ without a word.
  let k = n;
  while (await queues.parse.getJob(jobId.replay(request.attachmentId, k))) k++;
  const id = jobId.replay(request.attachmentId, k);
  // A person's name as the history shows it, cut to what the payload carries.
  const by = { name: request.by.name.trim().slice(0, 200) };
  await queues.parse.add(REPLAY_JOB, ReplayPayload.parse({ ...request, by }), {
    jobId: id,
    attempts: 3,
    backoff: { type: 'exponential', delay: 2000 },
    ...KEEP,
  });
  return id;
}

/** Whether a queued job is still to run (waiting, delayed or running): false once it ended or when it is gone. */
export async function jobPending(queue: Queue, id: string): Promise<boolean> {
  const job = await queue.getJob(id);
  if (!job) return false;
  return !['completed', 'failed', 'unknown'].includes(await job.getState());
}
