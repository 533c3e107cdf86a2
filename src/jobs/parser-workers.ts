import type { Redis } from 'ioredis';
import { QUEUE, REPLAY_JOB } from '../queue/queues.js';
import { openParserPool } from '../registry/intake/replay-attachment.js';
import { requeueStalledMessages } from '../registry/intake/sweeps.js';
import { acknowledgeMessageJob } from './acknowledge-message.job.js';
import { every } from './every.js';
import type { JobDeps } from './job-deps.js';
import { parseAttachmentJob } from './parse-attachment.job.js';
import { replayFileJob } from './replay-file.job.js';
import { attemptOf, onRedisReady, type RunningWorkers, running, worker } from './worker-base.js';

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
  return running(workers, [stopRecovery, stopSweep], () => parser.close());
}
