import type { Redis } from 'ioredis';
import { QUEUE } from '../queue/queues.js';
import { requeuePendingMail } from '../registry/intake/sweeps.js';
import { every } from './every.js';
import type { JobDeps } from './job-deps.js';
import { sendOutboxMailJob } from './send-outbox-mail.job.js';
import { attemptOf, onRedisReady, type RunningWorkers, running, worker } from './worker-base.js';

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
  return running(workers, [stopRecovery, stopSweep]);
}
