import { type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { parseThreads } from '../config.js';
import { attachmentIdsOf, stalledMessageIds } from '../db/message.repository.js';
import { pendingOutboxIds } from '../db/outbox.repository.js';
import { asError } from '../errors.js';
import { createParserPool } from '../parser/parser-pool.js';
import { enqueueMail, enqueueMessageFlow, jobId, QUEUE } from '../queue/queues.js';
import { acknowledgeMessageJob } from './acknowledge-message.job.js';
import type { JobDeps } from './job-deps.js';
import { parseAttachmentJob } from './parse-attachment.job.js';
import { sendOutboxMailJob } from './send-outbox-mail.job.js';

export interface RunningWorkers {
  workers: Worker[];
  close(): Promise<void>;
}

const attemptOf = (job: Job) => ({ made: job.attemptsMade, max: job.opts.attempts ?? 1 });

function worker(
  name: string,
  connection: Redis,
  deps: JobDeps,
  concurrency: number,
  fn: (job: Job) => Promise<unknown>,
) {
  const w = new Worker(name, fn, {
    connection,
    prefix: deps.config.QUEUE_PREFIX,
    concurrency,
    // A job whose worker died is handed to another after the lock lapses; one that kills its worker
    // twice is failed rather than retried forever.
    lockDuration: deps.config.JOB_LOCK_MS,
    stalledInterval: deps.config.JOB_LOCK_MS,
    maxStalledCount: 2,
  });
  w.on('failed', (job, err) =>
    deps.log.warn({ err, queue: name, jobId: job?.id, attemptsMade: job?.attemptsMade }, 'job failed'),
  );
  w.on('error', (err) => deps.log.error({ err, queue: name }, 'worker error'));
  return w;
}

/**
 * The parse and acknowledge workers (the parser process). Parsing itself runs on worker threads. A sweep
 * re-queues the flow of any message left unhandled for a minute: the database, not Redis, is the record of
 * what remains to do, so even a Redis that lost its data loses no mail.
 */
export function startParserWorkers(connection: Redis, deps: JobDeps, sweepEveryMs = 60_000): RunningWorkers {
  const parser = createParserPool({
    threads: parseThreads(deps.config),
    timeoutMs: deps.config.PARSE_TIMEOUT_MS,
  });
  const workers = [
    worker(QUEUE.parse, connection, deps, deps.config.PARSE_CONCURRENCY, (job) =>
      parseAttachmentJob(
        job.data,
        { ...deps, parser, log: deps.log.child({ jobId: job.id }) },
        attemptOf(job),
      ),
    ),
    worker(QUEUE.acknowledge, connection, deps, deps.config.PARSE_CONCURRENCY, (job) =>
      acknowledgeMessageJob(job.data, { ...deps, log: deps.log.child({ jobId: job.id }) }),
    ),
  ];
  const stopSweep = every(sweepEveryMs, deps, 'message sweep', async () => {
    const olderThan = new Date(deps.clock.now().getTime() - sweepEveryMs);
    for (const id of await stalledMessageIds(deps.db, olderThan)) {
      const ack = await deps.queues.acknowledge.getJob(jobId.acknowledge(id));
      if (ack && (await ack.isFailed())) await ack.retry();
      else {
        const attachments = await attachmentIdsOf(deps.db, id);
        await enqueueMessageFlow(deps.queues, id, attachments, { attempts: deps.config.JOB_ATTEMPTS });
      }
    }
  });
  return {
    workers,
    close: async () => {
      stopSweep();
      await closeAll(workers);
      await parser.close();
    },
  };
}

/** Run `fn` now and then every `ms`, logging (not throwing) a failed run; returns the stop function. */
function every(
  ms: number,
  deps: Pick<JobDeps, 'log'>,
  what: string,
  fn: () => Promise<void>,
  now = false,
): () => void {
  const run = () =>
    fn().catch((err: unknown) => {
      deps.log.warn({ err: asError(err) }, `${what} failed`);
    });
  if (now) void run();
  const timer = setInterval(() => void run(), ms);
  return () => clearInterval(timer);
}

/**
 * The mail worker (the mailer process), with a sweep that re-queues outbox mail still pending — after a
 * Redis loss the outbox table, not the queue, is the record of what remains to send.
 */
export function startMailerWorker(connection: Redis, deps: JobDeps, sweepEveryMs = 60_000): RunningWorkers {
  const workers = [
    worker(QUEUE.mail, connection, deps, deps.config.MAIL_CONCURRENCY, (job) =>
      sendOutboxMailJob(job.data, { ...deps, log: deps.log.child({ jobId: job.id }) }, attemptOf(job)),
    ),
  ];
  const stopSweep = every(
    sweepEveryMs,
    deps,
    'outbox sweep',
    async () => {
      for (const id of await pendingOutboxIds(deps.db))
        await enqueueMail(deps.queues, id, deps.config.MAIL_RETRY_BASE_MS);
    },
    true,
  );
  return {
    workers,
    close: async () => {
      stopSweep();
      await closeAll(workers);
    },
  };
}

async function closeAll(workers: Worker[]): Promise<void> {
  // close() waits for jobs in hand to finish; jobs not started stay in Redis for the next process.
  await Promise.all(workers.map((w) => w.close()));
}
