import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { createDatabase } from '../db/database.js';
import { type JobDeps, systemClock } from '../jobs/job-deps.js';
import { createLogger } from '../logger.js';
import { senderAuthWarning } from '../mail/auth-results.js';
import { MailRenderer } from '../mail/render.js';
import { createMailTransport } from '../mail/transport.js';
import { createRedis, openQueues } from '../queue/queues.js';
import { projectRoot } from './project-root.js';

export interface Runtime extends JobDeps {
  redis: Redis;
  close(): Promise<void>;
}

/** Everything a process needs, opened from config; `close()` closes in reverse order of opening. */
export function openRuntime(config: Config, component: string): Runtime {
  const log = createLogger(config).child({ component });
  const senderCheck = senderAuthWarning(config);
  if (senderCheck) log.warn({ setting: 'TRUSTED_AUTHSERV_ID', senderAuth: config.SENDER_AUTH }, senderCheck);
  const db = createDatabase(config.DATABASE_URL, config.DATABASE_POOL_SIZE, (err) =>
    log.warn({ err }, 'idle database connection lost'),
  );
  const redis = createRedis(config.REDIS_URL);
  redis.on('error', (err) => log.warn({ err }, 'redis connection error'));
  const queues = openQueues(redis, config.QUEUE_PREFIX, (err) =>
    log.debug({ err }, 'queue connection error'),
  );
  const transport = createMailTransport(config);
  const renderer = new MailRenderer(join(projectRoot(), 'templates'));
  return {
    config,
    log,
    db,
    redis,
    queues,
    transport,
    renderer,
    clock: systemClock,
    close: async () => {
      transport.close();
      await queues.close();
      await redis.quit().catch(() => redis.disconnect());
      await db.destroy();
    },
  };
}
