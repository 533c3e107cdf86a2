import { randomUUID } from 'node:crypto';
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUE } from '../queue/queues.js';
import type { JobDeps } from './job-deps.js';
import { sendDigestJob } from './send-digest.job.js';
import { sendRemindersJob } from './send-reminders.job.js';
import type { RunningWorkers } from './worker-base.js';

const SCHEDULES = ['reminders', 'digest'] as const;
type ScheduleName = (typeof SCHEDULES)[number];

/**
 * Register the job schedulers (cron in the configured time zone). Only the process that takes a short Redis
 * lock registers, so several schedulers starting at once neither duplicate nor lose them; returns whether
 * this one did.
 */
export async function registerSchedules(
  redis: Redis,
  deps: Pick<JobDeps, 'config' | 'queues' | 'log'>,
): Promise<boolean> {
  const { config } = deps;
  const key = `${config.QUEUE_PREFIX}:schedule-registration`;
  const owner = randomUUID();
  if ((await redis.set(key, owner, 'PX', 30_000, 'NX')) !== 'OK') return false;
  try {
    const crons: Record<ScheduleName, string> = {
      reminders: config.REMINDER_CRON,
      digest: config.DIGEST_CRON,
    };
    for (const name of SCHEDULES) {
      await deps.queues.schedule.upsertJobScheduler(
        name,
        { pattern: crons[name], tz: config.TIME_ZONE },
        { name, data: {}, opts: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 } } },
      );
    }
    deps.log.info({ schedules: SCHEDULES, timeZone: config.TIME_ZONE }, 'schedules registered');
    return true;
  } finally {
    await redis.eval(
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end",
      1,
      key,
      owner,
    );
  }
}

/** The worker that runs scheduled jobs (each of them safe to run twice: their mail is keyed). */
export function startScheduleWorker(connection: Redis, deps: JobDeps): RunningWorkers {
  const worker = new Worker(
    QUEUE.schedule,
    async (job) => {
      const log = deps.log.child({ jobId: job.id });
      if (job.name === 'reminders') return sendRemindersJob({ ...deps, log });
      if (job.name === 'digest') return sendDigestJob({ ...deps, log });
      throw new Error(`unknown scheduled job ${job.name}`);
    },
    { connection, prefix: deps.config.QUEUE_PREFIX, concurrency: 1 },
  );
  worker.on('failed', (job, err) => deps.log.error({ err, jobId: job?.id }, 'scheduled job failed'));
  return { workers: [worker], close: () => worker.close() };
}
