import { type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { asError } from '../errors.js';
import { QUEUE, REPLAY_JOB } from '../queue/queues.js';
import { openParserPool } from '../registry/intake/replay-attachment.js';
import { requeuePendingMail, requeueStalledMessages } from '../registry/intake/sweeps.js';
import { acknowledgeMessageJob } from './acknowledge-message.job.js';
import { every } from './every.js';
import type { JobDeps } from './job-deps.js';
import { parseAttachmentJob } from './parse-attachment.job.js';
import { replayFileJob } from './replay-file.job.js';
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
 * The parse and acknowledge workers (the parser process). Parsing itself runs in the parser pool; the parse
 * queue also carries the replays staff ask for from the console (job name `replay`). A sweep
 * re-queues the flow of any message left unhandled for a minute: the database, not Redis, is the record of
 * what remains to do, so even a Redis that lost its data loses no mail.
 */
export function startParserWorkers(connection: Redis, deps: JobDeps, sweepEveryMs = 60_000): RunningWorkers {
  const parser = openParserPool(deps.config);
  const workers = [
    worker(QUEUE.parse, connection, deps, deps.config.PARSE_CONCURRENCY, (job) =>
      job.name === REPLAY_JOB
        ? replayFileJob(job.data, { ...deps, parser })
        : parseAttachmentJob(
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
    await requeueStalledMessages(deps, new Date(deps.clock.now().getTime() - sweepEveryMs));
  });
  // At start and whenever Redis comes back (perhaps empty): everything PostgreSQL says is unfinished, at once,
  // not after the next sweep. What is still queued is not queued twice (job ids).
  const stopRecovery = onRedisReady(connection, deps, 'message recovery', async () => {
    await requeueStalledMessages(deps, deps.clock.now());
  });
  return {
    workers,
    close: async () => {
      stopRecovery();
      stopSweep();
      await closeAll(workers);
      await parser.close();
    },
  };
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
  const stopSweep = every(sweepEveryMs, deps, 'outbox sweep', async () => {
    await requeuePendingMail(deps);
  });
  // At start and whenever Redis comes back (perhaps empty), the pending outbox at once.
  const stopRecovery = onRedisReady(connection, deps, 'outbox recovery', async () => {
    await requeuePendingMail(deps);
  });
  return {
    workers,
    close: async () => {
      stopRecovery();
      stopSweep();
      await closeAll(workers);
    },
  };
}

/**
 * Run `fn` now and each time the Redis connection is ready again after a loss (a restart may have emptied it);
 * logged, never thrown. Returns the stop function.
 */
function onRedisReady(
  connection: Redis,
  deps: Pick<JobDeps, 'log'>,
  what: string,
  fn: () => Promise<void>,
): () => void {
  const run = () => {
    fn().then(
      () => deps.log.debug({ what }, 'recovered what PostgreSQL says is unfinished'),
      (err: unknown) => deps.log.warn({ err: asError(err) }, `${what} failed`),
    );
  };
  run();
  connection.on('ready', run);
  return () => {
    connection.off('ready', run);
  };
}

async function closeAll(workers: Worker[]): Promise<void> {
  // close() waits for jobs in hand to finish; jobs not started stay in Redis for the next process.
  await Promise.all(workers.map((w) => w.close()));
}
