import { type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { asError } from '../errors.js';
import type { JobDeps } from './job-deps.js';

// What the parser and mailer processes' workers share. Each process loads only its own workers' module (a
// mailer never loads the parser's code).

export interface RunningWorkers {
  workers: Worker[];
  close(): Promise<void>;
}

export const attemptOf = (job: Job) => ({ made: job.attemptsMade, max: job.opts.attempts ?? 1 });

export function worker(
  name: string,
  connection: Redis,
  deps: Pick<JobDeps, 'config' | 'log'>,
  concurrency: number,
  fn: (job: Job) => Promise<unknown>,
) {
  const w = new Worker(name, fn, {
    connection,
    prefix: deps.config.QUEUE_PREFIX,
    concurrency,
    // A job whose worker died is handed to another after the lock lapses and the next check for stalled jobs
    // (a job must be seen unlocked by a check after the one that last saw it held): checking twice per lock time
    // hands it over at most one and a half lock times after the kill. One that kills its worker twice is failed
    // rather than retried forever.
    lockDuration: deps.config.JOB_LOCK_MS,
    stalledInterval: Math.max(500, Math.floor(deps.config.JOB_LOCK_MS / 2)),
    maxStalledCount: 2,
  });
  w.on('failed', (job, err) =>
    deps.log.warn({ err, queue: name, jobId: job?.id, attemptsMade: job?.attemptsMade }, 'job failed'),
  );
  w.on('error', (err) => deps.log.error({ err, queue: name }, 'worker error'));
  return w;
}

/**
 * Run `fn` now and each time the Redis connection is ready again after a loss (a restart may have emptied it);
 * logged, never thrown. Returns the stop function.
 */
export function onRedisReady(
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

/** Workers and what runs beside them, stopped together: the timers first, then the workers, then `after`. */
export function running(
  workers: Worker[],
  stops: readonly (() => void)[],
  after: () => Promise<void> = async () => undefined,
): RunningWorkers {
  return {
    workers,
    close: async () => {
      for (const stop of stops) stop();
      await closeAll(workers);
      await after();
    },
  };
}
